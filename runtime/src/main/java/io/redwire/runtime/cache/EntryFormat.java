package io.redwire.runtime.cache;

import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.Input;
import io.redwire.runtime.codec.Output;
import io.redwire.runtime.codec.Values;

/**
 * The bytes of one cache entry: {@code <value header><flags><compute ms><expires at ms><value>}.
 * The value header carries the fingerprint of the value type's shape; {@code flags} bit 0 marks a
 * tombstone (a cached null, no value follows); {@code compute ms} is how long the value took to
 * compute and {@code expires at} the wall-clock expiry, both for the XFetch early-refresh test.
 *
 * <p>Pure: no I/O, no metrics, no clock or randomness of its own (callers pass them in), so every
 * decision is unit-tested.
 */
final class EntryFormat<V> {

  /** What the metadata of an entry says, before its value is decoded. */
  enum Status {
    /** A value follows: decode it with {@link #value}. */
    VALUE,
    /** A cached null. */
    TOMBSTONE,
    /** XFetch picked this read to recompute the entry before it expires. */
    EARLY
  }

  static final int TOMBSTONE = 1;
  /** Offset of the flags byte; compute ms and expires-at follow. */
  static final int FLAGS_OFFSET = Values.HEADER_SIZE;
  static final int EXPIRES_AT_OFFSET = FLAGS_OFFSET + 1 + 4;
  /** Offset of the value, after the metadata. */
  static final int VALUE_OFFSET = EXPIRES_AT_OFFSET + 8;

  private final long fingerprint;
  private final Codec<V> codec;
  private final long ttlMillis;
  private final long nullTtlMillis;
  private final int jitterPercent;
  private final boolean nulls;

  EntryFormat(long fingerprint, Codec<V> codec, long ttlMillis, long nullTtlMillis, int jitterPercent,
      boolean nulls) {
    if (ttlMillis <= 0 || nullTtlMillis <= 0 || jitterPercent < 0 || jitterPercent > 100) {
      throw new IllegalArgumentException("bad TTL or jitter");
    }
    this.fingerprint = fingerprint;
    this.codec = codec;
    this.ttlMillis = ttlMillis;
    this.nullTtlMillis = nullTtlMillis;
    this.jitterPercent = jitterPercent;
    this.nulls = nulls;
  }

  /** Whether {@code value} is written at all (null only with {@code nulls = true}, as a tombstone). */
  boolean keeps(V value) {
    return value != null || nulls;
  }

  /**
   * The TTL of an entry for {@code value} (the null TTL for a tombstone), shortened by up to the
   * jitter percentage: {@code random} in [0, 1) picks how much. Never below 1 ms.
   */
  long ttl(V value, double random) {
    long ttl = value == null ? nullTtlMillis : ttlMillis;
    if (jitterPercent == 0) {
      return ttl;
    }
    long cut = (long) (ttl * (jitterPercent / 100.0) * random);
    return Math.max(1, ttl - cut);
  }

  /**
   * The entry for {@code value} (a tombstone for null).
   *
   * @throws RuntimeException whatever the codec throws for a value it cannot write
   */
  byte[] encode(V value, long computeMillis, long expiresAt) {
    Output out = new Output(64);
    Values.writeHeader(out, fingerprint);
    out.writeByte(value == null ? TOMBSTONE : 0);
    out.writeFixedInt((int) Math.max(0, Math.min(Integer.MAX_VALUE, computeMillis)));
    out.writeFixedLong(expiresAt);
    if (value != null) {
      codec.write(out, value);
    }
    return out.toByteArray();
  }

  /**
   * Reads the header and metadata of an entry, leaving {@code in} at the value. With {@code xfetch},
   * {@code random} in (0, 1] decides whether this read recomputes early (see {@link #recomputeEarly}).
   * Allocates nothing.
   *
   * @throws io.redwire.runtime.codec.CodecException for bytes of another shape, damaged or foreign bytes
   */
  Status read(Input in, boolean xfetch, long now, double random) {
    Values.readHeader(in, fingerprint);
    int flags = in.readByte();
    int computeMillis = in.readFixedInt();
    long expiresAt = in.readFixedLong();
    if (xfetch && recomputeEarly(computeMillis, expiresAt, now, random)) {
      return Status.EARLY;
    }
    return (flags & TOMBSTONE) != 0 ? Status.TOMBSTONE : Status.VALUE;
  }

  /**
   * Whether {@code raw} may be served as it is: an entry of this type's shape whose metadata is
   * readable and that XFetch (with {@code xfetch}; {@code random} in (0, 1]) did not pick to be
   * recomputed early. The value itself is not decoded ({@link #valueInput}, {@link #tombstone}).
   * Reads the bytes in place: allocates nothing and never throws; bytes it refuses are decoded
   * again (and the reason counted) on the miss path.
   */
  boolean servable(byte[] raw, boolean xfetch, long now, double random) {
    if (raw == null || raw.length < VALUE_OFFSET || (raw[0] & 0xFF) != Values.MAGIC
        || (raw[1] & 0xFF) != Values.VERSION || fixedLong(raw, 2) != fingerprint) {
      return false;
    }
    if ((raw[FLAGS_OFFSET] & TOMBSTONE) != 0 && raw.length != VALUE_OFFSET) {
      return false; // a tombstone is followed by nothing
    }
    if (!xfetch) {
      return true;
    }
    return !recomputeEarly(fixedInt(raw, FLAGS_OFFSET + 1), fixedLong(raw, EXPIRES_AT_OFFSET), now, random);
  }

  /** Whether a {@link #servable} entry is a cached null. */
  static boolean tombstone(byte[] raw) {
    return (raw[FLAGS_OFFSET] & TOMBSTONE) != 0;
  }

  /** The value of a {@link #servable} entry that is not a tombstone, to be read to its end. */
  static Input valueInput(byte[] raw) {
    return new Input(raw, VALUE_OFFSET, raw.length - VALUE_OFFSET);
  }

  /** The value of a {@link #servable} entry that is not a tombstone, decoded by the codec. */
  V value(byte[] raw) {
    return value(valueInput(raw));
  }

  private static int fixedInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  private static long fixedLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  /**
   * The value after {@link #read} returned {@link Status#VALUE}.
   *
   * @throws RuntimeException whatever the codec (or a record's constructor) throws for bytes it
   *     cannot read, or a {@link io.redwire.runtime.codec.CodecException} for trailing bytes
   */
  V value(Input in) {
    V value = codec.read(in);
    in.expectEnd();
    return value;
  }

  /**
   * The whole entry decoded, ignoring XFetch: present with the value (null for a tombstone), or
   * absent when the bytes cannot be read for any reason ({@code failure} then receives why).
   */
  Result<V> decode(byte[] raw, java.util.function.Consumer<RuntimeException> failure) {
    Input in = new Input(raw);
    try {
      Status status = read(in, false, 0, 1);
      return Result.present(status == Status.TOMBSTONE ? null : value(in));
    } catch (RuntimeException e) {
      failure.accept(e);
      return Result.absent();
    }
  }

  /**
   * XFetch (Vattani, Chierichetti, Lowenstein, VLDB 2015), beta = 1: recompute when
   * {@code now - delta * ln(random) >= expiresAt}, with {@code random} in (0, 1]. The closer the
   * expiry and the longer the value took to compute, the likelier.
   */
  static boolean recomputeEarly(int computeMillis, long expiresAt, long now, double random) {
    return now - computeMillis * Math.log(random) >= expiresAt;
  }
}
