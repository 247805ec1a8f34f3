package io.redwire.it.board;

import io.redwire.Distinct;
import io.redwire.Leaderboard;
import io.redwire.Ties;
import io.redwire.runtime.board.Board;
import io.redwire.runtime.board.Counter;
import io.redwire.runtime.board.Uniques;

/** Handles only: {@code RedwireGames.of(redwire)}. */
public interface Games {

  @Leaderboard(period = "week", zone = "Europe/Paris", ties = Ties.FIRST_COME, keep = 100)
  Board<String> weekly(String game);

  @Leaderboard(period = "2s", grace = "500ms", ties = Ties.FIRST_COME)
  Board<Long> rush(String game);

  @Leaderboard(period = "day", zone = "Pacific/Auckland")
  Board<Long> daily(String game);

  @io.redwire.Counter(window = "1m", retain = "1h")
  Counter pageViews(String page);

  @Distinct(window = "1d", retain = "7d")
  Uniques visitors(String page);

  default long views(String page) {
    return pageViews(page).sum(java.time.Duration.ofMinutes(2));
  }
}
