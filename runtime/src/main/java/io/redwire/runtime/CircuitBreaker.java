package io.redwire.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Skips Redis for a cool-down after repeated failures, so a dead or hanging server costs callers at most
 * a few timeouts, not one per call. Closed: every call goes through. After {@code threshold}
 * consecutive failures it opens: calls are refused until {@code coolDownNanos} have passed. Then one
 * caller at a time may try (half-open): a success closes it, a failure opens it again.
 *
 * <p>Thread-safe and allocation-free; the closed path is one volatile read.
 */
public final class CircuitBreaker {

  private static final long CLOSED = 0;

  private final int threshold;
  private final long coolDownNanos;
  private final AtomicInteger failures = new AtomicInteger();
  /** 0 when closed, else the nanoTime at which a trial call may go through. */
  private final AtomicLong openUntil = new AtomicLong(CLOSED);
  private final Listener listener;

  /** Told when the breaker opens and closes. */
  public interface Listener {
    void opened();

    void closed();
  }

  public CircuitBreaker(int threshold, long coolDownNanos, Listener listener) {
    if (threshold < 1 || coolDownNanos < 0) {
      throw new IllegalArgumentException("threshold must be >= 1 and cool-down >= 0");
    }
    this.threshold = threshold;
    this.coolDownNanos = coolDownNanos;
    this.listener = listener;
  }

  /** Whether a call may go to Redis now. In the half-open state only one caller per cool-down gets true. */
  public boolean allow() {
    long until = openUntil.get();
    if (until == CLOSED) {
      return true;
    }
    long now = System.nanoTime();
    // one trial per cool-down: the caller that moves the deadline forward gets to try
    return now - until >= 0 && openUntil.compareAndSet(until, now + coolDownNanos);
  }

  /** Records a successful call; closes the breaker if it was open. */
  public void success() {
    if (failures.get() != 0) {
      failures.set(0);
    }
    if (openUntil.get() != CLOSED && openUntil.getAndSet(CLOSED) != CLOSED) {
      listener.closed();
    }
  }

  /** Records a failed call; opens the breaker after {@code threshold} consecutive failures. */
  public void failure() {
    int n = failures.incrementAndGet();
    if (n >= threshold) {
      long until = System.nanoTime() + coolDownNanos;
      if (openUntil.getAndSet(until == CLOSED ? 1 : until) == CLOSED) {
        listener.opened();
      }
    }
  }

  public boolean isOpen() {
    return openUntil.get() != CLOSED;
  }
}
