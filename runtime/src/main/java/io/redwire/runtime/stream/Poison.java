package io.redwire.runtime.stream;

/**
 * Thrown by a {@link StreamConsumer.Handler} for an entry no retry can help (it cannot be decoded:
 * another type fingerprint, damaged bytes, missing fields): the entry goes to the dead letters at once
 * with this message as the reason, and the consumer goes on.
 */
public final class Poison extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Poison(String reason, Throwable cause) {
    super(reason, cause);
  }
}
