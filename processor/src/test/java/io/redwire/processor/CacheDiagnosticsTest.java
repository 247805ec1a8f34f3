package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.HEADER_LINES;
import static io.redwire.processor.Sources.assertOnlyError;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic: the tag, the whole text, and the line it points at. Lines are counted in
 * the test body: line n of the text block is line {@code HEADER_LINES + n} of the file.
 */
class CacheDiagnosticsTest {

  @Test
  void cachedOnAClassMethod() {
    assertOnlyError("Catalog", """
        public abstract class Catalog {
          @Cached(ttl = "10m")
          public abstract String name(long id);
        }
        """, 3,
        "[Redwire/NotOnInterface] @Cached applies to methods of interfaces; Catalog.name(long) is declared"
            + " in class Catalog. Move the method to an interface and implement it in the class you wrap.");
  }

  @Test
  void cachedOnAStaticMethod() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          static String name(long id) { return ""; }
        }
        """, 3,
        "[Redwire/MethodNotOverridable] @Cached needs a method the generated class can implement;"
            + " Catalog.name(long) is static. Make it an abstract or default interface method.");
  }

  @Test
  void cachedVoid() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          void clear();
        }
        """, 2,
        "[Redwire/CachedVoid] @Cached methods must return a value; Catalog.clear() returns void. Remove"
            + " @Cached or return the value to cache.");
  }

  @Test
  void cachedFutureOfVoid() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          CompletableFuture<Void> warm();
        }
        """, 2, "[Redwire/CachedVoid] @Cached methods must return a value; Catalog.warm() returns");
  }

  @Test
  void ttlMissing() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(key = "{id}")
          String name(long id);
        }
        """, 2,
        "[Redwire/DurationMissing] @Cached needs ttl; Catalog.name(long) leaves it empty. Write a duration"
            + " such as ttl = \"10m\".");
  }

  @Test
  void ttlMalformed() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(
              ttl = "10 minutes")
          String name(long id);
        }
        """, 3,
        "[Redwire/Duration] @Cached(ttl) must be a positive duration; found \"10 minutes\". Use a number"
            + " with ms, s, m, h or d (\"250ms\", \"30s\", \"10m\", \"2h\", \"1d\") or ISO-8601 such as"
            + " \"PT10M\".");
  }

  @Test
  void ttlZero() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "0s")
          String name(long id);
        }
        """, 2, "[Redwire/Duration] @Cached(ttl) must be a positive duration; found \"0s\".");
  }

  @Test
  void ttlTooLarge() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "99999999999999d")
          String name(long id);
        }
        """, 2, "[Redwire/DurationTooLarge] @Cached(ttl) can be at most \"36500d\" (100 years);"
            + " \"99999999999999d\" is too large (it overflows a 64-bit count of milliseconds). Use a shorter"
            + " duration.");
  }

  @Test
  void ttlLongerThanTheMaximum() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "36501d")
          String name(long id);
        }
        """, 2, "[Redwire/DurationTooLarge] @Cached(ttl) can be at most \"36500d\" (100 years); \"36501d\" is"
            + " too large. Use a shorter duration.");
  }

  @Test
  void nullTtlMalformed() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "PT10M", nulls = true, nullTtl = "1x")
          String name(long id);
        }
        """, 2, "[Redwire/Duration] @Cached(nullTtl) must be a positive duration; found \"1x\".");
  }

  @Test
  void unknownParameterSuggestsTheClosest() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{ide}")
          String name(long id, String locale);
        }
        """, 2,
        "[Redwire/KeyUnknownName] key placeholders name parameters; {ide} names 'ide', which parameters of"
            + " name() does not have. Did you mean {id}?");
  }

  @Test
  void unknownParameterListsTheChoicesWhenNothingIsClose() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{customer}")
          String name(long id, String locale);
        }
        """, 2, "which parameters of name() does not have. Use one of: id, locale.");
  }

  @Test
  void unknownComponentSuggestsTheClosest() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          record User(String name, long id) {}
          @Cached(ttl = "10m", key = "{user.nmae}")
          String greeting(User user);
        }
        """, 3,
        "[Redwire/KeyUnknownName] key placeholders name record components or no-arg accessors;"
            + " {user.nmae} names 'nmae', which type Catalog.User does not have. Did you mean {user.name}?");
  }

  @Test
  void keySyntax() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "product:{id")
          String name(long id);
        }
        """, 2,
        "[Redwire/KeySyntax] key templates are text with {name} or {name.component} placeholders;"
            + " \"product:{id\" has an unclosed '{' at position 9. Fix the template.");
  }

  @Test
  void keyBraceInText() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{id}}")
          String name(long id);
        }
        """, 2, "[Redwire/KeySyntax] key templates are text with {name} or {name.component} placeholders;"
            + " \"{id}}\" has an unmatched '}' at position 5. Fix the template.");
  }

  @Test
  void adjacentPlaceholders() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{a}-{b}")
          String name(String a, String b);
        }
        """, 2,
        "[Redwire/KeyAdjacent] two key placeholders must be separated by text containing ':' so no two"
            + " argument tuples share a key; \"{a}-{b}\" separates {a} and {b} by \"-\", which has no ':'."
            + " Write \"{a}:{b}\".");
  }

  @Test
  void adjacentPlaceholdersWithNothingBetween() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "v{a}{b}")
          String name(String a, String b);
        }
        """, 2,
        "[Redwire/KeyAdjacent] two key placeholders must be separated by text containing ':' so no two"
            + " argument tuples share a key; \"v{a}{b}\" has nothing between {a} and {b}."
            + " Write \"v{a}:{b}\".");
  }

  @Test
  void adjacentPlaceholdersSeparatedByAWord() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{a}v{b}")
          String name(String a, int b);
        }
        """, 2,
        "[Redwire/KeyAdjacent] two key placeholders must be separated by text containing ':' so no two"
            + " argument tuples share a key; \"{a}v{b}\" separates {a} and {b} by \"v\", which has no ':'."
            + " Write \"{a}:v{b}\".");
  }

  @Test
  void keyPartType() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          record Filter(String text) {}
          @Cached(ttl = "10m", key = "{filter}")
          String names(Filter filter);
        }
        """, 3,
        "[Redwire/KeyPartType] key parts must be primitives, boxes, strings, enums, UUID, BigInteger,"
            + " BigDecimal or java.time values; {filter} is a Catalog.Filter. Name one of its components"
            + " instead, e.g. {filter.id}.");
  }

  @Test
  void collectionInTheDefaultKey() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          String names(String tenant, List<Long> ids, int page);
        }
        """, 2,
        "[Redwire/KeyPartType] key parts must be primitives, boxes, strings, enums, UUID, BigInteger,"
            + " BigDecimal or java.time values, and collections, arrays and maps cannot be key parts; the"
            + " default key uses every parameter, and {ids} is a List<Long>. Write a key that names scalar"
            + " parameters only, e.g. key = \"{tenant}:{page}\".");
  }

  @Test
  void collectionInAKey() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{ids}")
          String names(Set<Long> ids);
        }
        """, 2,
        "[Redwire/KeyPartType] key parts must be primitives, boxes, strings, enums, UUID, BigInteger,"
            + " BigDecimal or java.time values, and collections, arrays and maps cannot be key parts; {ids}"
            + " is a Set<Long>. Give the method a scalar parameter to key by (one id rather than many), or"
            + " write a key that names no collection.");
  }

  @Test
  void defaultKeyChecksEveryParameter() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          String names(long id, Object filter);
        }
        """, 2, "[Redwire/KeyPartType] key parts must be primitives, boxes, strings, enums, UUID,"
            + " BigInteger, BigDecimal or java.time values; {filter} is a Object.");
  }

  @Test
  void noCodec() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          java.io.File file(String path);
        }
        """, 2, "[Redwire/NoCodec] stored values need a codec Redwire can generate or a codec named with"
            + " @UseCodec; java.io.File is a class; Redwire encodes records, enums, sealed interfaces of"
            + " records and the built-in value types by itself; annotate the type (or the method) with"
            + " @UseCodec(YourCodec.class) or store a record (at java.io.File).");
  }

  @Test
  void noCodecForACodecOfAnotherType() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          final class Text implements io.redwire.runtime.codec.Codec<String> {
            public void write(io.redwire.runtime.codec.Output out, String v) {}
            public String read(io.redwire.runtime.codec.Input in) { return ""; }
          }
          @Cached(ttl = "10m") @UseCodec(Text.class)
          Long count(String path);
        }
        """, 6, "[Redwire/NoCodec] stored values need a codec Redwire can generate or a codec named with"
            + " @UseCodec; codec test.Catalog.Text (@UseCodec on Catalog.count()) implements"
            + " Codec<java.lang.String>, but it is used for java.lang.Long; it must implement"
            + " Codec<java.lang.Long> (at java.lang.Long).");
  }

  @Test
  void noCodecForACodecWithoutConstructor() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          final class Text implements io.redwire.runtime.codec.Codec<String> {
            private Text() {}
            public void write(io.redwire.runtime.codec.Output out, String v) {}
            public String read(io.redwire.runtime.codec.Input in) { return ""; }
          }
          @Cached(ttl = "10m") @UseCodec(Text.class)
          String name(String path);
        }
        """, 7, "[Redwire/NoCodec] stored values need a codec Redwire can generate or a codec named with"
            + " @UseCodec; codec test.Catalog.Text (@UseCodec on Catalog.name()) has neither a public"
            + " no-argument constructor nor a public static final INSTANCE field of its own type; add one of"
            + " them (at java.lang.String).");
  }

  @Test
  void privateRecordIsReportedByJavacAlone() {
    JavaFileObject holder = Sources.source("Holder", """
        public final class Holder {
          private record Secret(int x) {}
        }
        """);
    JavaFileObject catalog = Sources.source("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          Holder.Secret secret(long id);
        }
        """);
    Compilation c = Sources.compile(holder, catalog);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("Secret has private access in test.Holder").inFile(catalog)
        .onLine(Sources.HEADER_LINES + 3);
  }

  @Test
  void privateRecordInTheSameClassIsRedwiresOnlyError() {
    assertOnlyError("Holder", """
        public final class Holder {
          private record Secret(int x) {}
          public interface Catalog {
            @Cached(ttl = "10m")
            Secret secret(long id);
          }
        }
        """, 4, "[Redwire/NoCodec] stored values need a codec Redwire can generate or a codec named with"
            + " @UseCodec; Holder.Secret is private, so generated code cannot reach it; make it"
            + " package-private or public (at test.Holder.Secret).");
  }

  @Test
  void jitterOutOfRange() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", jitter = 150)
          String name(long id);
        }
        """, 2,
        "[Redwire/Jitter] @Cached(jitter) is a percentage from 0 to 100; found 150. Use a value such as 10.");
  }

  @Test
  void nullTtlWithoutNulls() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", nullTtl = "1m")
          String name(long id);
        }
        """, 2,
        "[Redwire/NullTtlWithoutNulls] @Cached(nullTtl) applies only to cached nulls; this method has"
            + " nulls = false. Add nulls = true or remove nullTtl.");
  }

  @Test
  void nullsOnPrimitive() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", nulls = true)
          long count(String sku);
        }
        """, 2,
        "[Redwire/NullsOnPrimitive] @Cached(nulls = true) caches null results; Catalog.count(String)"
            + " returns long, which is never null. Remove nulls.");
  }

  @Test
  void invalidName() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", name = "my cache")
          String name(long id);
        }
        """, 2,
        "[Redwire/Name] @Cached names may hold letters, digits, '.', '_' and '-'; found \"my cache\"."
            + " Rename it.");
  }

  @Test
  void duplicateCacheName() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", name = "product")
          String name(long id);
          @Cached(ttl = "10m", name = "product")
          String title(long id);
        }
        """, 4,
        "[Redwire/CacheNameDuplicate] cache names must be unique in an interface; \"product\" is also the"
            + " cache of Catalog.name(long). Give one of them another name.");
  }

  @Test
  void evictNamesUnknownCache() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{id}")
          String product(long id);
          @CacheEvict(name = "prodct", key = "{id}")
          void save(long id);
        }
        """, 4,
        "[Redwire/CacheNameUnknown] @CacheEvict must name a @Cached method's cache in the same interface;"
            + " there is no cache \"prodct\". Did you mean \"product\"?");
  }

  @Test
  void putWithoutName() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{id}")
          String product(long id);
          @CachePut(key = "{id}")
          String save(long id);
        }
        """, 4,
        "[Redwire/CacheNameMissing] @CachePut must name the cache it writes; Catalog.save(long) leaves"
            + " name empty. Write name = \"<the @Cached name>\".");
  }

  @Test
  void evictKeyOfAnotherShape() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{id}:{locale}")
          String product(long id, String locale);
          @CacheEvict(name = "product", key = "{id}")
          void save(long id);
        }
        """, 4,
        "[Redwire/KeyShape] @CacheEvict must address the keys of cache \"Catalog.product\", whose key is"
            + " \"<integer>:<String>\"; this key is \"<integer>\". Write a key with the same text and part"
            + " types.");
  }

  @Test
  void evictWithoutParametersSuggestsAll() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          String item(long id);
          @CacheEvict(name = "item")
          void clear();
        }
        """, 4,
        "[Redwire/KeyShape] @CacheEvict must address the keys of cache \"Catalog.item\", whose key is"
            + " \"<integer>\"; Catalog.clear() has no parameters to build such a key from. Write all = true"
            + " to clear the whole cache, or give the method the key's parameters.");
  }

  @Test
  void writesNameADefaultNamedCacheByMethodOrFullName() {
    Compilation c = compile(source("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m", key = "{id}")
          String product(long id);
          @Cached(ttl = "10m", name = "product", key = "{sku}")
          String bySku(String sku);
          @CacheEvict(name = "Catalog.product", key = "{id}")
          void delete(long id);
          @CacheEvict(name = "product", key = "{sku}")
          void deleteSku(String sku);
          @CachePut(name = "Catalog.product", key = "{id}")
          String save(long id);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.RedwireCatalog").contentsAsUtf8String()
        .contains("redwire.claim(\"cache\", \"Catalog.product\", \"test.Catalog\"");
    assertThat(c).generatedSourceFile("test.RedwireCatalog").contentsAsUtf8String()
        .contains("redwire.claim(\"cache\", \"product\", \"test.Catalog\"");
  }

  @Test
  void evictAllWithKey() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          String product(long id);
          @CacheEvict(name = "product", all = true, key = "{id}")
          void clear(long id);
        }
        """, 4,
        "[Redwire/EvictAllWithKey] @CacheEvict(all = true) clears the whole cache and takes no key; found"
            + " key = \"{id}\". Remove the key or all = true.");
  }

  @Test
  void putOnVoid() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          String product(long id);
          @CachePut(name = "product")
          void save(long id);
        }
        """, 4,
        "[Redwire/CachePutVoid] @CachePut stores the method's result; Catalog.save(long) returns void."
            + " Return the value to store or use @CacheEvict.");
  }

  @Test
  void putOfAnotherType() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          String product(long id);
          @CachePut(name = "product")
          Long save(long id);
        }
        """, 4,
        "[Redwire/CachePutType] @CachePut must return the value type of cache \"Catalog.product\""
            + " (java.lang.String); Catalog.save(long) returns java.lang.Long. Return java.lang.String.");
  }

  @Test
  void cachedAndEvictOnOneMethod() {
    assertOnlyError("Catalog", """
        public interface Catalog {
          @Cached(ttl = "10m")
          String product(long id);
          @Cached(ttl = "10m")
          @CacheEvict(name = "product")
          String other(long id);
        }
        """, 5,
        "[Redwire/Conflict] a method is either read through a cache or writes one; Catalog.other(long)"
            + " has both @Cached and @CacheEvict. Keep one.");
  }

  @Test
  void privateNestedInterface() {
    assertOnlyError("Outer", """
        public class Outer {
          private interface Catalog {
            @Cached(ttl = "10m")
            String product(long id);
          }
        }
        """, 2,
        "[Redwire/InterfaceNotAccessible] the generated class must implement test.Outer.Catalog from its"
            + " package; it is private. Make the interface public or package-private and top-level or"
            + " static-nested.");
  }

  @Test
  void everyErrorIsReported() {
    JavaFileObject file = source("Catalog", """
        public interface Catalog {
          @Cached(ttl = "forever")
          String a(long id);
          @Cached(ttl = "10m", key = "{idd}")
          String b(long id);
          @Cached(ttl = "10m")
          void c();
        }
        """);
    Compilation c = compile(file);
    assertThat(c).hadErrorCount(3);
    assertThat(c).hadErrorContaining("[Redwire/Duration]").inFile(file).onLine(HEADER_LINES + 2);
    assertThat(c).hadErrorContaining("[Redwire/KeyUnknownName]").inFile(file).onLine(HEADER_LINES + 4);
    assertThat(c).hadErrorContaining("[Redwire/CachedVoid]").inFile(file).onLine(HEADER_LINES + 6);
  }
}
