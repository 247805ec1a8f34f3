package io.redwire.processor.model;

/**
 * One {@code @Cached} method: its cache name, TTLs in milliseconds and key.
 *
 * @param valueType how the stored value (the result, unwrapped from Optional or a future) is encoded
 * @param bulk for a bulk method ({@code Map<K, V> byIds(Set<K> ids)}) its shape, else null; then
 *     {@code result} is {@code V} as a plain result, and {@code key} is built from one id (its
 *     placeholders name the collection parameter and mean one of its elements)
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
    BulkShape bulk,
    int near) {

  /** Mirrors {@code io.redwire.Cached.Refresh}. */
  public enum Refresh {
    NONE, EARLY, BACKGROUND
  }
}
