package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.assertOnlyError;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic of bulk {@code @Cached} methods ({@code Map<K, V> byIds(Set<K> ids)}): the
 * tag, the whole text, and the line it points at.
 */
class BulkDiagnosticsTest {

  @Test
  void aBulkMethodSharingItsCacheWithASingleKeyMethodCompiles() {
    assertThat(compile(source("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", name = "names", key = "{id}")
          String name(long id);
          @Cached(ttl = "10m", name = "names")
          Map<Long, String> names(Set<Long> ids);
          @Cached(ttl = "10m", key = "{codes}")
          Map<String, String> labels(List<String> codes);
          @Cached(ttl = "10m", refresh = Cached.Refresh.NONE, nulls = true)
          Map<UUID, Integer> counts(Collection<UUID> ids);
          @CacheEvict(name = "names", key = "{id}")
          void rename(long id);
          @RateLimited(limit = 100, per = "1s", key = "bulk")
          @Cached(ttl = "10m")
          Map<Long, String> limited(Set<Long> ids);
        }
        """))).succeededWithoutWarnings();
  }

  /** A user's strict build stays quiet on every kind of bulk method: records, enums and primitives' boxes as ids. */
  @Test
  void bulkMethodsCompileWithLintAllAndWerror() {
    assertThat(com.google.testing.compile.Compiler.javac().withProcessors(new RedwireProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(source("Strict", """
            public interface Strict {
              enum Region { EU, US }
              record Sku(String code, Region region) {}
              record Stock(int units, List<String> bins) {}
              @Cached(ttl = "10m", name = "stock", key = "{sku.code}:{sku.region}")
              Stock stock(Sku sku);
              @Cached(ttl = "10m", name = "stock", key = "{skus.code}:{skus.region}")
              Map<Sku, Stock> stocks(List<Sku> skus);
              @Cached(ttl = "1m", nulls = true, nullTtl = "10s")
              Map<Region, Integer> counts(Set<Region> regions);
              @Cached(ttl = "1m", refresh = Cached.Refresh.NONE)
              Map<Integer, byte[]> blobs(Collection<Integer> ids);
              @RateLimited(limit = 10, per = "1s")
              @Cached(ttl = "1m")
              Map<String, Optional<String>> labels(Set<String> codes);
              @CacheEvict(name = "stock", key = "{sku.code}:{sku.region}")
              void sold(Sku sku);
            }
            """))).succeededWithoutWarnings();
  }

  /** The README's bulk example, as printed there (imports and all), with the runtime on the class path. */
  @Test
  void theReadmeExampleCompiles() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("### Bulk methods");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    String example = readme.substring(start, readme.indexOf("```", start));
    assertThat(compile(JavaFileObjects.forSourceString("Catalog", example))).succeededWithoutWarnings();
  }

  @Test
  void returnsAnOptionalMap() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          Optional<Map<Long, String>> names(Set<Long> ids);
        }
        """, 3,
        "[Redwire/BulkReturn] a bulk @Cached method returns a Map<K, V> of the ids it was given;"
            + " Catalog.names(Set<Long>) returns Optional<Map<Long,String>>. Declare the return type as"
            + " java.util.Map<K, V>, without Optional, a future, a wildcard or a map class.");
  }

