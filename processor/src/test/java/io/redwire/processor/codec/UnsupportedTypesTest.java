package io.redwire.processor.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.processor.generate.CodecWriter;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.model.ValueType.Unsupported;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Types Redwire cannot encode come back as Unsupported with a reason that says what to do, and a path. */
class UnsupportedTypesTest {

  static Harness harness;

  @BeforeAll
  static void compile() {
    harness = Harness.compile(
        "com.u.OrderLine", """
            package com.u;
            public record OrderLine(String sku, java.io.File file) {}
            """,
        "com.u.Order", """
            package com.u;
            public record Order(java.util.List<OrderLine> lines) {}
            """,
        "com.u.M", """
            package com.u;
            public final class M {
              public static class Plain {}
              public interface Open {}
              public sealed interface WithClass permits R1, C1 {}
              public record R1() implements WithClass {}
              public static final class C1 implements WithClass {}
              public record Gen<T>(T v) {}
              public sealed interface Generic<T> permits GenOk {}
              public record GenOk<T>(T v) implements Generic<T> {}
              private record Secret(int x) {}
              public record Loop<T>(T v, Loop<java.util.List<T>> next) {}

              @io.redwire.processor.codec.CodecProbe
              interface Nested {
                Secret secret();
              }
            }
            """,
        "com.u.Bad", """
            package com.u;

            import java.util.*;

            @io.redwire.processor.codec.CodecProbe
            @SuppressWarnings("rawtypes")
            public interface Bad {
              M.Plain plain();
              List raw();
              List<? extends M.Plain> wildcard();
              Object object();
              M.Open open();
              Order order();
              <T> T typeVar();
              M.Gen<?> genericWildcard();
              M.Gen rawGeneric();
              Date date();
              ArrayList<String> arrayList();
              List<String>[] genericArray();
              void nothing();
              M.WithClass withClass();
              M.Generic<String> genericSealed();
              java.io.Serializable serializable();
              Map<String, java.io.File> mapOfFile();
              M.Loop<String> loop();
              OptionalInt optionalInt();
            }
            """);
    harness.assertSuccess();
  }

  private static Unsupported unsupported(String method) {
    ValueType vt = harness.valueType(method);
    return assertInstanceOf(Unsupported.class, vt, () -> method + " -> " + vt);
  }

  private static void check(String method, String path, String... reasonParts) {
    Unsupported u = unsupported(method);
    assertEquals(path, u.path(), u::message);
    for (String part : reasonParts) {
      assertTrue(u.reason().contains(part), () -> "'" + part + "' not in: " + u.reason());
    }
  }

  @Test
  void aClass() {
    check("Bad.plain", "com.u.M.Plain", "com.u.M.Plain is a class",
        "annotate the type (or the method) with @UseCodec(YourCodec.class) or store a record");
  }

  @Test
  void nestedInRecordsNamesThePath() {
    check("Bad.order", "Order.lines -> OrderLine.file -> java.io.File", "java.io.File is a class",
        "@UseCodec(YourCodec.class)");
  }

  @Test
  void rawTypes() {
    check("Bad.raw", "java.util.List", "raw type java.util.List", "List<YourType>");
    check("Bad.rawGeneric", "com.u.M.Gen", "raw type com.u.M.Gen");
  }

  @Test
  void wildcards() {
    check("Bad.wildcard", "? extends com.u.M.Plain", "wildcard", "List<Tag> rather than List<? extends Tag>");
    check("Bad.genericWildcard", "M.Gen.v -> ?", "wildcard");
  }

  @Test
  void objectAndSerializable() {
    check("Bad.object", "java.lang.Object", "java.lang.Object has no fixed shape", "@UseCodec");
    check("Bad.serializable", "java.io.Serializable", "never uses Java serialization");
  }

  @Test
  void interfaceThatIsNotSealed() {
    check("Bad.open", "com.u.M.Open", "interface com.u.M.Open is not sealed", "sealed interface");
  }

  @Test
  void sealedWithAClassOrGeneric() {
    check("Bad.withClass", "com.u.M.C1", "permits com.u.M.C1, which is not a record");
    check("Bad.genericSealed", "com.u.M.Generic<java.lang.String>", "generic sealed interface");
  }

  @Test
  void typeVariable() {
    check("Bad.typeVar", "T", "type variable T", "concrete type");
  }

  @Test
  void jdkTypesWithHints() {
    check("Bad.date", "java.util.Date", "use java.time.Instant");
    check("Bad.arrayList", "java.util.ArrayList<java.lang.String>", "declare it as java.util.List<E>");
    check("Bad.optionalInt", "java.util.OptionalInt", "Optional<Integer>");
    check("Bad.mapOfFile", "java.io.File", "java.io.File is a class");
  }

  @Test
  void genericArraysAndVoid() {
    check("Bad.genericArray", "java.util.List<java.lang.String>[]", "store a java.util.List<");
    check("Bad.nothing", "void", "void");
  }

  @Test
  void privateTypes() {
    check("Nested.secret", "com.u.M.Secret", "M.Secret is private", "package-private or public");
  }

  @Test
  void endlessGenericExpansionStops() {
    Unsupported u = unsupported("Bad.loop");
    assertTrue(u.reason().contains("nests more than"), u::message);
  }

  @Test
  void writerRefusesUnsupported() {
    assertThrows(IllegalArgumentException.class, () -> new CodecWriter().codec(unsupported("Bad.plain")));
  }

  @Test
  void missingClassesAreUnsupportedNotACrash() {
    Harness broken = Harness.compile("com.u.Broken", """
        package com.u;
        @io.redwire.processor.codec.CodecProbe
        public interface Broken {
          DoesNotExist missing();
          java.util.List<AlsoMissing> missingElement();
        }
        """);
    check(broken, "Broken.missing", "cannot be resolved");
    check(broken, "Broken.missingElement", "cannot be resolved");
  }

  private static void check(Harness h, String method, String reasonPart) {
    ValueType vt = h.valueType(method);
    Unsupported u = assertInstanceOf(Unsupported.class, vt, () -> method + " -> " + vt);
    assertTrue(u.reason().contains(reasonPart), u::message);
  }
}
