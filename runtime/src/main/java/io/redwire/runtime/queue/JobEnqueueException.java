package io.redwire.runtime.queue;

/**
 * A job could not be enqueued: Redis is down or refused the command, or the arguments could not be
 * encoded. The job was not added; the caller decides whether to retry.
 */
public final class JobEnqueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobEnqueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
