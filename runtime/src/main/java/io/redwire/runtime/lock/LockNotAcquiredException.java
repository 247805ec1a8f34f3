package io.redwire.runtime.lock;

import java.time.Duration;

/**
 * A {@code @Locked(onBusy = THROW)} method could not take its lock within {@code maxWait}: another
 * caller held it, or Redis could not be asked (then {@link #getCause()} says why). The method did not
 * run.
 */
public final class LockNotAcquiredException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String lock;
  private final String key;
  private final Duration waited;

  /**
   * @param lock the lock name
   * @param key the Redis key of the lock
   * @param waited how long the caller waited
   * @param cause the Redis failure, or null when the lock was busy
   */
  public LockNotAcquiredException(String lock, String key, Duration waited, Throwable cause) {
    super((cause == null ? "lock \"" + lock + "\" is held by another caller" : "lock \"" + lock
        + "\" could not be acquired because Redis failed") + " (key " + key + ", waited "
        + waited.toMillis() + " ms)", cause);
    this.lock = lock;
    this.key = key;
    this.waited = waited;
  }

  /** The lock name. */
  public String lock() {
    return lock;
  }

  /** The Redis key of the lock. */
  public String key() {
    return key;
  }

  /** How long the caller waited before giving up. */
  public Duration waited() {
    return waited;
  }
}
