package io.redwire.runtime.codec;

/**
 * The 64-bit type fingerprint stored in every value header: FNV-1a over the UTF-8 bytes of a
 * canonical description of the type's shape. The annotation processor computes the same hash at
 * compile time.
 *
 * <p>Test vectors: {@code of("") == 0xcbf29ce484222325L}, {@code of("a") == 0xaf63dc4c8601ec8cL},
 * {@code of("foobar") == 0x85944171f73967e8L}.
 */
public final class Fingerprint {

  static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  static final long PRIME = 0x100000001b3L;

  private Fingerprint() {
  }

  /**
   * Hashes {@code shape} with 64-bit FNV-1a over its UTF-8 bytes, without allocating. An unpaired
   * surrogate (never part of a canonical shape) is hashed as its 3-byte WTF-8 form, as
   * {@link Output#writeString} encodes it.
   *
   * @param shape the canonical shape description
   * @return the fingerprint
   */
  public static long of(CharSequence shape) {
    long h = OFFSET_BASIS;
    int n = shape.length();
    for (int i = 0; i < n; i++) {
      char c = shape.charAt(i);
      if (c < 0x80) {
        h = step(h, c);
      } else if (c < 0x800) {
        h = step(h, 0xC0 | (c >>> 6));
        h = step(h, 0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(shape.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, shape.charAt(++i));
        h = step(h, 0xF0 | (cp >>> 18));
        h = step(h, 0x80 | ((cp >>> 12) & 0x3F));
        h = step(h, 0x80 | ((cp >>> 6) & 0x3F));
        h = step(h, 0x80 | (cp & 0x3F));
      } else {
        h = step(h, 0xE0 | (c >>> 12));
        h = step(h, 0x80 | ((c >>> 6) & 0x3F));
        h = step(h, 0x80 | (c & 0x3F));
      }
    }
    return h;
  }

  private static long step(long h, int b) {
    return (h ^ (b & 0xFF)) * PRIME;
  }
}
