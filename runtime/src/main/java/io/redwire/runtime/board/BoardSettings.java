package io.redwire.runtime.board;

import java.time.Duration;
import java.time.ZoneId;

/**
 * What {@code @Leaderboard} compiles to.
 *
 * @param name the board name (part of every key)
 * @param ties how equal scores rank
 * @param period how the board is cut in time; every key expires after its period plus {@code grace}
 * @param keep trim to the best {@code keep} members on every write (0: no trimming)
 * @param maxScore the largest absolute score the board must hold exactly ({@code FIRST_COME} folds a
 *     time tie-break into the stored score, so {@code maxScore * period in ms} must stay below 2^53;
 *     the processor checks it)
 */
public record BoardSettings(String name, Ties ties, Period period, long keep, long maxScore) {

  /** How equal scores rank. */
  public enum Ties {
    /** Who reached the score first ranks higher; ranks are distinct. */
    FIRST_COME,
    /** Equal scores share a rank ("1, 2, 2, 4") and are listed in member order. */
    SHARED
  }

  /** 2^53: the doubles of a sorted set hold every integer below it exactly. */
  public static final long EXACT = 1L << 53;

  public BoardSettings {
    if (keep < 0) {
      throw new IllegalArgumentException("keep must be >= 0, got " + keep);
    }
    if (maxScore <= 0) {
      throw new IllegalArgumentException("maxScore must be positive, got " + maxScore);
    }
    if (ties == Ties.FIRST_COME && period.kind() == Period.Kind.NONE) {
      throw new IllegalArgumentException("board " + name + ": first-come ties need a period (the"
          + " tie-break is the time into the period)");
    }
    if (ties == Ties.FIRST_COME && maxScore > EXACT / tieRange(period) - 1) {
      throw new IllegalArgumentException("board " + name + ": scores up to " + maxScore + " with a "
          + "first-come tie-break over a period of up to " + tieRange(period) + " ms do not fit 2^53;"
          + " the largest score that fits is " + (EXACT / tieRange(period) - 1));
    }
    if (ties == Ties.SHARED && maxScore >= EXACT) {
      throw new IllegalArgumentException("maxScore must be below 2^53, got " + maxScore);
    }
  }

  /** The number of distinct tie-break values: the period's length in milliseconds. */
  static long tieRange(Period period) {
    return period.maxMillis();
  }

  /**
   * A board's period.
   *
   * @param kind rolling windows of {@code millis} aligned to the epoch, or calendar periods in {@code zone}
   * @param millis the window length ({@code ROLLING}), or the time-to-live slid on every write ({@code NONE})
   * @param zone the zone of calendar periods (null otherwise)
   * @param graceMillis how long a period's key outlives the period (so its final standings can be read)
   */
  public record Period(Kind kind, long millis, ZoneId zone, long graceMillis) {

    public enum Kind { NONE, ROLLING, DAY, WEEK, MONTH }

    public Period {
      if ((kind == Kind.NONE || kind == Kind.ROLLING) && millis <= 0) {
        throw new IllegalArgumentException(kind + " needs a positive length, got " + millis);
      }
      if (kind != Kind.NONE && kind != Kind.ROLLING && zone == null) {
        throw new IllegalArgumentException(kind + " needs a zone");
      }
      if (graceMillis < 0) {
        throw new IllegalArgumentException("grace must be >= 0");
      }
    }

    /** Rolling windows of {@code length}, aligned to the epoch. */
    public static Period rolling(Duration length, Duration grace) {
      return new Period(Kind.ROLLING, length.toMillis(), null, grace.toMillis());
    }

    /** Calendar periods (day, week from Monday, month) in {@code zone}. */
    public static Period calendar(Kind kind, ZoneId zone, Duration grace) {
      return new Period(kind, 0, zone, grace.toMillis());
    }

    /** No period: one key whose time-to-live {@code ttl} is slid on every write. */
    public static Period none(Duration ttl) {
      return new Period(Kind.NONE, ttl.toMillis(), null, 0);
    }

    /** The longest a period lasts, in ms (31 days for months, 25 h for a day with a DST change). */
    long maxMillis() {
      return switch (kind) {
        case NONE -> 0;
        case ROLLING -> millis;
        case DAY -> Duration.ofHours(25).toMillis();
        case WEEK -> Duration.ofDays(7).plusHours(1).toMillis();
        case MONTH -> Duration.ofDays(31).plusHours(1).toMillis();
      };
    }
  }
}
