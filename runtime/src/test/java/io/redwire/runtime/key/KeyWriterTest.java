package io.redwire.runtime.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class KeyWriterTest {

  private static final byte[] PREFIX = "app:c:product:".getBytes(UTF_8);
  private static final byte[] COLON = ":".getBytes(UTF_8);
  private static final byte[] LEASE = ":lease".getBytes(UTF_8);

  enum Kind { BOOK, E_BOOK }

  private static String s(byte[] key) {
    return new String(key, UTF_8);
  }

  private static byte[] twoParts(String a, String b) {
    return KeyWriter.begin(PREFIX).part(a).literal(COLON).part(b).end();
  }

  // ---------------------------------------------------------------- format

  @Test
  void escapesSeparatorsBracesPercentAndNull() {
    assertEquals("app:c:product:{a%3Ab%7Bc%7D%25d:%N}:lease",
        s(KeyWriter.begin(PREFIX).part("a:b{c}%d").literal(COLON).part((String) null).end(LEASE)));
    assertEquals("app:c:product:{%25N:%N}", s(twoParts("%N", null)));
    assertEquals("app:c:product:{:~\\N}", s(twoParts("", "~\\N")));
  }

  @Test
  void unicodeIsUtf8AndLoneSurrogatesArePercentEscaped() {
    assertArrayEquals(("app:c:product:{é日😀e\u0301:\0}").getBytes(UTF_8), twoParts("é日😀e\u0301", "\0"));
    assertEquals("app:c:product:{%ED%A0%80x%ED%B0%80:%ED%A0%BD}", s(twoParts("\uD800x\uDC00", "\uD83D")));
    // the key is always valid UTF-8, lone surrogates included
    byte[] key = twoParts("\uDFFF\uD800", "a\uD83D\uDE00\uD83D");
    assertEquals(s(key), new String(key, UTF_8));
    assertArrayEquals(key, s(key).getBytes(UTF_8));
  }

  @Test
  void numbersBooleansCharsAndEnums() {
    byte[] key = KeyWriter.begin(PREFIX).part(Long.MIN_VALUE).part(Long.MAX_VALUE).part(0L).part(-7)
        .part(Integer.MIN_VALUE).part((short) -300).part((byte) -128).end();
    assertEquals("app:c:product:{-9223372036854775808:9223372036854775807:0:-7:-2147483648:-300:-128}", s(key));
    key = KeyWriter.begin(PREFIX).part(-0.0).part(0.0).part(Double.NaN).part(Double.NEGATIVE_INFINITY)
        .part(1e300).part(Float.MIN_VALUE).part(1.5f).end();
    assertEquals("app:c:product:{-0.0:0.0:NaN:-Infinity:1.0E300:1.4E-45:1.5}", s(key));
    key = KeyWriter.begin(PREFIX).part(true).part(false).part(':').part('%').part('x').part('\uD800')
        .part(Kind.E_BOOK).part((Enum<?>) null).end();
    assertEquals("app:c:product:{true:false:%3A:%25:x:%ED%A0%80:E_BOOK:%N}", s(key));
  }

  @Test
  void objectsUseTheirOverloadOrToString() {
    UUID uuid = new UUID(1, 2);
    byte[] key = KeyWriter.begin(PREFIX).part((Object) 42L).part((Object) 42).part((Object) 'c')
        .part((Object) Boolean.TRUE).part((Object) 2.5).part((Object) 2.5f).part((Object) Kind.BOOK)
        .part((Object) "s:t").part((Object) null).part(uuid).part(new BigDecimal("1.50"))
        .part(LocalDate.of(2024, 2, 29)).part(new StringBuilder("sb{}")).end();
    assertEquals("app:c:product:{42:42:c:true:2.5:2.5:BOOK:s%3At:%N:" + uuid + ":1.50:2024-02-29:sb%7B%7D}",
        s(key));
    Object nullToString = new Object() {
      @Override
      public String toString() {
        return null;
      }
    };
    assertThrows(IllegalArgumentException.class, () -> KeyWriter.begin(PREFIX).part(nullToString));
  }

  @Test
  void literalsSuffixesAndAutomaticSeparators() {
    assertEquals("app:c:product:{7:v3}:lease", s(KeyWriter.begin(PREFIX).part(7).literal(":v".getBytes(UTF_8))
        .part(3).end(LEASE)));
    // a literal without ':' between parts is not enough to separate them: ':' is added
    assertEquals("app:c:product:{ax:b}", s(KeyWriter.begin(PREFIX).part("a").literal("x".getBytes(UTF_8))
        .part("b").end()));
    assertArrayEquals(twoParts("a", "b"), KeyWriter.begin(PREFIX).part("a").part("b").end());
    assertEquals("app:c:product:{v1}", s(KeyWriter.begin(PREFIX).literal("v".getBytes(UTF_8)).part(1).end()));
  }

  @Test
  void anEmptyHashTagGetsAMarker() {
    assertEquals("app:c:product:{%_}", s(KeyWriter.begin(PREFIX).end()));
    assertEquals("app:c:product:{%_}:lease", s(KeyWriter.begin(PREFIX).part("").end(LEASE)));
    assertEquals("app:c:product:{_}", s(KeyWriter.begin(PREFIX).part("_").end()));
  }

  @Test
  void bracesInPrefixOrLiteralAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> KeyWriter.begin("a{b:".getBytes(UTF_8)));
    assertThrows(IllegalArgumentException.class,
        () -> KeyWriter.begin(PREFIX).literal("}".getBytes(UTF_8)));
  }

  @Test
  void returnsFreshExactCopies() {
    byte[] first = twoParts("a", "b");
    byte[] second = twoParts("a", "b");
    assertNotSame(first, second);
    first[0] = 'X';
    assertEquals("app:c:product:{a:b}", s(twoParts("a", "b")));
    assertEquals("app:c:product:{a:b}", s(second));
  }

  @Test
  void abandonedChainsAreReset() {
    KeyWriter.begin(PREFIX).part("abandoned").literal(COLON).part(99);
    assertEquals("other:{x}", s(KeyWriter.begin("other:".getBytes(UTF_8)).part("x").end()));
    KeyWriter.begin(PREFIX).part("a");
    // the automatic separator state is reset too
    assertEquals("app:c:product:{b}", s(KeyWriter.begin(PREFIX).part("b").end()));
  }

  @Test
  void aKeyBuiltInsideToStringDoesNotCorruptTheOuterKey() {
    List<String> inner = new ArrayList<>();
    Object part = new Object() {
      @Override
      public String toString() {
        inner.add(s(KeyWriter.begin("inner:".getBytes(UTF_8)).part("i:j").end()));
        return "outer";
      }
    };
    byte[] key = KeyWriter.begin(PREFIX).part("a").part(part).part(1).end(LEASE);
    assertEquals("app:c:product:{a:outer:1}:lease", s(key));
    assertEquals(List.of("inner:{i%3Aj}"), inner);
    assertEquals("app:c:product:{a:b}", s(twoParts("a", "b")));
  }

  /** A record whose accessor builds a key of its own, as {@code {user.id}} does when id() calls a proxy. */
  record User(String name) {
    String id() {
      byte[] inner = KeyWriter.begin("app:c:ids:".getBytes(UTF_8)).part(name).literal(COLON).part(7).end();
      return "id-" + s(inner).length();
    }
  }

  @Test
  void aKeyBuiltWhileAPartIsEvaluatedDoesNotCorruptTheOuterKey() {
    // the statement shape generated code uses: begin, then evaluate each part, then end
    User user = new User("ann");
    KeyWriter outer = KeyWriter.begin(PREFIX);
    outer.part("a");
    outer.literal(COLON);
    outer.part(user.id()); // builds "app:c:ids:{ann:7}" on this thread meanwhile
    outer.part(5L);
    byte[] key = outer.end(LEASE);
    assertEquals("app:c:product:{a:id-17:5}:lease", s(key));
    assertEquals("app:c:product:{a:b}", s(twoParts("a", "b")));
  }

  @Test
  void nestingThreeDeepKeepsEveryLevel() {
    KeyWriter l0 = KeyWriter.begin("l0:".getBytes(UTF_8)).part("x");
    KeyWriter l1 = KeyWriter.begin("l1:".getBytes(UTF_8)).part("y");
    byte[] k2 = KeyWriter.begin("l2:".getBytes(UTF_8)).part("z").end();
    byte[] k1 = l1.part(s(k2).length()).end();
    byte[] k0 = l0.part(s(k1).length()).end();
    assertEquals("l2:{z}", s(k2));
    assertEquals("l1:{y:6}", s(k1));
    assertEquals("l0:{x:8}", s(k0));
  }

  @Test
  void abandonedNestedChainsNeverExhaustTheWritersNorAllocate() {
    // an accessor that throws after starting its own key, many times: the outer key still works, and
    // the writers are reused (begin returns one of a fixed set)
    java.util.Set<KeyWriter> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int i = 0; i < 1000; i++) {
      KeyWriter outer = KeyWriter.begin(PREFIX).part("o");
      seen.add(outer);
      seen.add(KeyWriter.begin("abandoned:".getBytes(UTF_8)).part(i)); // never ended
      assertEquals("app:c:product:{o:" + i + "}", s(outer.part(i).end()));
      if (i % 3 == 0) {
        seen.add(KeyWriter.begin(PREFIX).part("top-level, abandoned"));
      }
    }
    assertTrue(seen.size() <= 8, seen.size() + " writers");
    assertEquals("app:c:product:{a:b}", s(twoParts("a", "b")));
  }

  @Test
  void hugePartsRoundTripAndLaterKeysAreUnaffected() {
    String big = ":{}%é\uD800".repeat(20_000);
    byte[] key = twoParts(big, "z");
    assertEquals(big, decodeParts(key, PREFIX.length).get(0));
    assertEquals("app:c:product:{a:b}", s(twoParts("a", "b")));
  }

  // ---------------------------------------------------------------- properties

  private static final String[] ATOMS = {":", "{", "}", "%", "N", "%N", "%25", "%3A", "~", "\\", "a", "",
      "é", "日", "😀", "\uD800", "\uDC00", "\0", " ", "_", "%_", "7", "B"};

  private static String randomString(Random random) {
    if (random.nextInt(12) == 0) {
      return null;
    }
    int n = random.nextInt(5);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(ATOMS[random.nextInt(ATOMS.length)]);
    }
    return sb.toString();
  }

  @Test
  void distinctTuplesGiveDistinctKeysWithOnlyTheOuterBraces() {
    long seed = 20240607L;
    Random random = new Random(seed);
    Map<String, List<String>> seen = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      String a = randomString(random);
      String b = randomString(random);
      List<String> tuple = Arrays.asList(a, b);
      byte[] key = twoParts(a, b);
      String k = s(key);
      List<String> previous = seen.putIfAbsent(k, tuple);
      if (previous != null && !previous.equals(tuple)) {
        throw new AssertionError("seed " + seed + ": " + previous + " and " + tuple + " both give " + k);
      }
      assertArrayEquals(key, twoParts(a, b), () -> "same tuple, other bytes: " + tuple);
      checkBraces(key, PREFIX.length, "seed " + seed + " tuple " + tuple);
      // stronger than no collisions: the tuple can be read back from the key
      assertEquals(tuple, decodeParts(key, PREFIX.length), () -> "seed " + seed + " key " + k);
    }
    assertTrue(seen.size() > 100_000, "too few distinct tuples: " + seen.size());
  }

  @Test
  void distinctMixedTuplesGiveDistinctKeys() {
    long seed = 77L;
    Random random = new Random(seed);
    Map<String, List<Object>> seen = new HashMap<>();
    byte[] suffix = ":v".getBytes(UTF_8);
    for (int i = 0; i < 100_000; i++) {
      String a = randomString(random);
      Long b = random.nextInt(10) == 0 ? null : (long) (random.nextInt(41) - 20);
      String c = randomString(random);
      // adjacent parts rely on the automatic separator; a literal without ':' is followed by one
      byte[] key = KeyWriter.begin(PREFIX).part(a).part((Object) b).literal(suffix).part(c).end(LEASE);
      List<Object> tuple = Arrays.asList(a, b, c);
      List<Object> previous = seen.putIfAbsent(s(key), tuple);
      if (previous != null && !previous.equals(tuple)) {
        throw new AssertionError("seed " + seed + ": " + previous + " and " + tuple + " both give " + s(key));
      }
      checkBraces(key, PREFIX.length, "seed " + seed + " tuple " + tuple);
    }
  }

  /** The only braces are the one after the prefix and the last one before the suffix. */
  private static void checkBraces(byte[] key, int open, String context) {
    int braces = 0;
    for (int i = 0; i < key.length; i++) {
      if (key[i] == '{' || key[i] == '}') {
        braces++;
        if (!(i == open && key[i] == '{') && key[i] != '}') {
          throw new AssertionError(context + ": stray brace at " + i + " in " + s(key));
        }
      }
    }
    assertEquals(2, braces, context);
    assertEquals('{', key[open], context);
    int close = s(key).lastIndexOf('}');
    assertTrue(close > open + 1, context + ": empty hash tag in " + s(key));
  }

  /** Reference decoder: splits the hash tag at ':' and unescapes each part. */
  static List<String> decodeParts(byte[] key, int open) {
    int close = open + 1;
    while (key[close] != '}') {
      close++;
    }
    List<String> parts = new ArrayList<>();
    int start = open + 1;
    for (int i = start; i <= close; i++) {
      if (i == close || key[i] == ':') {
        parts.add(unescape(key, start, i));
        start = i + 1;
      }
    }
    return parts;
  }

  private static String unescape(byte[] key, int from, int to) {
    if (to - from == 2 && key[from] == '%' && key[from + 1] == 'N') {
      return null;
    }
    if (to - from == 2 && key[from] == '%' && key[from + 1] == '_') {
      return "";
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      if (key[i] == '%') {
        bytes.write(Integer.parseInt(new String(key, i + 1, 2, UTF_8), 16));
        i += 2;
      } else {
        bytes.write(key[i]);
      }
    }
    // WTF-8: decode with the codec's string reader, which accepts lone surrogates
    byte[] b = bytes.toByteArray();
    io.redwire.runtime.codec.Output out = new io.redwire.runtime.codec.Output();
    out.writeBytes(b);
    return new io.redwire.runtime.codec.Input(out.toByteArray()).readString();
  }

  // ---------------------------------------------------------------- threads

  @Test
  void threadsBuildKeysConcurrently() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = 1000 + t;
        Callable<Integer> task = () -> {
          go.await();
          Random random = new Random(seed);
          for (int i = 0; i < 30_000; i++) {
            String a = randomString(random);
            long n = random.nextLong();
            byte[] key = KeyWriter.begin(PREFIX).part(a).literal(COLON).part(n).end(LEASE);
            String expected = "app:c:product:{" + reference(a) + ":" + n + "}:lease";
            if (!expected.equals(s(key))) {
              throw new AssertionError("seed " + seed + ": expected " + expected + " got " + s(key));
            }
          }
          return 30_000;
        };
        results.add(pool.submit(task));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertEquals(threads * 30_000, total);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Reference escaping with plain string operations. */
  private static String reference(String a) {
    if (a == null) {
      return "%N";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.length(); i++) {
      char c = a.charAt(i);
      if (c == '%') {
        sb.append("%25");
      } else if (c == ':') {
        sb.append("%3A");
      } else if (c == '{') {
        sb.append("%7B");
      } else if (c == '}') {
        sb.append("%7D");
      } else if (Character.isHighSurrogate(c) && i + 1 < a.length() && Character.isLowSurrogate(a.charAt(i + 1))) {
        sb.append(c).append(a.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append(String.format("%%%02X%%%02X%%%02X", 0xE0 | (c >>> 12), 0x80 | ((c >>> 6) & 0x3F),
            0x80 | (c & 0x3F)));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
