package io.redwire.runtime.events;

/**
 * A durable event could not be published and was not kept: the local outbox was full while Redis was
 * down, Redis refused the command (not an outage), or the payload could not be encoded. The method it
 * follows has already run.
 */
public final class EventPublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EventPublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
