package io.redwire.runtime.cache;

/**
 * What a {@code @Cached} method declared, as compiled: TTLs in milliseconds, jitter in percent, and the
 * size of the near cache ({@code near}, 0: none).
 * Operators can override the TTL per cache name at run time through {@code Redwire.builder().ttl(...)}.
 */
public record CacheSettings(
    String name, long ttlMillis, int jitterPercent, boolean nulls, long nullTtlMillis, Refresh refresh,
    int near) {

  /** How an entry close to expiry is recomputed (XFetch). */
  public enum Refresh {
    /** Entries simply expire. */
    NONE,
    /** One caller, picked probabilistically as expiry nears, recomputes before returning. */
    EARLY,
    /** As EARLY, but the recompute runs in the background and that caller gets the current value. */
    BACKGROUND
  }

  public CacheSettings {
    if (ttlMillis <= 0 || nullTtlMillis <= 0) {
      throw new IllegalArgumentException("TTLs must be positive");
    }
    if (jitterPercent < 0 || jitterPercent > 100) {
      throw new IllegalArgumentException("jitter must be 0-100");
    }
    if (near < 0) {
      throw new IllegalArgumentException("near must be 0 (none) or a positive size");
    }
  }

  /** Settings without a near cache. */
  public CacheSettings(String name, long ttlMillis, int jitterPercent, boolean nulls, long nullTtlMillis,
      Refresh refresh) {
    this(name, ttlMillis, jitterPercent, nulls, nullTtlMillis, refresh, 0);
  }
}
