package io.redwire.benchmarks.events;

import io.redwire.Subscribes;

/** The durable listener, with the annotation's defaults (concurrency 1, five deliveries, 30 s reclaim). */
public interface TickListener {

  @Subscribes(channel = "ticks", group = "bench")
  void tick(Ticks.Tick tick);
}
