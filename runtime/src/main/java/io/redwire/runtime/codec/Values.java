package io.redwire.runtime.codec;

import java.util.Objects;

/**
 * The header every stored value starts with, and one-call encoding and decoding.
 *
 * <p>Format: byte 0 is {@code 0x52} ('R'), byte 1 the format version ({@value #VERSION}), bytes
 * 2 to 9 the type fingerprint (big-endian, see {@link Fingerprint}), then the body written by the
 * value's codec. A reader that expects another fingerprint gets a
 * {@link FingerprintMismatchException}, so bytes written by a build where the type had another
 * shape read as a miss, never as wrong data.
 */
public final class Values {

  /** The first byte of every value: {@code 'R'}. */
  public static final int MAGIC = 0x52;
  /** The format version in the second byte. */
  public static final int VERSION = 1;
  /** The length of the header in bytes. */
  public static final int HEADER_SIZE = 10;

  private Values() {
  }

  /**
   * @param out the destination
   * @param fingerprint the fingerprint of the value's type
   */
  public static void writeHeader(Output out, long fingerprint) {
    out.writeByte(MAGIC);
    out.writeByte(VERSION);
    out.writeFixedLong(fingerprint);
  }

  /**
   * Reads and checks a header.
   *
   * @param in the source, positioned at the start of a value
   * @param expectedFingerprint the fingerprint of the type the caller will decode
   * @throws FingerprintMismatchException if the header holds another fingerprint
   * @throws CodecException if the header is truncated or has another magic byte or version
   */
  public static void readHeader(Input in, long expectedFingerprint) {
    if (in.remaining() < HEADER_SIZE) {
      throw new CodecException("truncated value header: " + in.remaining() + " bytes");
    }
    int magic = in.readByte() & 0xFF;
    if (magic != MAGIC) {
      throw new CodecException(String.format("not a Redwire value: magic byte 0x%02x", magic));
    }
    int version = in.readByte() & 0xFF;
    if (version != VERSION) {
      throw new CodecException("unsupported value format version " + version);
    }
    long found = in.readFixedLong();
    if (found != expectedFingerprint) {
      throw new FingerprintMismatchException(expectedFingerprint, found);
    }
  }

  /**
   * @param fingerprint the fingerprint of the value's type
   * @param codec the codec of the value's type
   * @param value the value, not null (use a {@link Codecs#nullable} codec to store null)
   * @param <T> the value type
   * @return the header followed by the encoded value
   */
  public static <T> byte[] encode(long fingerprint, Codec<T> codec, T value) {
    Output out = new Output(32);
    writeHeader(out, fingerprint);
    codec.write(out, value);
    return out.toByteArray();
  }

  /**
   * Decodes bytes written by {@link #encode} with the same fingerprint and an equivalent codec.
   *
   * @param fingerprint the fingerprint of the expected type
   * @param codec the codec of the expected type
   * @param bytes the stored bytes, not null
   * @param <T> the value type
   * @return the value
   * @throws FingerprintMismatchException if the bytes hold a value of another type shape
   * @throws CodecException if the bytes are malformed, truncated or have trailing bytes
   */
  public static <T> T decode(long fingerprint, Codec<T> codec, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    Input in = new Input(bytes);
    readHeader(in, fingerprint);
    T value = codec.read(in);
    in.expectEnd();
    return value;
  }
}
