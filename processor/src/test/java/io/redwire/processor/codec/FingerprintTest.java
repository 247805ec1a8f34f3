package io.redwire.processor.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redwire.processor.model.ValueType;
import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.FingerprintMismatchException;
import io.redwire.runtime.codec.Values;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shape fingerprints: the hash itself, and that every breaking change to a type changes it. */
class FingerprintTest {

  @Test
  void fnv1a64TestVectors() {
    assertEquals(0xcbf29ce484222325L, ValueType.fnv1a64(""));
    assertEquals(0xaf63dc4c8601ec8cL, ValueType.fnv1a64("a"));
    assertEquals(0x85944171f73967e8L, ValueType.fnv1a64("foobar"));
    String unicode = "Grüße 👋";
    assertEquals(io.redwire.runtime.codec.Fingerprint.of(unicode), ValueType.fnv1a64(unicode));
  }

  private static final String STORE = """
      package com.f;
      @io.redwire.processor.codec.CodecProbe
      public interface Store {
        Product product();
      }
      """;

  private static Harness compile(String product, String... more) {
    String[] sources = new String[4 + more.length];
    sources[0] = "com.f.Store";
    sources[1] = STORE;
    sources[2] = "com.f.Product";
    sources[3] = "package com.f;\n" + product;
    System.arraycopy(more, 0, sources, 4, more.length);
    return Harness.compile(sources).assertSuccess();
  }

  private static long fingerprint(String product, String... more) {
    return compile(product, more).valueType("Store.product").fingerprint();
  }

  @Test
  void everyBreakingChangeChangesTheFingerprint() {
    List<String> variants = List.of(
        "public record Product(long id, String name) {}",
        "public record Product(long id, String name, int stock) {}", // gains
        "public record Product(long id) {}", // loses
        "public record Product(long id, String title) {}", // renames
        "public record Product(int id, String name) {}", // retypes
        "public record Product(Long id, String name) {}", // boxes
        "public record Product(String name, long id) {}", // reorders
        "public record Product(long id, java.util.List<String> name) {}");
    Set<Long> seen = new HashSet<>();
    for (String v : variants) {
      long fp = fingerprint(v);
      assertEquals(true, seen.add(fp), "duplicate fingerprint for " + v);
    }
    // and the same source gives the same fingerprint
    assertEquals(fingerprint(variants.get(0)), fingerprint(variants.get(0)));
  }

  @Test
  void enumsAndSealedTypesChangeTheFingerprint() {
    String product = "public record Product(Color color, Shape shape) {}";
    String colors = "package com.f; public enum Color { RED, GREEN }";
    String moreColors = "package com.f; public enum Color { RED, GREEN, BLUE }";
    String reordered = "package com.f; public enum Color { GREEN, RED }";
    String shapes = """
        package com.f;
        public sealed interface Shape permits Shape.Circle, Shape.Square {
          record Circle(double r) implements Shape {}
          record Square(double side) implements Shape {}
        }
        """;
    String moreShapes = """
        package com.f;
        public sealed interface Shape permits Shape.Circle, Shape.Square, Shape.Dot {
          record Circle(double r) implements Shape {}
          record Square(double side) implements Shape {}
          record Dot() implements Shape {}
        }
        """;
    String changedPermit = """
        package com.f;
        public sealed interface Shape permits Shape.Circle, Shape.Square {
          record Circle(float r) implements Shape {}
          record Square(double side) implements Shape {}
        }
        """;
    long base = fingerprint(product, "com.f.Color", colors, "com.f.Shape", shapes);
    assertNotEquals(base, fingerprint(product, "com.f.Color", moreColors, "com.f.Shape", shapes));
    assertNotEquals(base, fingerprint(product, "com.f.Color", reordered, "com.f.Shape", shapes));
    assertNotEquals(base, fingerprint(product, "com.f.Color", colors, "com.f.Shape", moreShapes));
    assertNotEquals(base, fingerprint(product, "com.f.Color", colors, "com.f.Shape", changedPermit));
    assertEquals(base, fingerprint(product, "com.f.Shape", shapes, "com.f.Color", colors));
  }

  @Test
  void oldBytesReadAsAMismatchAfterARecordGainsAComponent() {
    String samples = """
        package com.f;
        public final class Samples {
          static Product product() { return new Product(7, "seven"); }
        }
        """;
    Harness v1 = compile("public record Product(long id, String name) {}", "com.f.Samples", samples);
    long fp1 = v1.fingerprint("com.f.Store", "product");
    byte[] old = Values.encode(fp1, v1.codec("com.f.Store", "product"), v1.call("com.f.Samples", "product"));

    Harness v2 = compile("public record Product(long id, String name, int stock) {}");
    long fp2 = v2.fingerprint("com.f.Store", "product");
    assertNotEquals(fp1, fp2);
    Codec<Object> codec2 = v2.codec("com.f.Store", "product");
    FingerprintMismatchException e =
        assertThrows(FingerprintMismatchException.class, () -> Values.decode(fp2, codec2, old));
    assertEquals(fp2, e.expected());
    assertEquals(fp1, e.found());
  }
}
