package io.redwire.runtime.board;

import java.time.Duration;

/**
 * An exact counter in windowed buckets ({@code @Counter(window, retain)}): each window is one Redis
 * integer that expires once it is older than {@code retain}. Every operation is one round trip.
 */
public interface Counter {

  /** Adds {@code n} to the current window; returns the current window's new count. */
  long increment(long n);

  /** {@code increment(1)}. */
  default long increment() {
    return increment(1);
  }

  /** The count of the current window. */
  long get();

  /**
   * The sum over the windows that overlap the last {@code last} (the current window included), at most
   * {@code retain} back.
   */
  long sum(Duration last);
}
