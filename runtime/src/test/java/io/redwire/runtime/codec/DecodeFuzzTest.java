package io.redwire.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever bytes reach {@link Values#decode}, the only exception is {@link CodecException};
 * and whatever decodes successfully re-encodes to the very same bytes (the encoding is canonical).
 */
class DecodeFuzzTest {

  private static final long SEED = 0x5EED_2024L;
  private static final long FP = Fingerprint.of("fuzz");

  enum Suit { CLUBS, DIAMONDS, HEARTS, SPADES }

  record Case<T>(String name, Codec<T> codec, List<T> samples, boolean canonical) {
    Case(String name, Codec<T> codec, List<T> samples) {
      this(name, codec, samples, true);
    }
  }

  private static List<Case<?>> cases() {
    List<Case<?>> cases = new ArrayList<>();
    cases.add(new Case<>("BOOLEAN", Codecs.BOOLEAN, List.of(true, false)));
    cases.add(new Case<>("BYTE", Codecs.BYTE, List.of((byte) -1)));
    cases.add(new Case<>("SHORT", Codecs.SHORT, List.of((short) 300)));
    cases.add(new Case<>("CHAR", Codecs.CHAR, List.of('\uD800')));
    cases.add(new Case<>("INT", Codecs.INT, List.of(0, Integer.MIN_VALUE, 1000)));
    cases.add(new Case<>("LONG", Codecs.LONG, List.of(Long.MAX_VALUE, -5L)));
    cases.add(new Case<>("FLOAT", Codecs.FLOAT, List.of(Float.NaN)));
    cases.add(new Case<>("DOUBLE", Codecs.DOUBLE, List.of(-0.0)));
    cases.add(new Case<>("STRING", Codecs.STRING,
        List.of("", "ascii", "é日😀\uD800x\uDC00", "a:b{c}%N\0")));
    cases.add(new Case<>("BYTES", Codecs.BYTES, List.of(new byte[] {1, 2, 3}, new byte[0])));
    cases.add(new Case<>("BOOLEAN_ARRAY", Codecs.BOOLEAN_ARRAY, List.of(new boolean[] {true, false})));
    cases.add(new Case<>("SHORT_ARRAY", Codecs.SHORT_ARRAY, List.of(new short[] {1, -1})));
    cases.add(new Case<>("CHAR_ARRAY", Codecs.CHAR_ARRAY, List.of(new char[] {'a', '\uDFFF'})));
    cases.add(new Case<>("INT_ARRAY", Codecs.INT_ARRAY, List.of(new int[] {1, -300, Integer.MAX_VALUE})));
    cases.add(new Case<>("LONG_ARRAY", Codecs.LONG_ARRAY, List.of(new long[] {Long.MIN_VALUE, 2})));
    cases.add(new Case<>("FLOAT_ARRAY", Codecs.FLOAT_ARRAY, List.of(new float[] {1.5f})));
    cases.add(new Case<>("DOUBLE_ARRAY", Codecs.DOUBLE_ARRAY, List.of(new double[] {1e300, Double.NaN})));
    cases.add(new Case<>("UUID", Codecs.UUID, List.of(new UUID(3, 4))));
    cases.add(new Case<>("BIG_INTEGER", Codecs.BIG_INTEGER,
        List.of(BigInteger.valueOf(-129), BigInteger.TEN.pow(40))));
    cases.add(new Case<>("BIG_DECIMAL", Codecs.BIG_DECIMAL,
        List.of(new BigDecimal("-12.3400"), new BigDecimal("1E+20"))));
    cases.add(new Case<>("INSTANT", Codecs.INSTANT, List.of(Instant.MAX, Instant.ofEpochSecond(1, 5))));
    cases.add(new Case<>("DURATION", Codecs.DURATION, List.of(Duration.ofMillis(-1500))));
    cases.add(new Case<>("PERIOD", Codecs.PERIOD, List.of(Period.of(1, -2, 3))));
    cases.add(new Case<>("LOCAL_DATE", Codecs.LOCAL_DATE, List.of(LocalDate.MAX, LocalDate.of(2024, 2, 29))));
    cases.add(new Case<>("LOCAL_TIME", Codecs.LOCAL_TIME, List.of(LocalTime.MAX, LocalTime.NOON)));
    cases.add(new Case<>("LOCAL_DATE_TIME", Codecs.LOCAL_DATE_TIME,
        List.of(LocalDateTime.MIN, LocalDateTime.of(2020, 1, 2, 3, 4, 5, 6))));
    cases.add(new Case<>("OFFSET_TIME", Codecs.OFFSET_TIME, List.of(OffsetTime.MAX)));
    cases.add(new Case<>("OFFSET_DATE_TIME", Codecs.OFFSET_DATE_TIME, List.of(OffsetDateTime.MIN)));
    // decoding keeps the instant when the offset disagrees with the zone's rules, so a mutated
    // offset can decode to another (valid) offset: not canonical by design
    cases.add(new Case<>("ZONED_DATE_TIME", Codecs.ZONED_DATE_TIME,
        List.of(ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
            ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(3))), false));
    cases.add(new Case<>("ZONE_ID", Codecs.ZONE_ID, List.of(ZoneId.of("Asia/Tokyo"), ZoneOffset.ofHours(-3))));
    cases.add(new Case<>("ZONE_OFFSET", Codecs.ZONE_OFFSET, List.of(ZoneOffset.MAX)));
    cases.add(new Case<>("YEAR", Codecs.YEAR, List.of(Year.of(-5))));
    cases.add(new Case<>("YEAR_MONTH", Codecs.YEAR_MONTH, List.of(YearMonth.of(2024, 12))));
    cases.add(new Case<>("MONTH_DAY", Codecs.MONTH_DAY, List.of(MonthDay.of(2, 29))));
    cases.add(new Case<>("DAY_OF_WEEK", Codecs.DAY_OF_WEEK, List.of(DayOfWeek.SUNDAY)));
    cases.add(new Case<>("MONTH", Codecs.MONTH, List.of(Month.JULY)));
    cases.add(new Case<>("enumOf", Codecs.enumOf(Suit.values()), List.of(Suit.SPADES)));

    Codec<Map<String, List<Optional<Integer>>>> nested =
        Codecs.map(Codecs.STRING, Codecs.list(Codecs.optional(Codecs.INT)));
    Map<String, List<Optional<Integer>>> nestedValue = new LinkedHashMap<>();
    nestedValue.put("k1", Arrays.asList(Optional.of(1), Optional.empty(), null));
    nestedValue.put(null, List.of());
    nestedValue.put("ключ", List.of(Optional.of(-70000)));
    cases.add(new Case<>("map(string, list(optional(int)))", nested, List.of(nestedValue, Map.of())));
    cases.add(new Case<>("list(string)", Codecs.list(Codecs.STRING),
        List.of(Arrays.asList("a", null, "\uD83D\uDE00"))));
    cases.add(new Case<>("set(long)", Codecs.set(Codecs.LONG), List.of(new LinkedHashSet<>(List.of(1L, -1L, 300L)))));
    cases.add(new Case<>("optional(list(bytes))", Codecs.optional(Codecs.list(Codecs.BYTES)),
        List.of(Optional.of(List.of(new byte[] {9}, new byte[0])), Optional.empty())));
    cases.add(new Case<>("array(nullable(uuid))", Codecs.array(Codecs.UUID, UUID[]::new),
        List.<UUID[]>of(new UUID[] {new UUID(1, 1), null})));
    cases.add(new Case<>("set(map(enum, big decimal))",
        Codecs.set(Codecs.map(Codecs.enumOf(Suit.values()), Codecs.BIG_DECIMAL)),
        List.<Set<Map<Suit, BigDecimal>>>of(Set.of(Map.of(Suit.HEARTS, BigDecimal.ONE)))));
    cases.add(new Case<>("nullable(local date)", Codecs.nullable(Codecs.LOCAL_DATE),
        Arrays.asList(null, LocalDate.EPOCH)));
    return cases;
  }

  @Test
  void decodingArbitraryBytesThrowsOnlyCodecException() {
    Random random = new Random(SEED);
    List<Case<?>> cases = cases();
    long decodes = 0;
    long start = System.nanoTime();
    for (Case<?> c : cases) {
      // fully random bytes, and random bodies behind a valid header
      for (int i = 0; i < 1500; i++) {
        byte[] body = new byte[random.nextInt(i % 10 == 0 ? 200 : 24)];
        random.nextBytes(body);
        if (i % 2 == 0) {
          check(c, body, "random");
        } else {
          check(c, withHeader(body), "random body");
        }
        decodes++;
      }
      for (Object sample : c.samples()) {
        byte[] valid = encode(c, sample);
        checkValid(c, valid);
        for (int n = 0; n < valid.length; n++) {
          check(c, Arrays.copyOf(valid, n), "truncation to " + n);
          decodes++;
        }
        for (int pos = 0; pos < valid.length; pos++) {
          int original = valid[pos] & 0xFF;
          int[] replacements = {0, 1, 2, 0x7F, 0x80, 0xC0, 0xED, 0xF4, 0xFF,
              original ^ 1, original ^ 0x80, original + 1, original - 1, random.nextInt(256)};
          for (int r : replacements) {
            if ((r & 0xFF) == original) {
              continue;
            }
            byte[] mutated = valid.clone();
            mutated[pos] = (byte) r;
            check(c, mutated, "mutation at " + pos);
            decodes++;
          }
        }
        // an extra byte anywhere
        for (int pos = 0; pos <= valid.length; pos++) {
          byte[] longer = new byte[valid.length + 1];
          System.arraycopy(valid, 0, longer, 0, pos);
          longer[pos] = (byte) random.nextInt(256);
          System.arraycopy(valid, pos, longer, pos + 1, valid.length - pos);
          check(c, longer, "insertion at " + pos);
          decodes++;
        }
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(decodes > 75_000, "only " + decodes + " decodes");
    assertTrue(millis < 10_000, decodes + " decodes took " + millis + " ms");
  }

  private static byte[] withHeader(byte[] body) {
    Output out = new Output();
    Values.writeHeader(out, FP);
    out.writeRaw(body, 0, body.length);
    return out.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static <T> byte[] encode(Case<T> c, Object sample) {
    return Values.encode(FP, c.codec(), (T) sample);
  }

  private static <T> void checkValid(Case<T> c, byte[] bytes) {
    T value = Values.decode(FP, c.codec(), bytes);
    if (!Arrays.equals(bytes, Values.encode(FP, c.codec(), value))) {
      fail(c.name() + ": valid encoding does not re-encode identically: " + hex(bytes));
    }
  }

  private static <T> void check(Case<T> c, byte[] bytes, String what) {
    T value;
    try {
      value = Values.decode(FP, c.codec(), bytes);
    } catch (CodecException expected) {
      return;
    } catch (Throwable t) {
      throw new AssertionError("seed " + Long.toHexString(SEED) + ", codec " + c.name() + ", " + what
          + ": decode threw " + t + " for input " + hex(bytes), t);
    }
    if (c.canonical()) {
      byte[] again;
      try {
        again = Values.encode(FP, c.codec(), value);
      } catch (Throwable t) {
        throw new AssertionError("seed " + Long.toHexString(SEED) + ", codec " + c.name() + ", " + what
            + ": re-encoding a decoded value threw " + t + " for input " + hex(bytes), t);
      }
      if (!Arrays.equals(bytes, again)) {
        fail("seed " + Long.toHexString(SEED) + ", codec " + c.name() + ", " + what
            + ": accepted a non-canonical encoding " + hex(bytes) + " (re-encodes as " + hex(again) + ")");
      }
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
