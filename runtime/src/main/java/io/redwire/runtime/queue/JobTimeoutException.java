package io.redwire.runtime.queue;

/** An attempt of a job ran longer than its queue's {@code timeout}: it was interrupted and failed. */
public final class JobTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobTimeoutException(String message) {
    super(message);
  }
}
