package io.redwire.runtime.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.CodecException;
import io.redwire.runtime.codec.Codecs;
import io.redwire.runtime.codec.FingerprintMismatchException;
import io.redwire.runtime.codec.Input;
import io.redwire.runtime.codec.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The entry byte layout, TTLs with jitter, and the XFetch test: pure, no Redis. */
class EntryFormatTest {

  static final long FP = 0x1234_5678_9abc_def0L;
  static final long NOW = 1_700_000_000_000L;

  final EntryFormat<String> format = new EntryFormat<>(FP, Codecs.STRING, 60_000, 5_000, 0, true);

  /** A record whose compact constructor rejects what an older build wrote (same shape, new rule). */
  record Positive(int n) {
    Positive {
      if (n <= 0) {
        throw new IllegalArgumentException("n must be positive: " + n);
      }
    }
  }

  static final Codec<Positive> POSITIVE = new Codec<>() {
    @Override
    public void write(Output out, Positive value) {
      out.writeInt(value.n());
    }

    @Override
    public Positive read(Input in) {
      return new Positive(in.readInt());
    }
  };

  @Test
  void aValueRoundTripsWithItsMetadata() {
    byte[] bytes = format.encode("hello", 42, NOW + 60_000);
    Input in = new Input(bytes);
    assertEquals(EntryFormat.Status.VALUE, format.read(in, false, NOW, 1));
    assertEquals("hello", format.value(in));
    assertEquals(0, bytes[EntryFormat.FLAGS_OFFSET]);
    assertEquals(NOW + 60_000, readLong(bytes, EntryFormat.EXPIRES_AT_OFFSET));
    assertEquals(Result.present("hello"), format.decode(bytes, e -> { throw e; }));
  }

  @Test
  void nullIsATombstoneWithItsOwnTtl() {
    byte[] bytes = format.encode(null, 1, NOW + 5_000);
    assertEquals(EntryFormat.Status.TOMBSTONE, format.read(new Input(bytes), false, NOW, 1));
    Result<String> decoded = format.decode(bytes, e -> { throw e; });
    assertTrue(decoded.isPresent());
    assertNull(decoded.value());
    assertEquals(5_000, format.ttl(null, 0.5));
    assertEquals(60_000, format.ttl("x", 0.5));
    assertTrue(format.keeps(null));
    assertFalse(new EntryFormat<>(FP, Codecs.STRING, 60_000, 60_000, 0, false).keeps(null));
  }

  @Test
  void jitterShortensTheTtlByUpToItsShare() {
    EntryFormat<String> jittered = new EntryFormat<>(FP, Codecs.STRING, 10_000, 10_000, 20, false);
    assertEquals(10_000, jittered.ttl("x", 0.0));
    assertEquals(9_000, jittered.ttl("x", 0.5));
    assertEquals(8_001, jittered.ttl("x", 0.9995));
    EntryFormat<String> full = new EntryFormat<>(FP, Codecs.STRING, 10, 10, 100, false);
    assertEquals(1, full.ttl("x", 0.99999), "never below 1 ms");
  }

  @Test
  void anotherFingerprintOrForeignBytesAreUnreadable() {
    byte[] bytes = format.encode("hello", 0, NOW);
    EntryFormat<String> other = new EntryFormat<>(FP + 1, Codecs.STRING, 60_000, 5_000, 0, false);
    assertThrows(FingerprintMismatchException.class, () -> other.read(new Input(bytes), false, NOW, 1));
    List<RuntimeException> failures = new ArrayList<>();
    assertFalse(other.decode(bytes, failures::add).isPresent());
    assertInstanceOf(FingerprintMismatchException.class, failures.get(0));

    assertThrows(CodecException.class, () -> format.read(new Input("not redwire".getBytes()), false, NOW, 1));
    assertFalse(format.decode(Arrays.copyOf(bytes, bytes.length - 1), failures::add).isPresent());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertFalse(format.decode(longer, failures::add).isPresent(), "trailing bytes");
    assertEquals(3, failures.size());
  }

  @Test
  void anyExceptionOfTheCodecIsAnUnreadableEntryNotOnlyCodecException() {
    EntryFormat<Positive> f = new EntryFormat<>(FP, POSITIVE, 60_000, 60_000, 0, false);
    // an older build wrote 0 with the same shape; this build's constructor refuses it
    byte[] old = f.encode(new Positive(1), 0, NOW);
    old[old.length - 1] = 0; // the varint/fixed int of n: make it 0
    List<RuntimeException> failures = new ArrayList<>();
    Result<Positive> decoded = f.decode(old, failures::add);
    assertFalse(decoded.isPresent());
    assertInstanceOf(IllegalArgumentException.class, failures.get(0));
  }

