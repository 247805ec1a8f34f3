package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.HEADER_LINES;
import static io.redwire.processor.Sources.assertOnlyError;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Cached(near)}: its size, and the warning for values that are visibly mutable. */
class NearDiagnosticsTest {

  @Test
  void negativeSizeIsAnError() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", near = -1)
          String name(long id);
        }
        """, 2,
        "[Redwire/NearSize] @Cached(near) is the near cache's size in entries, 0 for none; found -1. Use a"
            + " positive size such as near = 10000, or remove near.");
  }

  @Test
  void anArrayIsAWarning() {
    JavaFileObject file = source("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", near = 100)
          byte[] image(long id);
        }
        """);
    Compilation c = compile(file);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c).hadWarningContaining("[Redwire/NearMutable] a near cache hands one decoded value to every"
        + " caller, so it must be immutable; Catalog.image(long) returns byte[], which holds an array"
        + " (byte[]). Use an immutable type (records, enums, Strings, Lists instead of arrays) or remove"
        + " near.").inFile(file).onLine(HEADER_LINES + 2);
    assertThat(c).generatedSourceFile("test.RedwireCatalog");
  }

  @Test
  void aRecordHoldingAnArrayInAListIsAWarning() {
    JavaFileObject file = source("Catalog", """
        public interface Catalog {
          record Tile(int x, long[] pixels) {}
          record Page(String title, List<Tile> tiles) {}
          @Cached(ttl = "10m", near = 100)
          Optional<Page> page(String slug);
        }
        """);
    Compilation c = compile(file);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c).hadWarningContaining("Catalog.page(String) returns test.Catalog.Page, which holds an array"
        + " (long[]) in component pixels of Tile in component tiles of Page.")
        .inFile(file).onLine(HEADER_LINES + 4);
  }

  @Test
  void aUserCodecClassWithANonFinalFieldIsAWarning() {
    JavaFileObject bag = JavaFileObjects.forSourceString("com.c.Bag", """
        package com.c;

        @io.redwire.UseCodec(BagCodec.class)
        public class Bag {
          public final String label;
          public int count;
          public Bag(String label, int count) { this.label = label; this.count = count; }
        }
        """);
    JavaFileObject codec = JavaFileObjects.forSourceString("com.c.BagCodec", """
        package com.c;

        import io.redwire.runtime.codec.*;

        public final class BagCodec implements Codec<Bag> {
          @Override public void write(Output out, Bag b) { out.writeLong(b.count); }
          @Override public Bag read(Input in) { return new Bag("", (int) in.readLong()); }
        }
        """);
    JavaFileObject file = source("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", near = 100)
          com.c.Bag bag(long id);
        }
        """);
    Compilation c = compile(file, bag, codec);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c).hadWarningContaining("returns com.c.Bag, which holds a class with the non-final field"
        + " Bag.count.").inFile(file).onLine(HEADER_LINES + 2);
  }

  @Test
  void immutableValuesCompileWithoutWarnings() {
    Compilation c = compile(source("Catalog", """
        public interface Catalog {
          enum Kind { A, B }
          record Product(long id, String name, Kind kind, BigDecimal price, List<String> tags,
              Map<String, java.time.Instant> seen, Optional<UUID> owner) {}
          sealed interface Shape permits Circle, Square {}
          record Circle(double r) implements Shape {}
          record Square(double side) implements Shape {}
          @Cached(ttl = "10m", near = 100) Product product(long id);
          @Cached(ttl = "10m", near = 100) List<Product> all(int page);
          @Cached(ttl = "10m", near = 100) Shape shape(String id);
          @Cached(ttl = "10m", near = 100) long count(String id);
          @Cached(ttl = "10m", near = 100) CompletableFuture<String> label(String id);
          @Cached(ttl = "10m", near = 0) byte[] raw(long id);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
  }
}
