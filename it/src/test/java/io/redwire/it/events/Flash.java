package io.redwire.it.events;

import io.redwire.Subscribes;

/** A pub/sub listener. */
public interface Flash {

  @Subscribes(channel = "flash", durable = false)
  void flashed(Orders.OrderPlaced event);
}
