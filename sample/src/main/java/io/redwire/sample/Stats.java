package io.redwire.sample;

import io.redwire.Leaderboard;
import io.redwire.runtime.board.Board;
import io.redwire.runtime.board.Counter;

/**
 * Shop statistics: best-selling products of the week (a calendar week in the shop's zone) and page
 * views per product. Every method returns a handle, so {@code RedwireStats.of(redwire)} needs no
 * delegate.
 */
public interface Stats {

  /** Units sold per SKU this week; ties share a rank. */
  @Leaderboard(period = "week", zone = "Europe/Paris", keep = 1_000)
  Board<String> bestSellers();

  /** Views of a product page, in one-minute windows kept for an hour. */
  @io.redwire.Counter(window = "1m", retain = "1h")
  Counter pageViews(String sku);
}
