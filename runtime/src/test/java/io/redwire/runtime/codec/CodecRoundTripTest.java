package io.redwire.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodecRoundTripTest {

  private static final long FP = Fingerprint.of("test");

  enum Color { RED, GREEN, BLUE }

  /** Encodes with a header, decodes, checks equality and that re-encoding gives the same bytes. */
  static <T> T roundTrip(Codec<T> codec, T value) {
    byte[] bytes = Values.encode(FP, codec, value);
    T back = Values.decode(FP, codec, bytes);
    assertArrayEquals(bytes, Values.encode(FP, codec, back), () -> "re-encoding differs for " + codec);
    return back;
  }

  static <T> void assertRoundTrip(Codec<T> codec, T value) {
    T back = roundTrip(codec, value);
    assertTrue(java.util.Objects.deepEquals(value, back),
        () -> codec + ": expected " + value + " but got " + back);
  }

  static Stream<Arguments> scalars() {
    return Stream.of(
        Arguments.of(Codecs.BOOLEAN, true), Arguments.of(Codecs.BOOLEAN, false),
        Arguments.of(Codecs.BYTE, Byte.MIN_VALUE), Arguments.of(Codecs.BYTE, Byte.MAX_VALUE),
        Arguments.of(Codecs.BYTE, (byte) 0),
        Arguments.of(Codecs.SHORT, Short.MIN_VALUE), Arguments.of(Codecs.SHORT, Short.MAX_VALUE),
        Arguments.of(Codecs.CHAR, Character.MIN_VALUE), Arguments.of(Codecs.CHAR, Character.MAX_VALUE),
        Arguments.of(Codecs.CHAR, '\uD800'),
        Arguments.of(Codecs.INT, Integer.MIN_VALUE), Arguments.of(Codecs.INT, Integer.MAX_VALUE),
        Arguments.of(Codecs.INT, 0), Arguments.of(Codecs.INT, -1), Arguments.of(Codecs.INT, 64),
        Arguments.of(Codecs.INT, -65),
        Arguments.of(Codecs.LONG, Long.MIN_VALUE), Arguments.of(Codecs.LONG, Long.MAX_VALUE),
        Arguments.of(Codecs.LONG, 0L), Arguments.of(Codecs.LONG, -1L),
        Arguments.of(Codecs.LONG, (long) Integer.MIN_VALUE - 1),
        Arguments.of(Codecs.FLOAT, Float.MIN_VALUE), Arguments.of(Codecs.FLOAT, Float.MAX_VALUE),
        Arguments.of(Codecs.FLOAT, Float.NaN), Arguments.of(Codecs.FLOAT, -0.0f),
        Arguments.of(Codecs.FLOAT, Float.NEGATIVE_INFINITY), Arguments.of(Codecs.FLOAT, Float.MIN_NORMAL),
        Arguments.of(Codecs.DOUBLE, Double.MIN_VALUE), Arguments.of(Codecs.DOUBLE, Double.MAX_VALUE),
        Arguments.of(Codecs.DOUBLE, Double.NaN), Arguments.of(Codecs.DOUBLE, -0.0),
        Arguments.of(Codecs.DOUBLE, Double.POSITIVE_INFINITY),
        Arguments.of(Codecs.DOUBLE, Double.NEGATIVE_INFINITY),
        Arguments.of(Codecs.UUID, new UUID(Long.MIN_VALUE, -1L)),
        Arguments.of(Codecs.UUID, UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
        Arguments.of(Codecs.BIG_INTEGER, BigInteger.ZERO),
        Arguments.of(Codecs.BIG_INTEGER, BigInteger.valueOf(-128)),
        Arguments.of(Codecs.BIG_INTEGER, BigInteger.valueOf(128)),
        Arguments.of(Codecs.BIG_INTEGER, BigInteger.valueOf(255)),
        Arguments.of(Codecs.BIG_INTEGER, BigInteger.valueOf(-129)),
        Arguments.of(Codecs.BIG_INTEGER, BigInteger.TWO.pow(4000).negate().add(BigInteger.ONE)),
        Arguments.of(Codecs.BIG_DECIMAL, new BigDecimal("1.0")),
        Arguments.of(Codecs.BIG_DECIMAL, new BigDecimal("1.00")),
        Arguments.of(Codecs.BIG_DECIMAL, new BigDecimal("-1E+300")),
        Arguments.of(Codecs.BIG_DECIMAL, new BigDecimal(BigInteger.TEN, Integer.MIN_VALUE)),
        Arguments.of(Codecs.BIG_DECIMAL, new BigDecimal(BigInteger.TEN, Integer.MAX_VALUE)),
        Arguments.of(Codecs.BIG_DECIMAL, new BigDecimal("3." + "1415926535".repeat(200))),
        Arguments.of(Codecs.INSTANT, Instant.MIN), Arguments.of(Codecs.INSTANT, Instant.MAX),
        Arguments.of(Codecs.INSTANT, Instant.EPOCH),
        Arguments.of(Codecs.INSTANT, Instant.ofEpochSecond(-1, 999_999_999)),
        Arguments.of(Codecs.DURATION, Duration.ofSeconds(Long.MIN_VALUE)),
        Arguments.of(Codecs.DURATION, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)),
        Arguments.of(Codecs.DURATION, Duration.ZERO), Arguments.of(Codecs.DURATION, Duration.ofNanos(-1)),
        Arguments.of(Codecs.PERIOD, Period.of(Integer.MIN_VALUE, Integer.MAX_VALUE, -3)),
        Arguments.of(Codecs.PERIOD, Period.ZERO),
        Arguments.of(Codecs.LOCAL_DATE, LocalDate.MIN), Arguments.of(Codecs.LOCAL_DATE, LocalDate.MAX),
        Arguments.of(Codecs.LOCAL_DATE, LocalDate.of(2024, 2, 29)),
        Arguments.of(Codecs.LOCAL_TIME, LocalTime.MIN), Arguments.of(Codecs.LOCAL_TIME, LocalTime.MAX),
        Arguments.of(Codecs.LOCAL_DATE_TIME, LocalDateTime.MIN),
        Arguments.of(Codecs.LOCAL_DATE_TIME, LocalDateTime.MAX),
        Arguments.of(Codecs.OFFSET_TIME, OffsetTime.MIN), Arguments.of(Codecs.OFFSET_TIME, OffsetTime.MAX),
        Arguments.of(Codecs.OFFSET_DATE_TIME, OffsetDateTime.MIN),
        Arguments.of(Codecs.OFFSET_DATE_TIME, OffsetDateTime.MAX),
        Arguments.of(Codecs.ZONED_DATE_TIME,
            ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 5, ZoneId.of("Europe/Paris"))),
        // the later of two offsets in an overlap must survive
        Arguments.of(Codecs.ZONED_DATE_TIME,
            ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneId.of("Europe/Paris")).withLaterOffsetAtOverlap()),
        Arguments.of(Codecs.ZONED_DATE_TIME,
            ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneId.of("Europe/Paris")).withEarlierOffsetAtOverlap()),
        Arguments.of(Codecs.ZONED_DATE_TIME, ZonedDateTime.of(LocalDateTime.MAX, ZoneOffset.MIN)),
        Arguments.of(Codecs.ZONED_DATE_TIME, ZonedDateTime.of(LocalDateTime.MIN, ZoneOffset.MAX)),
        Arguments.of(Codecs.ZONED_DATE_TIME, ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneId.of("UTC"))),
        Arguments.of(Codecs.ZONED_DATE_TIME, ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneId.of("GMT+02:00"))),
        Arguments.of(Codecs.ZONE_ID, ZoneId.of("America/Argentina/Buenos_Aires")),
        Arguments.of(Codecs.ZONE_ID, ZoneOffset.UTC), Arguments.of(Codecs.ZONE_ID, ZoneId.of("UTC")),
        Arguments.of(Codecs.ZONE_ID, ZoneOffset.ofHoursMinutesSeconds(-5, -30, -15)),
        Arguments.of(Codecs.ZONE_OFFSET, ZoneOffset.MIN), Arguments.of(Codecs.ZONE_OFFSET, ZoneOffset.MAX),
        Arguments.of(Codecs.YEAR, Year.of(Year.MIN_VALUE)), Arguments.of(Codecs.YEAR, Year.of(Year.MAX_VALUE)),
        Arguments.of(Codecs.YEAR_MONTH, YearMonth.of(Year.MIN_VALUE, 1)),
        Arguments.of(Codecs.YEAR_MONTH, YearMonth.of(Year.MAX_VALUE, 12)),
        Arguments.of(Codecs.MONTH_DAY, MonthDay.of(2, 29)), Arguments.of(Codecs.MONTH_DAY, MonthDay.of(12, 31)),
        Arguments.of(Codecs.DAY_OF_WEEK, DayOfWeek.MONDAY), Arguments.of(Codecs.DAY_OF_WEEK, DayOfWeek.SUNDAY),
        Arguments.of(Codecs.MONTH, Month.JANUARY), Arguments.of(Codecs.MONTH, Month.DECEMBER));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("scalars")
  <T> void scalarsRoundTrip(Codec<T> codec, T value) {
    assertRoundTrip(codec, value);
  }

  @Test
  void zonedDateTimeKeepsRegionZoneAndOffset() {
    ZonedDateTime later = ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneId.of("Europe/Paris"))
        .withLaterOffsetAtOverlap();
    ZonedDateTime back = roundTrip(Codecs.ZONED_DATE_TIME, later);
    assertEquals(ZoneId.of("Europe/Paris"), back.getZone());
    assertEquals(ZoneOffset.ofHours(1), back.getOffset());
    assertEquals(later.toInstant(), back.toInstant());
  }

  @Test
  void floatingPointKeepsExactBits() {
    double nanWithPayload = Double.longBitsToDouble(0x7ff0000000000123L);
    assertEquals(0x7ff0000000000123L, Double.doubleToRawLongBits(roundTrip(Codecs.DOUBLE, nanWithPayload)));
    float floatNan = Float.intBitsToFloat(0xffc00001);
    assertEquals(0xffc00001, Float.floatToRawIntBits(roundTrip(Codecs.FLOAT, floatNan)));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(roundTrip(Codecs.DOUBLE, -0.0)));
    double[] doubles = {-0.0, 0.0, Double.NaN, nanWithPayload, Double.MIN_VALUE};
    double[] back = roundTrip(Codecs.DOUBLE_ARRAY, doubles);
    for (int i = 0; i < doubles.length; i++) {
      assertEquals(Double.doubleToRawLongBits(doubles[i]), Double.doubleToRawLongBits(back[i]));
    }
  }

  static Stream<String> strings() {
    return Stream.of("", "a", "plain ascii ~!@#$%^&*()", "\0", "a\0b\0", "café", "naïve",
        "e\u0301\u0302\u0303", // combining marks
        "日本語のテキスト", "한국어", "😀", "👨‍👩‍👧‍👦", "\uD83D\uDE00x\uD83D",
        "\uD800", "\uDFFF", "\uDC00\uD800", "x\uD800y", "\uD800\uD800\uDC00", "\uDBFF", "\uD83D\uDE00\uDC00",
        "\u007f\u0080\u07ff\u0800\uffff\ufffe", "\uFEFF bom", "𐍈 gothic", "x".repeat(100_000),
        "é".repeat(70_000) + "\uD800");
  }

  @ParameterizedTest
  @MethodSource("strings")
  void stringsRoundTrip(String s) {
    assertEquals(s, roundTrip(Codecs.STRING, s));
    Output out = new Output();
    out.writeString(s);
    Input in = new Input(out.toByteArray());
    assertEquals(s, in.readString());
    in.expectEnd();
  }

  @Test
  void randomStringsRoundTripAndValidTextIsStandardUtf8() {
    java.util.Random random = new java.util.Random(42);
    char[] pool = {'a', 'Z', '\0', ':', 'é', '日', '\u0301', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFF', 0x7F, 0x80};
    for (int round = 0; round < 20_000; round++) {
      char[] chars = new char[random.nextInt(12)];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = random.nextBoolean() ? pool[random.nextInt(pool.length)] : (char) random.nextInt(0x10000);
      }
      String s = new String(chars);
      Output out = new Output(0);
      out.writeString(s);
      byte[] bytes = out.toByteArray();
      Input in = new Input(bytes);
      assertEquals(s, in.readString(), "seed 42 round " + round);
      in.expectEnd();
      if (isWellFormed(s)) {
        Input in2 = new Input(bytes);
        int len = in2.readVarInt();
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(utf8.length, len);
        assertArrayEquals(utf8, Arrays.copyOfRange(bytes, in2.position(), bytes.length));
      }
    }
  }

  private static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void loneSurrogatesAreThreeByteSequences() {
    Output out = new Output();
    out.writeString("\uD800\uDFFF\uD83D\uDE00");
    // a lone high then a lone low surrogate would pair up: "\uD800\uDFFF" is a valid pair (U+103FF)
    assertArrayEquals(new byte[] {8, (byte) 0xF0, (byte) 0x90, (byte) 0x8F, (byte) 0xBF,
        (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, out.toByteArray());
    out.reset();
    out.writeString("\uDFFF\uD800");
    assertArrayEquals(new byte[] {6, (byte) 0xED, (byte) 0xBF, (byte) 0xBF, (byte) 0xED, (byte) 0xA0, (byte) 0x80},
        out.toByteArray());
  }

  static Stream<byte[]> malformedStrings() {
    return Stream.of(
        new byte[] {2, (byte) 0xC0, (byte) 0x80},                 // overlong NUL
        new byte[] {2, (byte) 0xC1, (byte) 0xBF},                 // overlong
        new byte[] {3, (byte) 0xE0, (byte) 0x80, (byte) 0x80},    // overlong 3-byte
        new byte[] {4, (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // overlong 4-byte
        new byte[] {4, (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        new byte[] {1, (byte) 0xF5},
        new byte[] {1, (byte) 0xFF},
        new byte[] {1, (byte) 0x80},                              // lone continuation
        new byte[] {2, (byte) 0xE2, (byte) 0x82},                 // sequence cut by the length
        new byte[] {2, (byte) 0xC3, (byte) 0x41},                 // bad continuation
        // a surrogate pair written as two 3-byte sequences is not canonical WTF-8
        new byte[] {6, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xED, (byte) 0xB0, (byte) 0x80},
        new byte[] {5, 'a', 'b'},                                 // length beyond input
        new byte[] {(byte) 0x80});                                // truncated length
  }

  @ParameterizedTest
  @MethodSource("malformedStrings")
  void malformedStringsAreRejected(byte[] bytes) {
    assertThrows(CodecException.class, () -> new Input(bytes).readString());
  }

  @Test
  void byteArrays() {
    assertRoundTrip(Codecs.BYTES, new byte[0]);
    byte[] big = new byte[100_000];
    new java.util.Random(1).nextBytes(big);
    assertRoundTrip(Codecs.BYTES, big);
  }

  @Test
  void primitiveArrays() {
    assertRoundTrip(Codecs.BOOLEAN_ARRAY, new boolean[] {true, false, true});
    assertRoundTrip(Codecs.BOOLEAN_ARRAY, new boolean[0]);
    assertRoundTrip(Codecs.SHORT_ARRAY, new short[] {Short.MIN_VALUE, 0, Short.MAX_VALUE});
    assertRoundTrip(Codecs.CHAR_ARRAY, new char[] {'\0', '\uD800', '\uFFFF', 'x'});
    assertRoundTrip(Codecs.INT_ARRAY, new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE});
    assertRoundTrip(Codecs.LONG_ARRAY, new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE});
    assertRoundTrip(Codecs.FLOAT_ARRAY, new float[] {Float.MIN_VALUE, Float.NaN, -0.0f, Float.POSITIVE_INFINITY});
    assertRoundTrip(Codecs.DOUBLE_ARRAY, new double[0]);
    int[] many = new java.util.Random(7).ints(100_000).toArray();
    assertRoundTrip(Codecs.INT_ARRAY, many);
    long[] manyLongs = new java.util.Random(8).longs(100_000).toArray();
    assertRoundTrip(Codecs.LONG_ARRAY, manyLongs);
  }

  @Test
  void listsWithNullsEmptyAndLarge() {
    Codec<List<String>> codec = Codecs.list(Codecs.STRING);
    assertEquals(List.of(), roundTrip(codec, List.of()));
    List<String> withNulls = Arrays.asList("a", null, "", null);
    List<String> back = roundTrip(codec, withNulls);
    assertEquals(withNulls, back);
    assertThrows(UnsupportedOperationException.class, () -> back.set(0, "x"));
    assertThrows(UnsupportedOperationException.class, () -> back.add("x"));

    List<Integer> large = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      large.add(i % 1000 == 0 ? null : i * 31);
    }
    assertEquals(large, roundTrip(Codecs.list(Codecs.INT), large));
  }

  @Test
  void setsKeepOrderAndRejectDuplicates() {
    Set<String> set = new LinkedHashSet<>(Arrays.asList("z", "a", null, "m"));
    Set<String> back = roundTrip(Codecs.set(Codecs.STRING), set);
    assertEquals(new ArrayList<>(set), new ArrayList<>(back));
    assertThrows(UnsupportedOperationException.class, () -> back.add("x"));
    Set<Long> large = new LinkedHashSet<>();
    for (long i = 0; i < 100_000; i++) {
      large.add(i * 7919 - 50_000);
    }
    assertEquals(new ArrayList<>(large), new ArrayList<>(roundTrip(Codecs.set(Codecs.LONG), large)));

    Output out = new Output();
    Values.writeHeader(out, FP);
    Codecs.list(Codecs.STRING).write(out, List.of("a", "a"));
    byte[] dup = out.toByteArray();
    assertThrows(CodecException.class, () -> Values.decode(FP, Codecs.set(Codecs.STRING), dup));
  }

  @Test
  void mapsKeepOrderAllowNullsAndRejectDuplicateKeys() {
    Map<String, Integer> map = new LinkedHashMap<>();
    map.put("z", 1);
    map.put(null, 2);
    map.put("a", null);
    Codec<Map<String, Integer>> codec = Codecs.map(Codecs.STRING, Codecs.INT);
    Map<String, Integer> back = roundTrip(codec, map);
    assertEquals(map, back);
    assertEquals(new ArrayList<>(map.keySet()), new ArrayList<>(back.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> back.put("x", 1));
    assertEquals(Map.of(), roundTrip(codec, Map.of()));

    Map<Integer, String> large = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      large.put(i, Integer.toString(i, 36));
    }
    assertEquals(large, roundTrip(Codecs.map(Codecs.INT, Codecs.STRING), large));

    Output out = new Output();
    Values.writeHeader(out, FP);
    out.writeVarInt(2);
    for (int i = 0; i < 2; i++) {
      out.writePresent(true);
      out.writeString("k");
      out.writePresent(true);
      out.writeInt(i);
    }
    byte[] dup = out.toByteArray();
    assertThrows(CodecException.class, () -> Values.decode(FP, codec, dup));
  }

  @Test
  void nestedCombinators() {
    Codec<Map<String, List<Optional<Integer>>>> codec =
        Codecs.map(Codecs.STRING, Codecs.list(Codecs.optional(Codecs.INT)));
    Map<String, List<Optional<Integer>>> value = new TreeMap<>();
    value.put("empty", List.of());
    value.put("mixed", Arrays.asList(Optional.of(1), Optional.empty(), null, Optional.of(Integer.MIN_VALUE)));
    value.put("\uD800:{}", List.of(Optional.of(0)));
    Map<String, List<Optional<Integer>>> back = roundTrip(codec, value);
    assertEquals(value, back);
    assertEquals(new ArrayList<>(value.keySet()), new ArrayList<>(back.keySet()));

    Codec<Optional<Map<UUID, Set<LocalDate>>>> deep =
        Codecs.optional(Codecs.map(Codecs.UUID, Codecs.set(Codecs.LOCAL_DATE)));
    assertRoundTrip(deep, Optional.empty());
    assertRoundTrip(deep, Optional.of(Map.of(new UUID(1, 2), Set.of(LocalDate.MIN, LocalDate.MAX))));
    Codec<List<List<String>>> lists = Codecs.list(Codecs.list(Codecs.nullable(Codecs.STRING)));
    assertRoundTrip(lists, Arrays.asList(List.of(), null, Arrays.asList(null, "x")));
  }

  @Test
  void objectArrays() {
    Codec<String[]> codec = Codecs.array(Codecs.STRING, String[]::new);
    String[] back = roundTrip(codec, new String[] {"a", null, ""});
    assertArrayEquals(new String[] {"a", null, ""}, back);
    assertEquals(String[].class, back.getClass());
    assertArrayEquals(new String[0], roundTrip(codec, new String[0]));
    Codec<Integer[][]> nested = Codecs.array(Codecs.array(Codecs.INT, Integer[]::new), Integer[][]::new);
    assertRoundTrip(nested, new Integer[][] {{1, null}, null, {}});
  }

  @Test
  void optionalAndNullable() {
    assertEquals(Optional.empty(), roundTrip(Codecs.optional(Codecs.STRING), Optional.empty()));
    assertEquals(Optional.of(""), roundTrip(Codecs.optional(Codecs.STRING), Optional.of("")));
    assertNull(roundTrip(Codecs.nullable(Codecs.STRING), null));
    assertEquals("x", roundTrip(Codecs.nullable(Codecs.STRING), "x"));
    assertEquals(Optional.of(Optional.empty()),
        roundTrip(Codecs.optional(Codecs.optional(Codecs.INT)), Optional.of(Optional.empty())));
  }

  @Test
  void enumsByOrdinal() {
    Codec<Color> codec = Codecs.enumOf(Color.values());
    for (Color c : Color.values()) {
      assertEquals(c, roundTrip(codec, c));
    }
    Output out = new Output();
    Values.writeHeader(out, FP);
    out.writeVarInt(3);
    byte[] bad = out.toByteArray();
    assertThrows(CodecException.class, () -> Values.decode(FP, codec, bad));
    assertEquals(List.of(Color.BLUE, Color.RED), roundTrip(Codecs.list(codec), List.of(Color.BLUE, Color.RED)));
  }

  @Test
  void bigIntegerRejectsEmptyAndNonCanonicalBytes() {
    assertThrows(CodecException.class, () -> Codecs.BIG_INTEGER.read(new Input(new byte[] {0})));
    assertThrows(CodecException.class, () -> Codecs.BIG_INTEGER.read(new Input(new byte[] {2, 0, 1})));
    assertThrows(CodecException.class, () -> Codecs.BIG_INTEGER.read(new Input(new byte[] {2, -1, -1})));
    assertEquals(BigInteger.valueOf(128), Codecs.BIG_INTEGER.read(new Input(new byte[] {2, 0, (byte) 0x80})));
  }

  @Test
  void bigDecimalKeepsScaleExactly() {
    BigDecimal negativeScale = new BigDecimal(new BigInteger("12345678901234567890"), -50);
    BigDecimal back = roundTrip(Codecs.BIG_DECIMAL, negativeScale);
    assertEquals(-50, back.scale());
    assertEquals(negativeScale, back);
    BigDecimal huge = new BigDecimal(new BigInteger("9".repeat(5000)), 4999);
    assertEquals(huge, roundTrip(Codecs.BIG_DECIMAL, huge));
    assertNotEquals(new BigDecimal("1.0"), roundTrip(Codecs.BIG_DECIMAL, new BigDecimal("1.00")));
  }

  /** Bytes for a time codec with out-of-range fields. */
  private static byte[] with(java.util.function.Consumer<Output> body) {
    Output out = new Output();
    body.accept(out);
    return out.toByteArray();
  }

  static Stream<Arguments> invalidTimes() {
    return Stream.of(
        Arguments.of(Codecs.INSTANT, with(o -> { o.writeLong(0); o.writeInt(1_000_000_000); })),
        Arguments.of(Codecs.INSTANT, with(o -> { o.writeLong(0); o.writeInt(-1); })),
        Arguments.of(Codecs.INSTANT, with(o -> { o.writeLong(Long.MAX_VALUE); o.writeInt(0); })),
        Arguments.of(Codecs.DURATION, with(o -> { o.writeLong(0); o.writeInt(1_000_000_000); })),
        Arguments.of(Codecs.LOCAL_DATE, with(o -> o.writeLong(Long.MIN_VALUE))),
        Arguments.of(Codecs.LOCAL_DATE, with(o -> o.writeLong(LocalDate.MAX.toEpochDay() + 1))),
        Arguments.of(Codecs.LOCAL_TIME, with(o -> o.writeLong(-1))),
        Arguments.of(Codecs.LOCAL_TIME, with(o -> o.writeLong(86_400_000_000_000L))),
        Arguments.of(Codecs.ZONE_OFFSET, with(o -> o.writeInt(18 * 3600 + 1))),
        Arguments.of(Codecs.OFFSET_TIME, with(o -> { o.writeLong(0); o.writeInt(-18 * 3600 - 1); })),
        Arguments.of(Codecs.ZONE_ID, with(o -> o.writeString("Mars/Olympus_Mons"))),
        Arguments.of(Codecs.ZONE_ID, with(o -> o.writeString(""))),
        Arguments.of(Codecs.ZONE_ID, with(o -> o.writeString("+25:00"))),
        Arguments.of(Codecs.ZONE_ID, with(o -> o.writeString("../etc"))),
        Arguments.of(Codecs.ZONED_DATE_TIME, with(o -> {
          o.writeLong(0); o.writeLong(0); o.writeInt(3600); o.writeString("+02:00"); })),
        Arguments.of(Codecs.YEAR, with(o -> o.writeInt(Integer.MAX_VALUE))),
        Arguments.of(Codecs.YEAR_MONTH, with(o -> { o.writeInt(2000); o.writeByte(13); })),
        Arguments.of(Codecs.YEAR_MONTH, with(o -> { o.writeInt(2000); o.writeByte(0); })),
        Arguments.of(Codecs.MONTH_DAY, with(o -> { o.writeByte(2); o.writeByte(30); })),
        Arguments.of(Codecs.MONTH_DAY, with(o -> { o.writeByte(0xFF); o.writeByte(1); })),
        Arguments.of(Codecs.DAY_OF_WEEK, with(o -> o.writeByte(0))),
        Arguments.of(Codecs.DAY_OF_WEEK, with(o -> o.writeByte(8))),
        Arguments.of(Codecs.MONTH, with(o -> o.writeByte(13))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTimes")
  void invalidTimeFieldsAreCodecExceptions(Codec<?> codec, byte[] body) {
    Input in = new Input(body);
    assertThrows(CodecException.class, () -> codec.read(in));
  }

  @Test
  void codecsToStringDescribeTheirShape() {
    assertEquals("map(STRING, list(optional(INT)))",
        Codecs.map(Codecs.STRING, Codecs.list(Codecs.optional(Codecs.INT))).toString());
    assertEquals("enumOf(Color)", Codecs.enumOf(Color.values()).toString());
    assertEquals(Collections.emptyList(), roundTrip(Codecs.list(Codecs.BYTES), List.of()));
  }
}
