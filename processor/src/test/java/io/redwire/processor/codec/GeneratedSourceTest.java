package io.redwire.processor.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.Values;
import org.junit.jupiter.api.Test;

/** Deterministic output, name clashes, recursion and awkward names. */
class GeneratedSourceTest {

  private static Harness compileRoundTripModel() {
    return Harness.compile("com.x.Model", RoundTripTest.MODEL, "com.y.Item", RoundTripTest.OTHER_ITEM,
        "com.x.Store", RoundTripTest.STORE, "com.x.Samples", RoundTripTest.SAMPLES).assertSuccess();
  }

  @Test
  void generatingTwiceIsByteIdentical() {
    String first = compileRoundTripModel().generatedSource("com.x.StoreCodecs");
    String second = compileRoundTripModel().generatedSource("com.x.StoreCodecs");
    assertEquals(first, second);
  }

  static final String AWKWARD = """
      package com.a;

      import java.util.*;

      public final class Awkward {
        private Awkward() {}

        /** Components named like the generated method's parameters and locals. */
        public record Clash(String out, String in, int value, String clash, String Codecs) {}

        public record Empty() {}

        /** Mutual recursion through two records and a sealed interface. */
        public sealed interface Expr permits Num, Add, Neg {}
        public record Num(long n) implements Expr {}
        public record Add(Expr left, Expr right) implements Expr {}
        public record Neg(Expr inner) implements Expr {}

        public record A(String name, B b) {}
        public record B(A a, List<A> many) {}

        /** Same simple name, case differs only. */
        public record Item(int x) {}
        public static final class Other {
          private Other() {}
          public record ITEM(int y) {}
        }

        public record Codec(String name) {}

        @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE)
        public @interface TU {}

        /** Type-use annotations neither change the shape nor break the generated code. */
        public record Annotated(@TU String s, List<@TU Item> items, Map<@TU String, @TU Integer> m) {}
      }
      """;

  static final String STORE = """
      package com.a;

      import com.a.Awkward.*;
      import java.util.List;

      @io.redwire.processor.codec.CodecProbe
      public interface Store {
        Clash clash();
        Empty empty();
        Add add();
        Expr expr();
        A a();
        Item item();
        Other.ITEM otherItem();
        Awkward.Codec codec();
        Annotated annotated();
        List<@Awkward.TU Item> annotatedItems();
      }
      """;

  static final String SAMPLES = """
      package com.a;

      import com.a.Awkward.*;
      import java.util.List;

      public final class Samples {
        private Samples() {}
        static Clash clash() { return new Clash("o", null, 3, "c", "C"); }
        static Empty empty() { return new Empty(); }
        static Add add() { return new Add(new Num(1), new Neg(new Add(new Num(2), null))); }
        static Expr expr() { return add(); }
        static A a() {
          A leaf = new A("leaf", null);
          return new A("root", new B(leaf, List.of(leaf, new A("x", new B(null, List.of())))));
        }
        static Item item() { return new Item(1); }
        static Other.ITEM otherItem() { return new Other.ITEM(2); }
        static Awkward.Codec codec() { return new Awkward.Codec("c"); }
        static Annotated annotated() { return new Annotated("s", List.of(item()), java.util.Map.of("k", 1)); }
        static List<Item> annotatedItems() { return List.of(item()); }
      }
      """;

  @Test
  void awkwardTypesRoundTrip() {
    Harness h = Harness.compile("com.a.Awkward", AWKWARD, "com.a.Store", STORE, "com.a.Samples", SAMPLES)
        .assertSuccess();
    for (String method : new String[] {"clash", "empty", "add", "expr", "a", "item", "otherItem", "codec", "annotated",
        "annotatedItems"}) {
      Codec<Object> codec = h.codec("com.a.Store", method);
      long fp = h.fingerprint("com.a.Store", method);
      Object value = h.call("com.a.Samples", method);
      assertEquals(value, Values.decode(fp, codec, Values.encode(fp, codec, value)), method);
    }
    assertEquals("record com.a.Awkward.Add(sealed com.a.Awkward.Expr{&com.a.Awkward.Add"
            + "|record com.a.Awkward.Neg(&com.a.Awkward.Expr inner)|record com.a.Awkward.Num(long n)} left,"
            + "&com.a.Awkward.Expr right)",
        h.valueType("Store.add").shape());
    assertEquals("java.util.List<&com.a.Awkward.Item>", h.valueType("Store.annotatedItems").shape()
        .replace("record com.a.Awkward.Item(int x)", "&com.a.Awkward.Item"));
    assertEquals("record com.a.Awkward.Annotated(java.lang.String s,java.util.List<record com.a.Awkward.Item(int x)>"
        + " items,java.util.Map<java.lang.String,java.lang.Integer> m)", h.valueType("Store.annotated").shape());
    String source = h.generatedSource("com.a.StoreCodecs");
    // case-insensitive clash between Item and ITEM: the second one gets its nesting in the name
    assertTrue(source.contains("class ItemCodec implements"), source);
    assertTrue(source.contains("class AwkwardOtherITEMCodec implements"), source);
    assertTrue(source.contains("public void write(Output out, Awkward.Other.ITEM item)"), source);
    // component names never shadow the parameters
    assertTrue(source.contains("public void write(Output out, Awkward.Clash value2)"), source);
    assertTrue(source.contains("String out_ = value2.out();")
        || source.contains("String outValue = value2.out();"), source);
  }

  @Test
  void reservedNamesAreAvoided() {
    Harness h = Harness.compile(java.util.List.of("ItemCodec", "item_codec"),
        "com.a.Awkward", AWKWARD, "com.a.Store", STORE, "com.a.Samples", SAMPLES).assertSuccess();
    String source = h.generatedSource("com.a.StoreCodecs");
    assertTrue(source.contains("Codec<Awkward.Item> AWKWARD_ITEM_CODEC = new AwkwardItemCodec();"), source);
  }
}
