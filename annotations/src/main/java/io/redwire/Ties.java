package io.redwire;

/** How a {@link Leaderboard} ranks equal scores. */
public enum Ties {
  /**
   * Who reached the score first ranks higher (by the Redis server's clock, to the millisecond; within
   * one millisecond, in member order); every member has its own rank. Needs a {@code period}: the
   * tie-break is the time into the period, folded into the stored score.
   */
  FIRST_COME,
  /** Equal scores share a rank ("1, 2, 2, 4") and are listed in member order. */
  SHARED
}
