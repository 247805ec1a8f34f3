package io.redwire.processor.model;

/**
 * One {@code @Cached} method: its cache name, TTLs in milliseconds and key.
 *
 * @param valueType how the stored value (the result, unwrapped from Optional or a future) is encoded
 * @param near the near cache's size in entries, 0 for none
 */
public record CacheSpec(
    Origin origin,
    String name,
    long ttlMillis,
    KeyTemplate key,
    int jitterPercent,
    boolean nulls,
    long nullTtlMillis,
    Refresh refresh,
    ResultShape result,
    ValueType valueType,
    int near) {

  /** Mirrors {@code io.redwire.Cached.Refresh}. */
  public enum Refresh {
    NONE, EARLY, BACKGROUND
  }
}
