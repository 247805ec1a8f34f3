package io.redwire.processor.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.redwire.processor.model.ValueType;
import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.Fingerprint;
import io.redwire.runtime.codec.Values;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Generated codecs, compiled against the real runtime, round-trip values through Values.encode/decode. */
class RoundTripTest {

  static final String MODEL = """
      package com.x;

      import java.math.BigDecimal;
      import java.math.BigInteger;
      import java.time.*;
      import java.util.*;

      public final class Model {
        private Model() {}

        public enum Color { RED, GREEN, BLUE { @Override public String toString() { return "blue!"; } } }

        public record Tag(String v) {}

        public record Product(long id, String name, List<Tag> tags, Color color, Integer stock,
            boolean active, char grade, byte b, short s, float f, double d, Instant at,
            BigDecimal price, UUID uuid, Byte boxedByte, Character boxedChar) {}

        public sealed interface Shape permits Circle, Square, Group {}
        public record Circle(double r) implements Shape {}
        public record Square(double side) implements Shape {}
        public record Group(String name, List<Shape> members) implements Shape {}

        public record Box<T>(T value) {}

        public record Node(String name, List<Node> children) {}

        public record Holder(Optional<Tag> tag, Map<String, Tag> byName, Set<Color> colors,
            Map<Tag, List<Node>> nested, Optional<Box<Long>> box) {}

        public record Times(LocalDate d, LocalTime t, LocalDateTime dt, OffsetDateTime odt,
            ZonedDateTime zdt, Duration dur, Period p, ZoneId zone, Year y, YearMonth ym,
            MonthDay md, DayOfWeek dow, Month m, BigInteger big, OffsetTime ot, ZoneOffset zo) {}

        public static final class Inner {
          private Inner() {}
          public record Item(String sku, int qty) {}
        }
      }
      """;

  static final String OTHER_ITEM = """
      package com.y;

      public record Item(long code) {}
      """;

  static final String STORE = """
      package com.x;

      import java.util.*;

      @io.redwire.processor.codec.CodecProbe
      public interface Store {
        Model.Product product();
        Model.Product sparseProduct();
        Model.Shape shape();
        Model.Group group();
        Model.Box<String> boxOfString();
        Model.Box<Model.Tag> boxOfTag();
        Model.Node node();
        List<Model.Product> products();
        Set<Model.Tag> tags();
        Map<String, Model.Product> byId();
        Optional<Model.Tag> maybeTag();
        Optional<Model.Tag> noTag();
        Model.Tag[] tagArray();
        Model.Times times();
        long count();
        Integer boxed();
        String text();
        byte[] bytes();
        Model.Color color();
        int[][] grid();
        Model.Holder holder();
        Model.Inner.Item item();
        com.y.Item otherItem();
        List<com.y.Item> otherItems();
      }
      """;

  static final String SAMPLES = """
      package com.x;

      import java.math.BigDecimal;
      import java.math.BigInteger;
      import java.time.*;
      import java.util.*;
      import com.x.Model.*;

      public final class Samples {
        private Samples() {}

        static final String UNICODE = "Grüße, 日本語, emoji 👋🏽, nul \\u0000, surrogate pair 𝄞";

        static Product product() {
          List<Tag> tags = new ArrayList<>();
          tags.add(new Tag("a"));
          tags.add(null);
          tags.add(new Tag(null));
          tags.add(new Tag(UNICODE));
          return new Product(Long.MIN_VALUE, UNICODE, tags, Color.BLUE, -7, true, 'ß', (byte) -1,
              Short.MAX_VALUE, -0.5f, Double.NaN, Instant.parse("2024-02-29T12:34:56.123456789Z"),
              new BigDecimal("-12345678901234567890.000123"), new UUID(-1L, 42L), (byte) 7, '€');
        }

        static Product sparseProduct() {
          return new Product(0, null, null, null, null, false, '\\0', (byte) 0, (short) 0, 0f, 0d,
              null, null, null, null, null);
        }

        static Shape shape() {
          return new Group("g", List.of(new Circle(1.5), new Square(2), new Group("inner", List.of())));
        }

        static Group group() {
          return new Group(null, Arrays.asList(new Circle(3), null));
        }

        static Box<String> boxOfString() { return new Box<>(UNICODE); }
        static Box<Tag> boxOfTag() { return new Box<>(new Tag("t")); }

        static Node node() {
          return new Node("root", List.of(new Node("a", List.of(new Node("a1", List.of()))),
              new Node("b", null)));
        }

        static List<Product> products() { return Arrays.asList(product(), null, sparseProduct()); }
        static Set<Tag> tags() { return new LinkedHashSet<>(List.of(new Tag("x"), new Tag("y"))); }
        static Map<String, Product> byId() {
          Map<String, Product> m = new LinkedHashMap<>();
          m.put("p", product());
          m.put("none", null);
          return m;
        }
        static Optional<Tag> maybeTag() { return Optional.of(new Tag("o")); }
        static Optional<Tag> noTag() { return Optional.empty(); }
        static Tag[] tagArray() { return new Tag[] {new Tag("1"), null, new Tag("3")}; }

        static Times times() {
          ZoneId paris = ZoneId.of("Europe/Paris");
          return new Times(LocalDate.of(1999, 12, 31), LocalTime.of(23, 59, 59, 999_999_999),
              LocalDateTime.of(2000, 1, 1, 0, 0), OffsetDateTime.of(2020, 6, 1, 8, 0, 0, 0, ZoneOffset.ofHours(-5)),
              ZonedDateTime.of(2021, 3, 28, 2, 30, 0, 0, paris), Duration.ofSeconds(-3, 5), Period.of(1, -2, 3),
              paris, Year.of(-44), YearMonth.of(2024, 2), MonthDay.of(2, 29), DayOfWeek.SUNDAY, Month.MAY,
              new BigInteger("-987654321098765432109876543210"), OffsetTime.of(1, 2, 3, 4, ZoneOffset.UTC),
              ZoneOffset.ofHoursMinutes(5, 30));
        }

        static long count() { return -42L; }
        static Integer boxed() { return Integer.MIN_VALUE; }
        static String text() { return UNICODE; }
        static byte[] bytes() { return new byte[] {0, -1, 127}; }
        static Color color() { return Color.GREEN; }
        static int[][] grid() { return new int[][] {{1, 2}, null, {}}; }

        static Holder holder() {
          Map<Tag, List<Node>> nested = new LinkedHashMap<>();
          nested.put(new Tag("k"), List.of(node()));
          nested.put(null, null);
          return new Holder(Optional.of(new Tag("h")), Map.of("n", new Tag("v")),
              EnumSet.of(Color.RED, Color.BLUE), nested, Optional.of(new Box<>(9L)));
        }

        static Inner.Item item() { return new Inner.Item("sku-1", 3); }
        static com.y.Item otherItem() { return new com.y.Item(77); }
        static List<com.y.Item> otherItems() { return List.of(new com.y.Item(1), new com.y.Item(2)); }
      }
      """;

