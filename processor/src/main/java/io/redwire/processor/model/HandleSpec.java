package io.redwire.processor.model;

import javax.lang.model.type.TypeMirror;

/**
 * One method that returns a handle: {@code @Leaderboard} ({@code Board<M>}), {@code @Counter}
 * ({@code Counter}) or {@code @Distinct} ({@code Uniques}). Its parameters form the key; the method
 * has no delegate call.
 *
 * @param member the board's member type ({@code @Leaderboard} only), null otherwise or when the
 *     return type is not a {@code Board<M>} (reported)
 * @param periodKind {@code NONE}, {@code ROLLING}, {@code DAY}, {@code WEEK} or {@code MONTH}
 *     (boards), null when malformed (reported)
 * @param periodMillis the rolling period, or the sliding TTL of a board without a period; -1 when
 *     malformed (reported)
 * @param maxScore as declared (0: the largest that fits)
 * @param windowMillis the bucket length (counters and distinct counts), -1 when malformed
 * @param retainMillis how long buckets are kept, -1 when malformed
 */
public record HandleSpec(
    Origin origin,
    Kind kind,
    String name,
    KeyTemplate key,
    TypeMirror member,
    MemberKind memberKind,
    String ties,
    String periodKind,
    long periodMillis,
    String zone,
    long graceMillis,
    long keep,
    long maxScore,
    long windowMillis,
    long retainMillis) {

  /** Which annotation. */
  public enum Kind {
    BOARD("Leaderboard", "board", "io.redwire.runtime.board.Board"),
    COUNTER("Counter", "counter", "io.redwire.runtime.board.Counter"),
    DISTINCT("Distinct", "distinct", "io.redwire.runtime.board.Uniques");

    public final String annotation;
    public final String claim;
    public final String handle;

    Kind(String annotation, String claim, String handle) {
      this.annotation = annotation;
      this.claim = claim;
      this.handle = handle;
    }
  }

  /** How board members are stored (an ordered, printable codec), or {@code UNSUPPORTED}. */
  public enum MemberKind {
    STRING, LONG, INT, UUID, ENUM, UNSUPPORTED
  }

  /** 2^53: the doubles of a sorted set hold every integer below it exactly. */
  public static final long EXACT = 1L << 53;

  /** The number of distinct first-come tie-break values: the longest the period lasts, in ms. */
  public long tieRange() {
    if (periodKind == null) {
      return 0;
    }
    return switch (periodKind) {
      case "ROLLING" -> periodMillis;
      case "DAY" -> 25 * 3_600_000L;
      case "WEEK" -> 7 * 86_400_000L + 3_600_000L;
      case "MONTH" -> 31 * 86_400_000L + 3_600_000L;
      default -> 0;
    };
  }

  /** The largest score the board holds exactly with its ties and period. */
  public long largestScore() {
    if ("FIRST_COME".equals(ties) && tieRange() > 0) {
      return EXACT / tieRange() - 1;
    }
    return EXACT - 1;
  }

  /**
   * The default maximum of a shared-ties board: 2^52, where an {@code add} is one {@code ZINCRBY} whose
   * take-back (a score leaving the range) is exact; a declared maximum may go up to 2^53 - 1.
   */
  public static final long SHARED_DEFAULT = 1L << 52;

  /** The declared maximum, or the default: 2^52 with shared ties, else the largest that fits. */
  public long effectiveMaxScore() {
    if (maxScore != 0) {
      return maxScore;
    }
    return "FIRST_COME".equals(ties) ? largestScore() : Math.min(SHARED_DEFAULT, largestScore());
  }
}
