package io.redwire.runtime.board;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A leaderboard: members ranked by {@code long} points, highest first, kept in one Redis sorted set.
 * Every operation is one round trip. Scores are exact (the sorted set's doubles are only ever asked to
 * hold integers below 2^53). Ties follow the board's declared policy: {@code FIRST_COME} (who reached a
 * score first ranks higher) or {@code SHARED} (equal scores share a rank, listed in member order).
 *
 * <p>A handle is cheap, immutable and thread-safe; a board with a period always works on the current
 * period (the one the call falls in).
 */
public interface Board<M> {

  /** Adds {@code points} (may be negative) to the member's score (0 if absent); returns the new score. */
  long add(M member, long points);

  /**
   * Adds {@code points} like {@link #add} and returns the member's new rank and score. Redwire's boards
   * read them in the same script right after the write (one round trip; no other write comes between
   * them); this default, for other implementations such as a test's fake, calls {@link #add} then
   * {@link #rank}. Empty only when the board keeps its top {@code keep} members and the member is not
   * among them (trimming cuts at a position: with {@code SHARED} ties, members tied at the cut stay or
   * go in member order).
   */
  default Optional<Ranked<M>> addAndRank(M member, long points) {
    add(member, points);
    return rank(member);
  }

  /** Sets the member's score to {@code score} if that is higher than its current one; returns the (new) best. */
  long best(M member, long score);

  /** The member's score, or empty when it is not on the board. */
  OptionalLong score(M member);

  /** The member's rank and score, or empty when it is not on the board. */
  Optional<Ranked<M>> rank(M member);

  /** The best {@code n} members (fewer when the board is smaller). */
  List<Ranked<M>> top(int n);

  /** Page {@code page} (0-based) of {@code size} members, best first. */
  List<Ranked<M>> page(int page, int size);

  /**
   * The member and up to {@code distance} members on each side; at the top or bottom of the board
   * the window shifts, so it still holds {@code 2 * distance + 1} members when the board has them.
   * Empty when the member is not on the board.
   */
  List<Ranked<M>> around(M member, int distance);

  /** Removes the member; returns whether it was on the board. */
  boolean remove(M member);

  /** How many members the board holds. */
  long size();
}
