package io.redwire.it.events;

import io.redwire.Subscribes;

/** A listener of "orders" in its own group with one delivery and no retries (EventRecoveryTest). */
public interface OneShot {
  @Subscribes(channel = "orders", group = "oneshot", concurrency = 1, maxDeliveries = 1, reclaimAfter = "1s")
  void placed(Orders.OrderPlaced event);
}
