package io.redwire.it.board;

import io.redwire.Cached;
import io.redwire.Leaderboard;
import io.redwire.runtime.board.Board;

/** Handles mixed with delegated and cached methods: {@code RedwireShop.wrap(delegate, redwire)}. */
public interface Shop {

  @Leaderboard(period = "week", keep = 10)
  Board<String> bestSellers();

  @Cached(ttl = "1m")
  String name(String sku);

  String plain(String sku);
}
