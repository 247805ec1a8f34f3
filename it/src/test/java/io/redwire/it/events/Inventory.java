package io.redwire.it.events;

import io.redwire.Subscribes;

/** A durable listener: four deliveries at most, retries 100 ms apart and growing, reclaim after 2 s. */
public interface Inventory {

  @Subscribes(channel = "orders", group = "inventory", concurrency = 4, maxDeliveries = 4, backoff = "100ms",
      reclaimAfter = "2s")
  void placed(Orders.OrderPlaced event);
}
