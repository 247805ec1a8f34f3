package io.redwire.runtime.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * A growable byte buffer that codecs write to. Not thread-safe: use one instance per encoding.
 *
 * <p>Encodings, mirrored by {@link Input}:
 * <ul>
 *   <li>{@code byte}, {@code boolean} (0 or 1), presence flags (0 or 1): one byte;</li>
 *   <li>{@code short}, {@code char}, fixed ints and longs, {@code float}, {@code double} (raw IEEE
 *       bits, so NaN payloads and -0.0 survive): big-endian, fixed width;</li>
 *   <li>{@code int}, {@code long}: zigzag then LEB128, 1 to 5 (10) bytes, shortest form;</li>
 *   <li>var ints (lengths and counts, never negative): unsigned LEB128, shortest form;</li>
 *   <li>strings: var-int byte count then WTF-8 (UTF-8 in which an unpaired surrogate is encoded
 *       as a 3-byte sequence), so every Java {@code String} round-trips exactly;</li>
 *   <li>byte arrays: var-int length then the bytes.</li>
 * </ul>
 */
public final class Output {

  private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

  private byte[] buf;
  private int pos;

  /** Creates an output with a small initial capacity. */
  public Output() {
    this(64);
  }

  /**
   * @param initialCapacity the initial capacity in bytes, at least 0
   */
  public Output(int initialCapacity) {
    if (initialCapacity < 0) {
      throw new IllegalArgumentException("initialCapacity < 0: " + initialCapacity);
    }
    buf = new byte[initialCapacity];
  }

  private void ensure(int extra) {
    if (extra > buf.length - pos) {
      grow(extra);
    }
  }

  private void grow(int extra) {
    long needed = (long) pos + extra;
    if (needed > MAX_SIZE) {
      throw new CodecException("encoded value too large: " + needed + " bytes");
    }
    long doubled = Math.max(16L, (long) buf.length * 2);
    buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(doubled, needed)));
  }

  /** @param b the byte to write; only the low 8 bits are used */
  public void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  /** @param v written as one byte, 1 or 0 */
  public void writeBoolean(boolean v) {
    writeByte(v ? 1 : 0);
  }

  /** @param present the presence flag written before a nullable value: 1 if present, 0 if null */
  public void writePresent(boolean present) {
    writeByte(present ? 1 : 0);
  }

  /** @param v written big-endian in 2 bytes */
  public void writeShort(short v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  /** @param v written big-endian in 2 bytes */
  public void writeChar(char v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  /** @param v written zigzag-encoded as a var int (1 byte for -64..63) */
  public void writeInt(int v) {
    writeUnsigned32((v << 1) ^ (v >> 31));
  }

  /** @param v written zigzag-encoded as a var long (1 byte for -64..63) */
  public void writeLong(long v) {
    writeUnsigned64((v << 1) ^ (v >> 63));
  }

  /**
   * Writes a length or count as unsigned LEB128.
   *
   * @param v the value, at least 0
   * @throws IllegalArgumentException if {@code v} is negative
   */
  public void writeVarInt(int v) {
    if (v < 0) {
      throw new IllegalArgumentException("var int must not be negative: " + v);
    }
    writeUnsigned32(v);
  }

  private void writeUnsigned32(int v) {
    ensure(5);
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  private void writeUnsigned64(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  /** @param v written big-endian in 4 bytes */
  public void writeFixedInt(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  /** @param v written big-endian in 8 bytes */
  public void writeFixedLong(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
  }

  /** @param v its raw IEEE bits, big-endian in 4 bytes */
  public void writeFloat(float v) {
    writeFixedInt(Float.floatToRawIntBits(v));
  }

  /** @param v its raw IEEE bits, big-endian in 8 bytes */
  public void writeDouble(double v) {
    writeFixedLong(Double.doubleToRawLongBits(v));
  }

  /**
   * Writes the var-int byte count then the WTF-8 bytes of {@code s}: UTF-8 for well-formed text,
   * with each unpaired surrogate written as a 3-byte sequence so that every string round-trips.
   *
   * @param s the string, not null
   */
  public void writeString(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        bytes = i + utf8Length(s, i, n);
        break;
      }
    }
    writeVarInt(bytes);
    ensure(bytes);
    if (bytes == n) {
      for (int i = 0; i < n; i++) {
        buf[pos++] = (byte) s.charAt(i);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >>> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[pos++] = (byte) (0xF0 | (cp >>> 18));
        buf[pos++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        buf[pos++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        buf[pos++] = (byte) (0xE0 | (c >>> 12));
        buf[pos++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  /** WTF-8 length of s[from, n). */
  private static int utf8Length(String s, int from, int n) {
    long len = 0;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        len += 1;
      } else if (c < 0x800) {
        len += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        len += 4;
        i++;
      } else {
        len += 3;
      }
    }
    if (len + from > MAX_SIZE) {
      throw new CodecException("string too large to encode");
    }
    return (int) len;
  }

  /**
   * Writes the var-int length then the bytes.
   *
   * @param b the bytes, not null
   */
  public void writeBytes(byte[] b) {
    writeVarInt(b.length);
    writeRaw(b, 0, b.length);
  }

  /**
   * Writes bytes with no length prefix.
   *
   * @param b the source array
   * @param off the first byte to write
   * @param len how many bytes to write
   */
  public void writeRaw(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  /** @return the number of bytes written since creation or the last {@link #reset()} */
  public int size() {
    return pos;
  }

  /** @return an exact copy of the bytes written */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** Discards the bytes written, keeping the buffer for reuse. */
  public void reset() {
    pos = 0;
  }
}