  @Test
  void encodingFailuresReachTheCaller() {
    EntryFormat<Positive> f = new EntryFormat<>(FP, new Codec<>() {
      @Override
      public void write(Output out, Positive value) {
        throw new IllegalStateException("cannot write");
      }

      @Override
      public Positive read(Input in) {
        return null;
      }
    }, 60_000, 60_000, 0, false);
    assertThrows(IllegalStateException.class, () -> f.encode(new Positive(1), 0, NOW));
  }

  @Test
  void xfetchRecomputesEarlierForSlowValuesAndNearExpiry() {
    // random = 1: -ln(1) = 0, so only an expired entry is recomputed
    assertFalse(EntryFormat.recomputeEarly(1_000, NOW + 1, NOW, 1.0));
    assertTrue(EntryFormat.recomputeEarly(1_000, NOW, NOW, 1.0));
    // random = 1/e: -ln = 1, so recompute when expiry is within one compute time
    double e1 = Math.exp(-1);
    assertTrue(EntryFormat.recomputeEarly(1_000, NOW + 999, NOW, e1));
    assertFalse(EntryFormat.recomputeEarly(1_000, NOW + 1_001, NOW, e1));
    assertFalse(EntryFormat.recomputeEarly(10, NOW + 1_001, NOW, e1), "a fast value is not refreshed early");
    // the probability is exp(-remaining / compute): about e^-1 with a second left on a 1 s value
    int early = 0;
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 100_000; i++) {
      if (EntryFormat.recomputeEarly(1_000, NOW + 1_000, NOW, 1.0 - random.nextDouble())) {
        early++;
      }
    }
    assertEquals(Math.exp(-1), early / 100_000.0, 0.01);

    byte[] bytes = format.encode("v", 1_000, NOW + 999);
    assertEquals(EntryFormat.Status.EARLY, format.read(new Input(bytes), true, NOW, e1));
    assertEquals(EntryFormat.Status.VALUE, format.read(new Input(bytes), false, NOW, e1), "no XFetch: served");
  }

  @Test
  void theComputeTimeIsClampedToAnInt() {
    byte[] bytes = format.encode("v", Long.MAX_VALUE, NOW);
    assertArrayEquals(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        Arrays.copyOfRange(bytes, EntryFormat.FLAGS_OFFSET + 1, EntryFormat.FLAGS_OFFSET + 5));
  }

  static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  @Test
  void servableReadsTheHeaderInPlaceAndAgreesWithRead() {
    byte[] bytes = format.encode("hello", 42, NOW + 60_000);
    assertTrue(format.servable(bytes, false, NOW, 1));
    assertFalse(EntryFormat.tombstone(bytes));
    assertEquals("hello", format.value(bytes));
    byte[] tomb = format.encode(null, 0, NOW + 5_000);
    assertTrue(format.servable(tomb, true, NOW, 1));
    assertTrue(EntryFormat.tombstone(tomb));

    assertFalse(format.servable(null, false, NOW, 1), "no bytes");
    assertFalse(new EntryFormat<>(FP + 1, Codecs.STRING, 60_000, 5_000, 0, true).servable(bytes, false, NOW, 1),
        "another shape");
    assertFalse(format.servable(Arrays.copyOf(bytes, EntryFormat.VALUE_OFFSET - 1), false, NOW, 1), "truncated");
    byte[] magic = bytes.clone();
    magic[0] = 'X';
    assertFalse(format.servable(magic, false, NOW, 1), "foreign bytes");
    byte[] version = bytes.clone();
    version[1] = 9;
    assertFalse(format.servable(version, false, NOW, 1), "another format version");
    byte[] longTomb = Arrays.copyOf(tomb, tomb.length + 1);
    assertFalse(format.servable(longTomb, false, NOW, 1), "a tombstone followed by bytes");
  }

  @Test
  void servableAppliesXFetchExactlyAsReadDoes() {
    byte[] bytes = format.encode("v", 1000, NOW + 500);
    for (double random : new double[] {1.0, 0.9, 0.7, 0.6, 0.5, 0.3, 0.1, 1e-9}) {
      boolean early = format.read(new Input(bytes), true, NOW, random) == EntryFormat.Status.EARLY;
      assertEquals(!early, format.servable(bytes, true, NOW, random), "random " + random);
      assertTrue(format.servable(bytes, false, NOW, random), "without XFetch never early");
    }
    assertFalse(format.servable(bytes, true, NOW + 500, 1.0), "expired: recompute");
  }

  @Test
  void primitiveValuesAreReadFromTheBoxCodecsBytes() {
    EntryFormat<Long> longs = new EntryFormat<>(FP, Codecs.LONG, 60_000, 60_000, 0, false);
    byte[] bytes = longs.encode(-1234567890123L, 0, NOW + 1);
    assertTrue(longs.servable(bytes, false, NOW, 1));
    Input in = EntryFormat.valueInput(bytes);
    assertEquals(-1234567890123L, in.readLong());
    in.expectEnd();
  }
}
