package io.redwire.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {

  private static final long FP = 0x0123456789ABCDEFL;

  @Test
  void headerLayout() {
    byte[] bytes = Values.encode(FP, Codecs.STRING, "hi");
    assertArrayEquals(new byte[] {0x52, 1, 0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xAB, (byte) 0xCD,
        (byte) 0xEF, 2, 'h', 'i'}, bytes);
    assertEquals("hi", Values.decode(FP, Codecs.STRING, bytes));
  }

  @Test
  void fingerprintMismatchCarriesBothFingerprints() {
    byte[] bytes = Values.encode(FP, Codecs.list(Codecs.INT), List.of(1, 2));
    FingerprintMismatchException e = assertThrows(FingerprintMismatchException.class,
        () -> Values.decode(FP + 1, Codecs.list(Codecs.INT), bytes));
    assertEquals(FP + 1, e.expected());
    assertEquals(FP, e.found());
    assertTrue(e.getMessage().contains("0123456789abcdef"), e.getMessage());
    assertTrue(e instanceof CodecException);
  }

  @Test
  void badMagicVersionTruncationAndTrailingBytesAreCodecExceptions() {
    byte[] good = Values.encode(FP, Codecs.INT, 5);

    byte[] badMagic = good.clone();
    badMagic[0] = 'r';
    assertFalse(assertThrows(CodecException.class, () -> Values.decode(FP, Codecs.INT, badMagic))
        instanceof FingerprintMismatchException);

    byte[] badVersion = good.clone();
    badVersion[1] = 2;
    assertThrows(CodecException.class, () -> Values.decode(FP, Codecs.INT, badVersion));

    for (int n = 0; n < good.length; n++) {
      byte[] truncated = Arrays.copyOf(good, n);
      assertThrows(CodecException.class, () -> Values.decode(FP, Codecs.INT, truncated), "length " + n);
    }

    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThrows(CodecException.class, () -> Values.decode(FP, Codecs.INT, trailing));
    assertEquals(5, Values.decode(FP, Codecs.INT, good));
  }

  @Test
  void readHeaderLeavesInputAtTheBody() {
    Output out = new Output();
    Values.writeHeader(out, FP);
    out.writeLong(-7);
    Input in = new Input(out.toByteArray());
    Values.readHeader(in, FP);
    assertEquals(Values.HEADER_SIZE, in.position());
    assertEquals(-7L, in.readLong());
    in.expectEnd();
  }

  @Test
  void fingerprintTestVectors() {
    assertEquals(0xcbf29ce484222325L, Fingerprint.of(""));
    assertEquals(0xaf63dc4c8601ec8cL, Fingerprint.of("a"));
    assertEquals(0x85944171f73967e8L, Fingerprint.of("foobar"));
    assertEquals(Fingerprint.of("foobar"), Fingerprint.of(new StringBuilder("foobar")));
  }

  @Test
  void fingerprintHashesUtf8Bytes() {
    java.util.Random random = new java.util.Random(99);
    for (int round = 0; round < 2000; round++) {
      String s = random.ints(random.nextInt(20), 0, 0x10FFFF)
          .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString();
      long h = 0xcbf29ce484222325L;
      for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
        h ^= b & 0xFF;
        h *= 0x100000001b3L;
      }
      assertEquals(h, Fingerprint.of(s), s);
    }
  }
}