  static Harness harness;

  @BeforeAll
  static void compile() {
    harness = Harness.compile("com.x.Model", MODEL, "com.y.Item", OTHER_ITEM, "com.x.Store", STORE,
        "com.x.Samples", SAMPLES).assertSuccess();
  }

  @ParameterizedTest
  @ValueSource(strings = {"product", "sparseProduct", "shape", "group", "boxOfString", "boxOfTag", "node",
      "products", "tags", "byId", "maybeTag", "noTag", "tagArray", "times", "count", "boxed", "text",
      "bytes", "color", "grid", "holder", "item", "otherItem", "otherItems"})
  void roundTrips(String method) {
    Object value = harness.call("com.x.Samples", method);
    Codec<Object> codec = harness.codec("com.x.Store", method);
    long fingerprint = harness.fingerprint("com.x.Store", method);
    ValueType vt = harness.valueType("Store." + method);
    assertEquals(vt.fingerprint(), fingerprint);
    assertEquals(Fingerprint.of(vt.shape()), fingerprint, "processor and runtime hash agree");

    byte[] bytes = Values.encode(fingerprint, codec, value);
    Object back = Values.decode(fingerprint, codec, bytes);
    if (value instanceof Object[] array) {
      assertArrayEquals(array, (Object[]) back);
    } else if (value instanceof byte[] array) {
      assertArrayEquals(array, (byte[]) back);
    } else {
      assertEquals(value, back);
    }
    // and once more: the bytes are a pure function of the value
    assertArrayEquals(bytes, Values.encode(fingerprint, codec, back));
  }

  @Test
  void shapes() {
    assertEquals("record com.x.Model.Node(java.lang.String name,java.util.List<&com.x.Model.Node> children)",
        harness.valueType("Store.node").shape());
    assertEquals("sealed com.x.Model.Shape{record com.x.Model.Circle(double r)"
            + "|record com.x.Model.Group(java.lang.String name,java.util.List<&com.x.Model.Shape> members)"
            + "|record com.x.Model.Square(double side)}",
        harness.valueType("Store.shape").shape());
    assertEquals("record com.x.Model.Box<java.lang.String>(java.lang.String value)",
        harness.valueType("Store.boxOfString").shape());
    assertEquals("enum com.x.Model.Color{RED,GREEN,BLUE}", harness.valueType("Store.color").shape());
    assertEquals("java.util.List<record com.y.Item(long code)>", harness.valueType("Store.otherItems").shape());
    assertEquals("int[][]", harness.valueType("Store.grid").shape());
    assertEquals("long", harness.valueType("Store.count").shape());
    assertInstanceOf(ValueType.Primitive.class, harness.valueType("Store.count"));
    assertNotEquals(harness.valueType("Store.item").fingerprint(),
        harness.valueType("Store.otherItem").fingerprint());
  }

  @Test
  void generatedCodeIsStraightLine() {
    String source = harness.generatedSource("com.x.StoreCodecs");
    // two records named Item get distinct names
    org.junit.jupiter.api.Assertions.assertTrue(source.contains("class ComYItemCodec implements Codec<Item>"), source);
    org.junit.jupiter.api.Assertions.assertTrue(source.contains("class ItemCodec implements Codec<Model.Inner.Item>"), source);
    org.junit.jupiter.api.Assertions.assertTrue(source.contains("out.writeLong(product.id());"), source);
    org.junit.jupiter.api.Assertions.assertTrue(source.contains("COLOR_CODEC = Codecs.enumOf(Model.Color.values());"), source);
    org.junit.jupiter.api.Assertions.assertFalse(source.contains("java.lang.reflect"), source);
    org.junit.jupiter.api.Assertions.assertFalse(source.contains("->"), source);
    org.junit.jupiter.api.Assertions.assertFalse(source.contains("Object[]"), source);
  }
}
