package io.redwire.it.events;

import io.redwire.Subscribes;
import java.util.concurrent.CompletionStage;

/** An asynchronous listener: the event is acknowledged when the returned stage completes normally. */
public interface AsyncInventory {
  @Subscribes(channel = "orders", group = "async-inventory", concurrency = 2, maxDeliveries = 2, backoff = "50ms")
  CompletionStage<Void> placed(Orders.OrderPlaced event);
}
