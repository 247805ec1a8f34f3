package io.redwire.benchmarks.events;

import io.redwire.Subscribes;

/** The pub/sub listener, with the annotation's defaults (concurrency 1). */
public interface FlashListener {

  @Subscribes(channel = "flash", durable = false)
  void flash(Ticks.Tick tick);
}
