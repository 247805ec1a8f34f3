package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Returns the leaderboard ({@code io.redwire.runtime.board.Board<M>}) whose key is formed by the
 * method's parameters: members ranked by {@code long} points, highest first, each operation one round
 * trip.
 *
 * <pre>{@code
 * @Leaderboard(period = "week", zone = "Europe/Paris", ties = Ties.FIRST_COME, keep = 10_000)
 * Board<String> weekly(String game);
 * }</pre>
 *
 * <p>Members need an ordered, printable codec: {@code String}, {@code long}/{@code Long},
 * {@code int}/{@code Integer}, {@code UUID} or an enum.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Leaderboard {

  /** Key template; defaults to all parameters in order. */
  String key() default "";

  /**
   * {@code "day"}, {@code "week"} (from Monday) or {@code "month"} in {@link #zone()}, or a duration
   * such as {@code "7d"} for rolling periods aligned to the epoch. Each period is its own board, whose
   * key expires at the end of the period plus {@link #grace()}. Empty: one board, kept while it is
   * written ({@link #ttl()}).
   */
  String period() default "";

  /** The zone of calendar periods (an id such as {@code "Europe/Paris"}). */
  String zone() default "UTC";

  /** How long a period's board outlives its period, so its final standings can be read. */
  String grace() default "1h";

  /** Without a period: the board expires when it was not written for this long. Required then. */
  String ttl() default "";

  /** How equal scores rank. */
  Ties ties() default Ties.SHARED;

  /** Trim to the best {@code keep} members on every write; 0 keeps everyone. */
  long keep() default 0;

  /**
   * The largest absolute score the board must hold exactly. 0: 2^52 with shared ties (then an add is one
   * {@code ZINCRBY}; declare up to 2^53 - 1 to hold more, and an add reads the score first); with
   * first-come ties the largest that fits, 2^53 divided by the period in milliseconds, minus one. A
   * larger value than fits is a compile error that says what fits.
   */
  long maxScore() default 0;

  /** The board name, part of every key. Defaults to {@code <Interface>.<method>}. */
  String name() default "";
}
