package io.redwire.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InputOutputTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void varIntsUseTheShortestForm() {
    Output out = new Output(0);
    out.writeInt(0);
    out.writeInt(-1);
    out.writeInt(63);
    out.writeInt(-64);
    out.writeInt(64);
    out.writeVarInt(127);
    out.writeVarInt(128);
    out.writeVarInt(Integer.MAX_VALUE);
    assertArrayEquals(bytes(0, 1, 126, 127, 0x80, 0x01, 0x7F, 0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x07),
        out.toByteArray());
    out.reset();
    out.writeLong(Long.MIN_VALUE);
    assertArrayEquals(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), out.toByteArray());
  }

  @Test
  void fixedWidthValuesAreBigEndian() {
    Output out = new Output();
    out.writeFixedInt(0x01020304);
    out.writeFixedLong(0x0102030405060708L);
    out.writeShort((short) 0xABCD);
    out.writeChar('\uBEEF');
    assertArrayEquals(bytes(1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 0xAB, 0xCD, 0xBE, 0xEF), out.toByteArray());
  }

  @Test
  void randomIntsAndLongsRoundTrip() {
    Random random = new Random(123);
    Output out = new Output(1);
    int[] ints = new int[10_000];
    long[] longs = new long[10_000];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = random.nextInt() >> random.nextInt(32);
      longs[i] = random.nextLong() >> random.nextInt(64);
      out.writeInt(ints[i]);
      out.writeLong(longs[i]);
      out.writeVarInt(ints[i] & Integer.MAX_VALUE);
      out.writeFixedInt(ints[i]);
      out.writeFixedLong(longs[i]);
    }
    Input in = new Input(out.toByteArray());
    for (int i = 0; i < ints.length; i++) {
      assertEquals(ints[i], in.readInt());
      assertEquals(longs[i], in.readLong());
      assertEquals(ints[i] & Integer.MAX_VALUE, in.readVarInt());
      assertEquals(ints[i], in.readFixedInt());
      assertEquals(longs[i], in.readFixedLong());
    }
    in.expectEnd();
  }

  static Stream<byte[]> badVarInts() {
    return Stream.of(
        bytes(),                                // empty
        bytes(0x80),                            // truncated
        bytes(0x80, 0x00),                      // non-canonical zero
        bytes(0xFF, 0x80, 0x00),                // non-canonical
        bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x08),    // > Integer.MAX_VALUE
        bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F),    // negative as unsigned
        bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01)); // 6 bytes
  }

  @ParameterizedTest
  @MethodSource("badVarInts")
  void malformedVarIntsAreRejected(byte[] b) {
    assertThrows(CodecException.class, () -> new Input(b).readVarInt());
  }

  @Test
  void malformedZigzagIntsAndLongsAreRejected() {
    assertThrows(CodecException.class, () -> new Input(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x10)).readInt());
    assertEquals(Integer.MIN_VALUE, new Input(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F)).readInt());
    assertThrows(CodecException.class,
        () -> new Input(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02)).readLong());
    assertThrows(CodecException.class,
        () -> new Input(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).readLong());
    assertThrows(CodecException.class, () -> new Input(bytes(0x81, 0x00)).readLong());
  }

  @Test
  void booleansAndPresenceFlagsAcceptOnlyZeroAndOne() {
    Input in = new Input(bytes(0, 1, 0, 1));
    assertFalse(in.readBoolean());
    assertTrue(in.readBoolean());
    assertFalse(in.readPresent());
    assertTrue(in.readPresent());
    assertThrows(CodecException.class, () -> new Input(bytes(2)).readBoolean());
    assertThrows(CodecException.class, () -> new Input(bytes(0xFF)).readPresent());
  }

  @Test
  void truncatedFixedWidthReadsAreCodecExceptions() {
    assertThrows(CodecException.class, () -> new Input(bytes(1)).readShort());
    assertThrows(CodecException.class, () -> new Input(bytes(1)).readChar());
    assertThrows(CodecException.class, () -> new Input(bytes(1, 2, 3)).readFixedInt());
    assertThrows(CodecException.class, () -> new Input(bytes(1, 2, 3, 4, 5, 6, 7)).readFixedLong());
    assertThrows(CodecException.class, () -> new Input(bytes(1, 2, 3)).readFloat());
    assertThrows(CodecException.class, () -> new Input(bytes()).readDouble());
    assertThrows(CodecException.class, () -> new Input(bytes()).readByte());
  }

  @Test
  void readLengthRejectsCountsTheInputCannotHold() {
    // a count of 2^31-1 elements in a 5-byte input must fail before any allocation
    byte[] huge = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07, 1, 2, 3);
    assertThrows(CodecException.class, () -> new Input(huge).readLength(1));
    assertThrows(CodecException.class, () -> new Input(huge).readBytes());
    assertThrows(CodecException.class, () -> new Input(huge).readString());
    assertThrows(CodecException.class, () -> Codecs.LONG_ARRAY.read(new Input(huge)));
    assertThrows(CodecException.class, () -> Codecs.DOUBLE_ARRAY.read(new Input(huge)));
    assertThrows(CodecException.class, () -> Codecs.list(Codecs.INT).read(new Input(huge)));
    assertEquals(3, new Input(bytes(3, 1, 2, 3)).readLength(1));
    assertThrows(CodecException.class, () -> new Input(bytes(2, 1, 2, 3)).readLength(2));
    assertEquals(1, new Input(bytes(1, 1, 2, 3)).readLength(3));
    // count * min overflows int: still rejected
    assertThrows(CodecException.class, () -> new Input(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07)).readLength(8));
  }

  @Test
  void slicesPositionsAndExpectEnd() {
    byte[] b = bytes(9, 9, 3, 'a', 'b', 'c', 7, 9);
    Input in = new Input(b, 2, 5);
    assertEquals(5, in.remaining());
    assertEquals("abc", in.readString());
    assertEquals(4, in.position());
    assertThrows(CodecException.class, in::expectEnd);
    assertEquals(7, in.readByte());
    in.expectEnd();
    assertThrows(CodecException.class, in::readByte); // the slice ends before b[7]
    assertThrows(IndexOutOfBoundsException.class, () -> new Input(b, 4, 5));
  }

  @Test
  void outputGrowsCopiesExactlyAndResets() {
    Output out = new Output(0);
    byte[] data = new byte[1000];
    new Random(5).nextBytes(data);
    for (int i = 0; i < data.length; i++) {
      out.writeByte(data[i]);
    }
    out.writeRaw(data, 10, 20);
    assertEquals(1020, out.size());
    byte[] first = out.toByteArray();
    byte[] second = out.toByteArray();
    assertNotSame(first, second);
    assertArrayEquals(first, second);
    assertEquals(1020, first.length);
    out.reset();
    assertEquals(0, out.size());
    assertArrayEquals(new byte[0], out.toByteArray());
    out.writeBytes(bytes(1, 2));
    assertArrayEquals(bytes(2, 1, 2), out.toByteArray());
    assertThrows(IllegalArgumentException.class, () -> out.writeVarInt(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> out.writeRaw(data, 999, 2));
    assertThrows(IllegalArgumentException.class, () -> new Output(-1));
  }

  @Test
  void floatsAndDoublesKeepRawBits() {
    Output out = new Output();
    out.writeFloat(Float.intBitsToFloat(0x7fa00001));
    out.writeDouble(Double.longBitsToDouble(0xfff8000000000abcL));
    Input in = new Input(out.toByteArray());
    assertEquals(0x7fa00001, Float.floatToRawIntBits(in.readFloat()));
    assertEquals(0xfff8000000000abcL, Double.doubleToRawLongBits(in.readDouble()));
  }

  @Test
  void resetPointsOneInputAtAnotherSliceFromItsStart() {
    Output out = new Output(16);
    out.writeLong(-5);
    out.writeString("hi");
    byte[] a = out.toByteArray();
    byte[] b = new byte[a.length + 3];
    System.arraycopy(a, 0, b, 3, a.length);
    Input in = new Input(a);
    assertEquals(-5, in.readLong());
    assertSame(in, in.reset(b, 3, a.length));
    assertEquals(0, in.position());
    assertEquals(-5, in.readLong());
    assertEquals("hi", in.readString());
    in.expectEnd();
    assertThrows(IndexOutOfBoundsException.class, () -> in.reset(b, 2, b.length));
  }
}
