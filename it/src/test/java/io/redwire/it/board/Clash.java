package io.redwire.it.board;

/** Claims {@code Games.weekly} as a counter: refused next to {@link Games}. */
public interface Clash {

  @io.redwire.Counter(name = "Games.weekly")
  io.redwire.runtime.board.Counter weekly(String game);
}
