package io.redwire.runtime.lock;

import java.util.Objects;

/**
 * What a {@code @Locked} method declared, as compiled. Operators can override the lease per lock name
 * at run time with {@code Redwire.builder().lease(name, ...)} (for a watchdog lock: the lease the
 * watchdog keeps renewing).
 *
 * @param name the lock name, part of every key
 * @param leaseMillis the fixed lease, or 0 for a lease renewed by a watchdog while the method runs
 * @param maxWaitMillis how long to wait for a busy lock; 0 to give up at once
 */
public record LockSettings(String name, long leaseMillis, long maxWaitMillis) {

  /** Validates the settings. */
  public LockSettings {
    Objects.requireNonNull(name, "name");
    if (leaseMillis < 0 || maxWaitMillis < 0) {
      throw new IllegalArgumentException("lease and maxWait must not be negative");
    }
  }

  /** Whether a watchdog renews the lease while the method runs. */
  public boolean watchdog() {
    return leaseMillis == 0;
  }
}
