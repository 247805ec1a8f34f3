package io.redwire.runtime;

/**
 * Listener for what Redwire does, with no dependency on any metrics library. Every method has a
 * no-op default, so an implementation overrides only what it records and keeps compiling when
 * later patterns add events. Implementations must be thread-safe and fast: they are called on the
 * caller's thread, on hot paths.
 *
 * <p>Names are the pattern names from the annotations (the cache name, the limiter name, ...).
 */
public interface RedwireMetrics {

  /** A listener that ignores every event. */
  RedwireMetrics NONE = new RedwireMetrics() {};

  /** A cached value was found. */
  default void cacheHit(String cache) {}

  /** No usable cached value was found. */
  default void cacheMiss(String cache) {}

  /** The delegate computed a value for the cache in {@code nanos} nanoseconds. */
  default void cacheLoad(String cache, long nanos) {}

  /** A caller recomputed a value before it expired (probabilistic early refresh). */
  default void cacheEarlyRefresh(String cache) {}

  /** A caller waited for another instance that held the load lease of the key. */
  default void cacheStampedeWait(String cache) {}

  /**
   * A Redis call failed or timed out; the pattern applied its failure policy.
   *
   * @param name the pattern name
   * @param operation what was attempted, e.g. {@code "get"} or {@code "acquire"}
   * @param e the failure
   */
  default void redisError(String name, String operation, Exception e) {}

  /** After repeated failures, calls for {@code name} skip Redis for a cool-down. */
  default void circuitOpened(String name) {}

  /** Redis answered again; calls for {@code name} use it again. */
  default void circuitClosed(String name) {}

  // ---------------------------------------------------------------- locks

  /** A {@code @Locked} method took its lock after waiting {@code waitNanos} (re-entries are not counted). */
  default void lockAcquired(String lock, long waitNanos) {}

  /** The lock was busy at the first try and the caller waited for it. */
  default void lockWait(String lock) {}

  /** The lock could not be taken within {@code maxWait} (or Redis failed): the caller threw or skipped. */
  default void lockBusy(String lock) {}

  /** A held lock was lost before its method returned: its lease ran out or could not be renewed. */
  default void lockLost(String lock) {}
}