  @Test
  void returnsAMapClass() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          HashMap<Long, String> names(Set<Long> ids);
        }
        """, 3,
        "[Redwire/BulkReturn] a bulk @Cached method returns a Map<K, V> of the ids it was given;"
            + " Catalog.names(Set<Long>) returns HashMap<Long,String>.");
  }

  @Test
  void takesAWildcardCollection() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          Map<Long, String> names(
              Set<? extends Long> ids);
        }
        """, 4,
        "[Redwire/BulkParameter] a bulk @Cached method takes its ids as a Set<K>, List<K> or Collection<K>"
            + " of one key type; Catalog.names(Set<? extends Long>) takes Set<? extends Long>. Name the id"
            + " type, e.g. Set<Long>, without a wildcard.");
  }

  @Test
  void mapKeyedByAnotherType() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          Map<String, String> names(Set<Long> ids);
        }
        """, 3,
        "[Redwire/BulkKeyType] a bulk @Cached method returns a map keyed by the ids it takes;"
            + " Catalog.names(Set<Long>) takes ids of type Long and returns a map keyed by String. Use the"
            + " same type for both.");
  }

  @Test
  void idTypeIsNotAKeyPart() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          record Filter(String text) {}
          @Cached(ttl = "10m")
          Map<Filter, String> names(Set<Filter> filters);
        }
        """, 3,
        "[Redwire/KeyPartType] key parts must be primitives, boxes, strings, enums, UUID, BigInteger,"
            + " BigDecimal or java.time values; {filters} is a Catalog.Filter. Name one of its components"
            + " instead, e.g. {filters.id}.");
  }

  @Test
  void valueWithoutCodec() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          Map<String, java.io.File> files(Set<String> paths);
        }
        """, 2, "[Redwire/NoCodec] stored values need a codec Redwire can generate or a codec named with"
            + " @UseCodec; java.io.File is a class;");
  }

  @Test
  void keyNamesTheCollectionNotAnElement() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{id}")
          Map<Long, String> names(Set<Long> ids);
        }
        """, 2,
        "[Redwire/KeyUnknownName] key placeholders name parameters; {id} names 'id', which parameters of"
            + " names() does not have. Did you mean {ids}?");
  }

  @Test
  void keyWithoutPlaceholders() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m",
              key = "all")
          Map<Long, String> names(Set<Long> ids);
        }
        """, 3,
        "[Redwire/BulkKey] in a bulk @Cached method each placeholder of the key stands for one id of {ids};"
            + " \"all\" names none, so every id would share one entry. Write a key such as \"{ids}\", or"
            + " name a component of the id such as \"{ids.id}\".");
  }

  @Test
  void backgroundRefresh() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m",
              refresh = Cached.Refresh.BACKGROUND)
          Map<Long, String> names(Set<Long> ids);
        }
        """, 3,
        "[Redwire/BulkRefresh] a bulk @Cached method loads the entries XFetch picks together with its"
            + " misses (refresh = EARLY) or lets them expire (NONE); Catalog.names(Set<Long>) asks for"
            + " refresh = BACKGROUND, which needs a loader per entry. Use refresh = EARLY or NONE.");
  }

  @Test
  void sharedCacheWithOtherSettings() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", name = "names")
          String name(long id);
          @Cached(ttl = "5m", jitter = 10,
              name = "names")
          Map<Long, String> names(Set<Long> ids);
        }
        """, 5,
        "[Redwire/BulkShare] a bulk method and the methods it shares a cache with read and write the same"
            + " entries, so they must agree on its value type, key and settings; \"names\" is also the cache"
            + " of Catalog.name(long), and they differ in ttl (300000 ms vs 600000 ms), jitter (10 vs 0)."
            + " Make them agree, or give one of them another name.");
  }

  @Test
  void sharedCacheWithAnotherNearSize() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", name = "names", near = 100)
          String name(long id);
          @Cached(ttl = "10m", name = "names")
          Map<Long, String> names(Set<Long> ids);
        }
        """, 4,
        "[Redwire/BulkShare] a bulk method and the methods it shares a cache with read and write the same"
            + " entries, so they must agree on its value type, key and settings; \"names\" is also the cache"
            + " of Catalog.name(long), and they differ in near (0 vs 100)."
            + " Make them agree, or give one of them another name.");
  }

  @Test
  void sharedCacheWithAnotherValueType() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", name = "names")
          String name(long id);
          @Cached(ttl = "10m", name = "names")
          Map<Long, Integer> names(Set<Long> ids);
        }
        """, 4,
        "[Redwire/BulkShare] a bulk method and the methods it shares a cache with read and write the same"
            + " entries, so they must agree on its value type, key and settings; \"names\" is also the cache"
            + " of Catalog.name(long), and they differ in value type (java.lang.Integer vs java.lang.String).");
  }

  @Test
  void twoSingleKeyMethodsStillMayNotShareAName() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", name = "names")
          String name(long id);
          @Cached(ttl = "10m", name = "names")
          String other(long id);
        }
        """, 4, "[Redwire/CacheNameDuplicate] cache names must be unique in an interface;");
  }
}
