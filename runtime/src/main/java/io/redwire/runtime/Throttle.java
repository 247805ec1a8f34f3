package io.redwire.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets something happen at most once per period, across threads: how the runtime bounds repeated
 * warnings ("logged at most every 10 s"). The first {@link #tryAcquire} succeeds. Lock-free and
 * allocation-free.
 */
public final class Throttle {

  private final long everyNanos;
  private final AtomicLong last;

  public Throttle(Duration every) {
    this.everyNanos = every.toNanos();
    this.last = new AtomicLong(System.nanoTime() - everyNanos);
  }

  /** True when a period has passed since the last success (for exactly one of racing callers). */
  public boolean tryAcquire() {
    long now = System.nanoTime();
    long previous = last.get();
    return now - previous >= everyNanos && last.compareAndSet(previous, now);
  }
}
