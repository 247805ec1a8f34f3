package io.redwire.runtime.lock;

/**
 * Thrown after a {@code @Locked} method returned when its lock was not held for the whole run: the
 * lease expired (a fixed lease shorter than the run, or a watchdog that could not renew it, e.g. while
 * Redis did not answer) and another caller may have run concurrently. The method's result is discarded;
 * when the method itself threw, this is added to its exception as suppressed instead.
 */
public final class LockLostException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String lock;
  private final String key;

  /**
   * @param lock the lock name
   * @param key the Redis key of the lock
   * @param reason what went wrong
   */
  public LockLostException(String lock, String key, String reason) {
    super("lock \"" + lock + "\" (key " + key + ") was lost while the method ran: " + reason);
    this.lock = lock;
    this.key = key;
  }

  /** The lock name. */
  public String lock() {
    return lock;
  }

  /** The Redis key of the lock. */
  public String key() {
    return key;
  }
}
