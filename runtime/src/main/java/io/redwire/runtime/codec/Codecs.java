package io.redwire.runtime.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The built-in codecs and combinators that generated codecs are composed of. All are stateless,
 * thread-safe and round-trip their values exactly; decoding rejects out-of-range field values
 * with {@link CodecException}.
 *
 * <p>Containers ({@link #list}, {@link #set}, {@link #map}, {@link #array}) write a var-int count,
 * then each element (key, value) preceded by a presence flag, so they may hold nulls. Decoded
 * containers are unmodifiable; sets and maps keep the encoded order and reject duplicates.
 */
public final class Codecs {

  private Codecs() {
  }

  @FunctionalInterface
  private interface Writer<T> {
    void write(Output out, T value);
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(Input in);
  }

  private static <T> Codec<T> codec(String name, Writer<T> writer, Reader<T> reader) {
    return new Codec<T>() {
      @Override
      public void write(Output out, T value) {
        writer.write(out, value);
      }

      @Override
      public T read(Input in) {
        return reader.read(in);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /**
   * A reader of java.time values whose factories throw on out-of-range fields.
   *
   * <p>The handler catches {@link RuntimeException} and tests the type, rather than naming
   * {@link DateTimeException} in a catch clause: a catch type is loaded when this class is verified,
   * and once {@code java.time.DateTimeException} is loaded C2 compiles the handler of
   * {@link java.time.Duration#between} instead of trapping, so the {@code Instant}s and
   * {@code Duration}s that commons-pool2 creates on every borrow and return of a pooled Jedis
   * connection are no longer scalar-replaced (about 216 more bytes per Redis command in the JVM).
   * Loading {@code Codecs} must not cause that; an application that loads the class itself pays it
   * whatever Redwire does.
   */
  private static <T> Codec<T> time(String name, Writer<T> writer, Reader<T> reader) {
    return codec(name, writer, in -> {
      try {
        return reader.read(in);
      } catch (RuntimeException e) {
        if (e instanceof DateTimeException || e instanceof ArithmeticException) {
          throw new CodecException("invalid " + name + ": " + e.getMessage(), e);
        }
        throw e;
      }
    });
  }

  // ---------------------------------------------------------------- scalars

  /** {@link Boolean}: one byte, 0 or 1. */
  public static final Codec<Boolean> BOOLEAN = codec("BOOLEAN", Output::writeBoolean, Input::readBoolean);
  /** {@link Byte}: one byte. */
  public static final Codec<Byte> BYTE = codec("BYTE", (out, v) -> out.writeByte(v), Input::readByte);
  /** {@link Short}: two bytes. */
  public static final Codec<Short> SHORT = codec("SHORT", Output::writeShort, Input::readShort);
  /** {@link Character}: two bytes. */
  public static final Codec<Character> CHAR = codec("CHAR", Output::writeChar, Input::readChar);
  /** {@link Integer}: zigzag var int. */
  public static final Codec<Integer> INT = codec("INT", Output::writeInt, Input::readInt);
  /** {@link Long}: zigzag var long. */
  public static final Codec<Long> LONG = codec("LONG", Output::writeLong, Input::readLong);
  /** {@link Float}: raw IEEE bits. */
  public static final Codec<Float> FLOAT = codec("FLOAT", Output::writeFloat, Input::readFloat);
  /** {@link Double}: raw IEEE bits. */
  public static final Codec<Double> DOUBLE = codec("DOUBLE", Output::writeDouble, Input::readDouble);
  /** {@link String}: length-prefixed WTF-8, exact for every Java string. */
  public static final Codec<String> STRING = codec("STRING", Output::writeString, Input::readString);
  /** {@code byte[]}: length-prefixed. */
  public static final Codec<byte[]> BYTES = codec("BYTES", Output::writeBytes, Input::readBytes);

  // ---------------------------------------------------------------- primitive arrays

  /** {@code boolean[]}: count then one byte (0 or 1) per element. */
  public static final Codec<boolean[]> BOOLEAN_ARRAY = codec("BOOLEAN_ARRAY", (out, a) -> {
    out.writeVarInt(a.length);
    for (boolean v : a) {
      out.writeBoolean(v);
    }
  }, in -> {
    boolean[] a = new boolean[in.readLength(1)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readBoolean();
    }
    return a;
  });

  /** {@code short[]}: count then two bytes per element. */
  public static final Codec<short[]> SHORT_ARRAY = codec("SHORT_ARRAY", (out, a) -> {
    out.writeVarInt(a.length);
    for (short v : a) {
      out.writeShort(v);
    }
  }, in -> {
    short[] a = new short[in.readLength(2)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readShort();
    }
    return a;
  });

  /** {@code char[]}: count then two bytes per element (any char, including lone surrogates). */
  public static final Codec<char[]> CHAR_ARRAY = codec("CHAR_ARRAY", (out, a) -> {
    out.writeVarInt(a.length);
    for (char v : a) {
      out.writeChar(v);
    }
  }, in -> {
    char[] a = new char[in.readLength(2)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readChar();
    }
    return a;
  });

  /** {@code int[]}: count then a zigzag var int per element. */
  public static final Codec<int[]> INT_ARRAY = codec("INT_ARRAY", (out, a) -> {
    out.writeVarInt(a.length);
    for (int v : a) {
      out.writeInt(v);
    }
  }, in -> {
    int[] a = new int[in.readLength(1)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readInt();
    }
    return a;
  });

  /** {@code long[]}: count then a zigzag var long per element. */
  public static final Codec<long[]> LONG_ARRAY = codec("LONG_ARRAY", (out, a) -> {
    out.writeVarInt(a.length);
    for (long v : a) {
      out.writeLong(v);
    }
  }, in -> {
    long[] a = new long[in.readLength(1)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readLong();
    }
    return a;
  });

  /** {@code float[]}: count then raw IEEE bits per element. */
  public static final Codec<float[]> FLOAT_ARRAY = codec("FLOAT_ARRAY", (out, a) -> {
    out.writeVarInt(a.length);
    for (float v : a) {
      out.writeFloat(v);
    }
  }, in -> {
    float[] a = new float[in.readLength(4)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readFloat();
    }
    return a;
  });

  /** {@code double[]}: count then raw IEEE bits per element. */
  public static final Codec<double[]> DOUBLE_ARRAY = codec("DOUBLE_ARRAY", (out, a) -> {
    out.writeVarInt(a.length);
    for (double v : a) {
      out.writeDouble(v);
    }
  }, in -> {
    double[] a = new double[in.readLength(8)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readDouble();
    }
    return a;
  });

  // ---------------------------------------------------------------- identifiers and numbers

  /** {@link java.util.UUID}: most then least significant bits, 16 bytes. */
  public static final Codec<java.util.UUID> UUID = codec("UUID", (out, u) -> {
    out.writeFixedLong(u.getMostSignificantBits());
    out.writeFixedLong(u.getLeastSignificantBits());
  }, in -> new java.util.UUID(in.readFixedLong(), in.readFixedLong()));

  /** {@link BigInteger}: its minimal two's-complement bytes, length-prefixed. */
  public static final Codec<BigInteger> BIG_INTEGER = codec("BIG_INTEGER",
      (out, v) -> out.writeBytes(v.toByteArray()), Codecs::readBigInteger);

  private static BigInteger readBigInteger(Input in) {
    byte[] b = in.readBytes();
    if (b.length == 0) {
      throw new CodecException("empty BigInteger");
    }
    if (b.length > 1 && ((b[0] == 0 && b[1] >= 0) || (b[0] == -1 && b[1] < 0))) {
      throw new CodecException("non-canonical BigInteger");
    }
    return new BigInteger(b);
  }

  /** {@link BigDecimal}: unscaled value then scale, exact (1.0 and 1.00 stay distinct). */
  public static final Codec<BigDecimal> BIG_DECIMAL = codec("BIG_DECIMAL", (out, v) -> {
    out.writeBytes(v.unscaledValue().toByteArray());
    out.writeInt(v.scale());
  }, in -> new BigDecimal(readBigInteger(in), in.readInt()));

  // ---------------------------------------------------------------- java.time

  private static void checkNano(int nano) {
    if (nano < 0 || nano > 999_999_999) {
      throw new CodecException("nanosecond field out of range: " + nano);
    }
  }

  private static int readUnsignedByte(Input in) {
    return in.readByte() & 0xFF;
  }

  /** {@link Instant}: epoch second then nanosecond. */
  public static final Codec<Instant> INSTANT = time("INSTANT", (out, v) -> {
    out.writeLong(v.getEpochSecond());
    out.writeInt(v.getNano());
  }, in -> {
    long seconds = in.readLong();
    int nano = in.readInt();
    checkNano(nano);
    return Instant.ofEpochSecond(seconds, nano);
  });

  /** {@link Duration}: seconds then nanosecond adjustment. */
  public static final Codec<Duration> DURATION = time("DURATION", (out, v) -> {
    out.writeLong(v.getSeconds());
    out.writeInt(v.getNano());
  }, in -> {
    long seconds = in.readLong();
    int nano = in.readInt();
    checkNano(nano);
    return Duration.ofSeconds(seconds, nano);
  });

  /** {@link Period}: years, months, days. */
  public static final Codec<Period> PERIOD = time("PERIOD", (out, v) -> {
    out.writeInt(v.getYears());
    out.writeInt(v.getMonths());
    out.writeInt(v.getDays());
  }, in -> Period.of(in.readInt(), in.readInt(), in.readInt()));

  /** {@link LocalDate}: epoch day. */
  public static final Codec<LocalDate> LOCAL_DATE = time("LOCAL_DATE",
      (out, v) -> out.writeLong(v.toEpochDay()), in -> LocalDate.ofEpochDay(in.readLong()));

  /** {@link LocalTime}: nanosecond of day. */
  public static final Codec<LocalTime> LOCAL_TIME = time("LOCAL_TIME",
      (out, v) -> out.writeLong(v.toNanoOfDay()), in -> LocalTime.ofNanoOfDay(in.readLong()));

  /** {@link LocalDateTime}: date then time. */
  public static final Codec<LocalDateTime> LOCAL_DATE_TIME = time("LOCAL_DATE_TIME", (out, v) -> {
    out.writeLong(v.toLocalDate().toEpochDay());
    out.writeLong(v.toLocalTime().toNanoOfDay());
  }, Codecs::readLocalDateTime);

  private static LocalDateTime readLocalDateTime(Input in) {
    LocalDate date = LocalDate.ofEpochDay(in.readLong());
    return LocalDateTime.of(date, LocalTime.ofNanoOfDay(in.readLong()));
  }

  /** {@link ZoneOffset}: total seconds. */
  public static final Codec<ZoneOffset> ZONE_OFFSET = time("ZONE_OFFSET",
      (out, v) -> out.writeInt(v.getTotalSeconds()), in -> ZoneOffset.ofTotalSeconds(in.readInt()));

  /** {@link OffsetTime}: local time then offset. */
  public static final Codec<OffsetTime> OFFSET_TIME = time("OFFSET_TIME", (out, v) -> {
    out.writeLong(v.toLocalTime().toNanoOfDay());
    out.writeInt(v.getOffset().getTotalSeconds());
  }, in -> {
    LocalTime time = LocalTime.ofNanoOfDay(in.readLong());
    return OffsetTime.of(time, ZoneOffset.ofTotalSeconds(in.readInt()));
  });

  /** {@link OffsetDateTime}: local date-time then offset. */
  public static final Codec<OffsetDateTime> OFFSET_DATE_TIME = time("OFFSET_DATE_TIME", (out, v) -> {
    out.writeLong(v.toLocalDate().toEpochDay());
    out.writeLong(v.toLocalTime().toNanoOfDay());
    out.writeInt(v.getOffset().getTotalSeconds());
  }, in -> {
    LocalDateTime dateTime = readLocalDateTime(in);
    return OffsetDateTime.of(dateTime, ZoneOffset.ofTotalSeconds(in.readInt()));
  });

  private static ZoneId readZoneId(Input in) {
    String id = in.readString();
    ZoneId zone;
    try {
      zone = ZoneId.of(id);
    } catch (RuntimeException e) { // DateTimeException, ZoneRulesException, anything odd
      throw new CodecException("invalid zone id", e);
    }
    if (!zone.getId().equals(id)) {
      throw new CodecException("non-canonical zone id " + id + " for " + zone.getId());
    }
    return zone;
  }

  /** {@link ZoneId}: its id (a region such as "Europe/Paris" or an offset). */
  public static final Codec<ZoneId> ZONE_ID = time("ZONE_ID",
      (out, v) -> out.writeString(v.getId()), Codecs::readZoneId);

  /**
   * {@link ZonedDateTime}: local date-time, offset, then zone id. Decoding keeps the instant and
   * the zone, so it stays exact even if the zone's rules differ on the reading JVM.
   */
  public static final Codec<ZonedDateTime> ZONED_DATE_TIME = time("ZONED_DATE_TIME", (out, v) -> {
    out.writeLong(v.toLocalDate().toEpochDay());
    out.writeLong(v.toLocalTime().toNanoOfDay());
    out.writeInt(v.getOffset().getTotalSeconds());
    out.writeString(v.getZone().getId());
  }, in -> {
    LocalDateTime dateTime = readLocalDateTime(in);
    ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readInt());
    ZoneId zone = readZoneId(in);
    if (zone instanceof ZoneOffset && !zone.equals(offset)) {
      throw new CodecException("zoned date-time offset " + offset + " differs from its zone " + zone);
    }
    return ZonedDateTime.ofInstant(dateTime, offset, zone);
  });

  /** {@link Year}: the proleptic year. */
  public static final Codec<Year> YEAR = time("YEAR",
      (out, v) -> out.writeInt(v.getValue()), in -> Year.of(in.readInt()));

  /** {@link YearMonth}: year then month (1 byte). */
  public static final Codec<YearMonth> YEAR_MONTH = time("YEAR_MONTH", (out, v) -> {
    out.writeInt(v.getYear());
    out.writeByte(v.getMonthValue());
  }, in -> YearMonth.of(in.readInt(), readUnsignedByte(in)));

  /** {@link MonthDay}: month then day (1 byte each). */
  public static final Codec<MonthDay> MONTH_DAY = time("MONTH_DAY", (out, v) -> {
    out.writeByte(v.getMonthValue());
    out.writeByte(v.getDayOfMonth());
  }, in -> MonthDay.of(readUnsignedByte(in), readUnsignedByte(in)));

  /** {@link DayOfWeek}: 1 (Monday) to 7, one byte. */
  public static final Codec<DayOfWeek> DAY_OF_WEEK = time("DAY_OF_WEEK",
      (out, v) -> out.writeByte(v.getValue()), in -> DayOfWeek.of(readUnsignedByte(in)));

  /** {@link Month}: 1 (January) to 12, one byte. */
  public static final Codec<Month> MONTH = time("MONTH",
      (out, v) -> out.writeByte(v.getValue()), in -> Month.of(readUnsignedByte(in)));

  // ---------------------------------------------------------------- combinators

  private static <E> void writeNullable(Output out, Codec<E> codec, E value) {
    if (value == null) {
      out.writePresent(false);
    } else {
      out.writePresent(true);
      codec.write(out, value);
    }
  }

  private static <E> E readNullable(Input in, Codec<E> codec) {
    return in.readPresent() ? codec.read(in) : null;
  }

  private static <E> void writeElements(Output out, Codec<E> codec, Collection<E> c) {
    int size = c.size();
    out.writeVarInt(size);
    int written = 0;
    for (E e : c) {
      if (++written > size) {
        break;
      }
      writeNullable(out, codec, e);
    }
    if (written != size) {
      throw new ConcurrentModificationException("collection size changed while encoding");
    }
  }

  private static int hashCapacity(int count) {
    return (int) Math.min(1 << 30, Math.max(16L, count * 4L / 3 + 1));
  }

  /**
   * @param codec the element codec
   * @param <E> the element type
   * @return a codec of lists whose elements may be null; decodes unmodifiable lists
   */
  public static <E> Codec<List<E>> list(Codec<E> codec) {
    Objects.requireNonNull(codec, "codec");
    return codec("list(" + codec + ")", (out, list) -> writeElements(out, codec, list), in -> {
      Object[] a = new Object[in.readLength(1)];
      for (int i = 0; i < a.length; i++) {
        a[i] = readNullable(in, codec);
      }
      return new ElementList<>(a);
    });
  }

  /**
   * @param codec the element codec
   * @param <E> the element type
   * @return a codec of sets whose elements may be null; decodes unmodifiable sets that keep the
   *     encoded order, and rejects duplicate elements
   */
  public static <E> Codec<Set<E>> set(Codec<E> codec) {
    Objects.requireNonNull(codec, "codec");
    return codec("set(" + codec + ")", (out, set) -> writeElements(out, codec, set), in -> {
      int n = in.readLength(1);
      Set<E> set = new LinkedHashSet<>(hashCapacity(n));
      for (int i = 0; i < n; i++) {
        if (!set.add(readNullable(in, codec))) {
          throw new CodecException("duplicate set element at index " + i);
        }
      }
      return Collections.unmodifiableSet(set);
    });
  }

  /**
   * @param keyCodec the key codec
   * @param valueCodec the value codec
   * @param <K> the key type
   * @param <V> the value type
   * @return a codec of maps whose keys and values may be null; decodes unmodifiable maps that
   *     keep the encoded order, and rejects duplicate keys
   */
  public static <K, V> Codec<Map<K, V>> map(Codec<K> keyCodec, Codec<V> valueCodec) {
    Objects.requireNonNull(keyCodec, "keyCodec");
    Objects.requireNonNull(valueCodec, "valueCodec");
    return codec("map(" + keyCodec + ", " + valueCodec + ")", (out, map) -> {
      int size = map.size();
      out.writeVarInt(size);
      int written = 0;
      for (Map.Entry<K, V> e : map.entrySet()) {
        if (++written > size) {
          break;
        }
        writeNullable(out, keyCodec, e.getKey());
        writeNullable(out, valueCodec, e.getValue());
      }
      if (written != size) {
        throw new ConcurrentModificationException("map size changed while encoding");
      }
    }, in -> {
      int n = in.readLength(2);
      Map<K, V> map = new LinkedHashMap<>(hashCapacity(n));
      for (int i = 0; i < n; i++) {
        K key = readNullable(in, keyCodec);
        if (map.containsKey(key)) {
          throw new CodecException("duplicate map key at index " + i);
        }
        map.put(key, readNullable(in, valueCodec));
      }
      return Collections.unmodifiableMap(map);
    });
  }

  /**
   * @param codec the codec of the contained value
   * @param <E> the contained type
   * @return a codec of optionals: a presence flag then the value if present
   */
  public static <E> Codec<Optional<E>> optional(Codec<E> codec) {
    Objects.requireNonNull(codec, "codec");
    return codec("optional(" + codec + ")",
        (out, opt) -> writeNullable(out, codec, opt.orElse(null)),
        in -> Optional.ofNullable(readNullable(in, codec)));
  }

  /**
   * @param codec the element codec
   * @param newArray creates an array of the element type, for example {@code String[]::new}
   * @param <E> the element type
   * @return a codec of object arrays whose elements may be null
   */
  public static <E> Codec<E[]> array(Codec<E> codec, IntFunction<E[]> newArray) {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(newArray, "newArray");
    return codec("array(" + codec + ")", (out, a) -> {
      out.writeVarInt(a.length);
      for (E e : a) {
        writeNullable(out, codec, e);
      }
    }, in -> {
      E[] a = newArray.apply(in.readLength(1));
      for (int i = 0; i < a.length; i++) {
        a[i] = readNullable(in, codec);
      }
      return a;
    });
  }

  /**
   * @param values the enum's constants in ordinal order, normally {@code E.values()}
   * @param <E> the enum type
   * @return a codec writing the ordinal as a var int; an unknown ordinal fails to decode
   */
  public static <E extends Enum<E>> Codec<E> enumOf(E[] values) {
    E[] constants = values.clone();
    for (int i = 0; i < constants.length; i++) {
      if (constants[i].ordinal() != i) {
        throw new IllegalArgumentException("enum constants not in ordinal order: " + Arrays.toString(values));
      }
    }
    String name = constants.length == 0 ? "enum" : "enumOf(" + constants[0].getDeclaringClass().getSimpleName() + ")";
    return codec(name, (out, v) -> out.writeVarInt(v.ordinal()), in -> {
      int ordinal = in.readVarInt();
      if (ordinal >= constants.length) {
        throw new CodecException("enum ordinal " + ordinal + " out of range for " + name);
      }
      return constants[ordinal];
    });
  }

  /**
   * @param codec the codec of non-null values
   * @param <T> the value type
   * @return a codec that also accepts null: a presence flag then the value if present
   */
  public static <T> Codec<T> nullable(Codec<T> codec) {
    Objects.requireNonNull(codec, "codec");
    return codec("nullable(" + codec + ")", (out, v) -> writeNullable(out, codec, v),
        in -> readNullable(in, codec));
  }
}
