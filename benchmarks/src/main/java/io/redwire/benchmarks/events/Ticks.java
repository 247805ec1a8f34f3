package io.redwire.benchmarks.events;

import io.redwire.Payload;
import io.redwire.Publishes;

/**
 * The benchmark's publisher: a durable channel ({@code XADD}, the default one-day retention) and a
 * pub/sub channel ({@code PUBLISH}), both with the event as a {@code @Payload} parameter.
 */
public interface Ticks {

  /**
   * The event: its sequence number, the {@code System.nanoTime()} it was scheduled for, and the one at
   * which the publish call started.
   */
  record Tick(long seq, long at, long sent) {}

  @Publishes(channel = "ticks")
  void tick(@Payload Tick tick);

  @Publishes(channel = "flash", durable = false)
  void flash(@Payload Tick tick);

  /** The delegate: does nothing (the proxy publishes after it returns). */
  final class Nothing implements Ticks {
    @Override
    public void tick(Tick tick) {}

    @Override
    public void flash(Tick tick) {}
  }
}
