package io.redwire.micrometer;

import io.redwire.Leaderboard;
import io.redwire.runtime.board.Board;

/** Handles only: {@code RedwireCharts.of(redwire)}. */
public interface Charts {

  @Leaderboard(period = "week", name = "bestSellers")
  Board<String> bestSellers(String category);
}
