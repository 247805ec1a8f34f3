package io.redwire.runtime.session;

/**
 * A write through a session view whose session has ended: it expired (idle or absolute timeout), was
 * invalidated, evicted by {@code maxPerUser}, or rotated to another id. Nothing was written: a
 * session that ended never comes back.
 */
public final class SessionEndedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String store;

  public SessionEndedException(String store, String operation) {
    super("session of store \"" + store + "\" has ended (expired, invalidated or rotated); " + operation
        + " was not applied. Create or find a session again.");
    this.store = store;
  }

  /** The store name. */
  public String store() {
    return store;
  }
}
