package io.redwire.runtime.session;

import io.redwire.runtime.key.Keys;

/**
 * What {@code @SessionScoped} compiles to.
 *
 * @param name the store name (part of every key)
 * @param ttlMillis the idle timeout, slid by every access
 * @param absoluteMillis the absolute timeout from creation (0: none)
 * @param maxPerUser the most sessions one user keeps (0: no limit beyond {@link #INDEX_BOUND})
 * @param indexed whether the interface has a {@code @SessionUser} accessor (needs an absolute timeout)
 */
public record SessionSettings(String name, long ttlMillis, long absoluteMillis, int maxPerUser,
    boolean indexed) {

  /** The most sessions a user index holds when {@code maxPerUser} is 0. */
  public static final int INDEX_BOUND = 1000;

  public SessionSettings {
    Keys.checkName("name", name);
    if (ttlMillis <= 0) {
      throw new IllegalArgumentException("session " + name + ": ttl must be positive, got " + ttlMillis);
    }
    if (absoluteMillis < 0 || maxPerUser < 0) {
      throw new IllegalArgumentException("session " + name + ": absolute and maxPerUser must be >= 0");
    }
    if (indexed && absoluteMillis == 0) {
      throw new IllegalArgumentException("session " + name + ": a user index needs an absolute timeout,"
          + " so the index expires with its last session");
    }
  }

  /** The most sessions one user index holds. */
  public int userBound() {
    return maxPerUser > 0 ? maxPerUser : INDEX_BOUND;
  }
}
