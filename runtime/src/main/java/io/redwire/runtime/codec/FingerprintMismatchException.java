package io.redwire.runtime.codec;

/**
 * Thrown when a value header carries another type fingerprint than the reader expects: the bytes
 * were written by a build where the value type had another shape. Read as a miss, never as data.
 *
 * <p>It is expected on every read of an old value after such a deploy, so it records no stack trace.
 */
public final class FingerprintMismatchException extends CodecException {

  private static final long serialVersionUID = 1L;

  /** The fingerprint of the type the reader knows. */
  private final long expected;
  /** The fingerprint stored in the value header. */
  private final long found;

  /**
   * @param expected the fingerprint of the type the reader knows
   * @param found the fingerprint stored in the value header
   */
  public FingerprintMismatchException(long expected, long found) {
    super(String.format("value fingerprint mismatch: expected %016x, found %016x", expected, found), false);
    this.expected = expected;
    this.found = found;
  }

  /** @return the fingerprint of the type the reader knows */
  public long expected() {
    return expected;
  }

  /** @return the fingerprint stored in the value header */
  public long found() {
    return found;
  }
}
