package io.redwire.runtime.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads what {@link Output} wrote, from a byte array slice. Not thread-safe: use one instance per
 * decoding.
 *
 * <p>Decoding is strict: truncated input, overlong or non-canonical var ints, booleans other than
 * 0 and 1, ill-formed WTF-8, and counts larger than the remaining bytes could hold all throw
 * {@link CodecException}, and nothing else. In particular a corrupt length never causes a large
 * allocation: every allocation is bounded by the size of the input.
 */
public final class Input {

  private byte[] buf;
  private int start;
  private int limit;
  private int pos;

  /**
   * @param bytes the bytes to read, not copied
   */
  public Input(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  /**
   * @param bytes the array holding the bytes to read, not copied
   * @param off the index of the first byte
   * @param len the number of bytes
   * @throws IndexOutOfBoundsException if the slice is not inside {@code bytes}
   */
  public Input(byte[] bytes, int off, int len) {
    Objects.checkFromIndexSize(off, len, bytes.length);
    this.buf = bytes;
    this.start = off;
    this.limit = off + len;
    this.pos = off;
  }

  /**
   * Points this input at another slice, from its start, so one thread can decode many values with one
   * instance (the cache's hit path does, to allocate nothing beyond the decoded value).
   *
   * @param bytes the array holding the bytes to read, not copied
   * @param off the index of the first byte
   * @param len the number of bytes
   * @return this input
   * @throws IndexOutOfBoundsException if the slice is not inside {@code bytes}
   */
  public Input reset(byte[] bytes, int off, int len) {
    Objects.checkFromIndexSize(off, len, bytes.length);
    this.buf = bytes;
    this.start = off;
    this.limit = off + len;
    this.pos = off;
    return this;
  }

  /** @return the number of bytes not yet read */
  public int remaining() {
    return limit - pos;
  }

  /** @return the number of bytes read so far, relative to the start of the slice */
  public int position() {
    return pos - start;
  }

  /**
   * @throws CodecException if any bytes remain unread
   */
  public void expectEnd() {
    if (pos != limit) {
      throw new CodecException((limit - pos) + " trailing bytes at offset " + position());
    }
  }

  private void require(int n) {
    if (n > limit - pos) {
      throw truncated(n);
    }
  }

  private CodecException truncated(long n) {
    return new CodecException("truncated input: need " + n + " bytes at offset " + position()
        + ", " + remaining() + " left");
  }

  private int next() {
    if (pos >= limit) {
      throw truncated(1);
    }
    return buf[pos++] & 0xFF;
  }

  /** @return the next byte */
  public byte readByte() {
    return (byte) next();
  }

  /** @return the next byte, which must be 0 or 1 */
  public boolean readBoolean() {
    int b = next();
    if (b > 1) {
      throw new CodecException("invalid boolean byte " + b + " at offset " + (position() - 1));
    }
    return b == 1;
  }

  /** @return the presence flag before a nullable value: true if a value follows */
  public boolean readPresent() {
    int b = next();
    if (b > 1) {
      throw new CodecException("invalid presence flag " + b + " at offset " + (position() - 1));
    }
    return b == 1;
  }

  /** @return a big-endian 2-byte short */
  public short readShort() {
    require(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return (short) v;
  }

  /** @return a big-endian 2-byte char */
  public char readChar() {
    require(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return (char) v;
  }

  /** @return a zigzag var int */
  public int readInt() {
    int u = readUnsigned32(0x0F);
    return (u >>> 1) ^ -(u & 1);
  }

  /** @return a zigzag var long */
  public long readLong() {
    long u = readUnsigned64();
    return (u >>> 1) ^ -(u & 1);
  }

  /** @return an unsigned LEB128 var int, between 0 and {@link Integer#MAX_VALUE} */
  public int readVarInt() {
    return readUnsigned32(0x07);
  }

  private int readUnsigned32(int maxLastByte) {
    int at = position();
    int result = 0;
    for (int i = 0; ; i++) {
      int b = next();
      if (i == 4 && b > maxLastByte) {
        throw new CodecException("var int out of range at offset " + at);
      }
      result |= (b & 0x7F) << (7 * i);
      if (b < 0x80) {
        if (b == 0 && i > 0) {
          throw new CodecException("non-canonical var int at offset " + at);
        }
        return result;
      }
    }
  }

  private long readUnsigned64() {
    int at = position();
    long result = 0;
    for (int i = 0; ; i++) {
      int b = next();
      if (i == 9 && b > 0x01) {
        throw new CodecException("var long out of range at offset " + at);
      }
      result |= (long) (b & 0x7F) << (7 * i);
      if (b < 0x80) {
        if (b == 0 && i > 0) {
          throw new CodecException("non-canonical var long at offset " + at);
        }
        return result;
      }
    }
  }

  /** @return a big-endian 4-byte int */
  public int readFixedInt() {
    require(4);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
        | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  /** @return a big-endian 8-byte long */
  public long readFixedLong() {
    require(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos + i] & 0xFF);
    }
    pos += 8;
    return v;
  }

  /** @return a float from its raw IEEE bits */
  public float readFloat() {
    return Float.intBitsToFloat(readFixedInt());
  }

  /** @return a double from its raw IEEE bits */
  public double readDouble() {
    return Double.longBitsToDouble(readFixedLong());
  }

  /**
   * Reads a count of elements that take at least {@code minBytesPerElement} bytes each.
   *
   * @param minBytesPerElement the fewest bytes one element can be encoded in, at least 1
   * @return the count
   * @throws CodecException if the count is malformed or larger than the remaining bytes allow
   */
  public int readLength(int minBytesPerElement) {
    if (minBytesPerElement < 1) {
      throw new IllegalArgumentException("minBytesPerElement must be at least 1: " + minBytesPerElement);
    }
    int at = position();
    int count = readVarInt();
    if ((long) count * minBytesPerElement > remaining()) {
      throw new CodecException("length " + count + " at offset " + at + " exceeds the "
          + remaining() + " remaining bytes");
    }
    return count;
  }

  /** @return a length-prefixed byte array */
  public byte[] readBytes() {
    int n = readLength(1);
    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  /** @return a length-prefixed WTF-8 string, see {@link Output#writeString} */
  public String readString() {
    int n = readLength(1);
    int from = pos;
    int end = from + n;
    int i = from;
    while (i < end && buf[i] >= 0) {
      i++;
    }
    if (i == end) {
      pos = end;
      return new String(buf, from, n, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[n];
    int k = 0;
    for (int j = from; j < i; j++) {
      out[k++] = (char) buf[j];
    }
    boolean afterLoneHigh = false;
    while (i < end) {
      int b0 = buf[i] & 0xFF;
      if (b0 < 0x80) {
        out[k++] = (char) b0;
        i++;
        afterLoneHigh = false;
      } else if (b0 < 0xC2) {
        throw badUtf8(i);
      } else if (b0 < 0xE0) {
        if (i + 1 >= end) {
          throw badUtf8(i);
        }
        int b1 = cont(i + 1, 0x80, 0xBF);
        out[k++] = (char) (((b0 & 0x1F) << 6) | (b1 & 0x3F));
        i += 2;
        afterLoneHigh = false;
      } else if (b0 < 0xF0) {
        if (i + 2 >= end) {
          throw badUtf8(i);
        }
        int b1 = cont(i + 1, b0 == 0xE0 ? 0xA0 : 0x80, 0xBF);
        int b2 = cont(i + 2, 0x80, 0xBF);
        char c = (char) (((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F));
        if (Character.isLowSurrogate(c) && afterLoneHigh) {
          // a surrogate pair must be written as one 4-byte sequence
          throw badUtf8(i);
        }
        out[k++] = c;
        i += 3;
        afterLoneHigh = Character.isHighSurrogate(c);
      } else if (b0 < 0xF5) {
        if (i + 3 >= end) {
          throw badUtf8(i);
        }
        int b1 = cont(i + 1, b0 == 0xF0 ? 0x90 : 0x80, b0 == 0xF4 ? 0x8F : 0xBF);
        int b2 = cont(i + 2, 0x80, 0xBF);
        int b3 = cont(i + 3, 0x80, 0xBF);
        int cp = ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
        out[k++] = Character.highSurrogate(cp);
        out[k++] = Character.lowSurrogate(cp);
        i += 4;
        afterLoneHigh = false;
      } else {
        throw badUtf8(i);
      }
    }
    pos = end;
    return new String(out, 0, k);
  }

  private int cont(int at, int min, int max) {
    int b = buf[at] & 0xFF;
    if (b < min || b > max) {
      throw badUtf8(at);
    }
    return b;
  }

  private CodecException badUtf8(int at) {
    return new CodecException("ill-formed WTF-8 at offset " + (at - start));
  }
}
