package io.redwire.runtime.codec;

/**
 * Thrown when bytes cannot be decoded: they are truncated, malformed, non-canonical or hold values
 * out of range. Callers treat a value that fails to decode as absent (a cache miss).
 */
public class CodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong with the input
   */
  public CodecException(String message) {
    super(message);
  }

  /**
   * @param message what was wrong with the input
   * @param cause the underlying exception, for example a {@link java.time.DateTimeException}
   */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * For subclasses that are expected on hot paths and need no stack trace.
   *
   * @param message what was wrong with the input
   * @param writableStackTrace whether to record a stack trace
   */
  protected CodecException(String message, boolean writableStackTrace) {
    super(message, null, false, writableStackTrace);
  }
}
