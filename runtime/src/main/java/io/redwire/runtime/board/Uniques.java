package io.redwire.runtime.board;

import java.time.Duration;

/**
 * An approximate count of distinct members ({@code @Distinct}), on Redis HyperLogLog: at most 12 KB
 * per window, a standard error of 0.81 %. Every operation is one round trip.
 */
public interface Uniques {

  /** Adds a member (as UTF-8) to the current window; returns whether the estimate changed. */
  boolean add(String member);

  /** Adds a member (as its decimal digits, so {@code add(5)} and {@code add("5")} are one member). */
  boolean add(long member);

  /** Adds a member given as bytes to the current window. */
  boolean add(byte[] member);

  /** The estimated number of distinct members in the current window. */
  long count();

  /**
   * The estimated number of distinct members over the windows that overlap the last {@code last},
   * merged (a member seen in several windows counts once).
   */
  long count(Duration last);
}
