package golden;

import io.redwire.Distinct;
import io.redwire.Leaderboard;
import io.redwire.Ties;
import io.redwire.runtime.board.Board;
import io.redwire.runtime.board.Counter;
import io.redwire.runtime.board.Uniques;

public interface Games {
  enum Mode { SOLO, DUO }

  @Leaderboard(period = "week", zone = "Europe/Paris", ties = Ties.FIRST_COME, keep = 10_000)
  Board<String> weekly(String game);

  @Leaderboard(ttl = "30d")
  Board<Mode> modes(String game, int season);

  @io.redwire.Counter(window = "1m", retain = "1h")
  Counter pageViews(String page);

  @Distinct(window = "1d", retain = "30d")
  Uniques visitors(String page);

  default long views(String page) {
    return pageViews(page).get();
  }
}
