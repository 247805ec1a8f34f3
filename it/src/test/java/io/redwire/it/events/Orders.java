package io.redwire.it.events;

import io.redwire.Payload;
import io.redwire.Publishes;

/** A publisher: a durable channel (the result) and a pub/sub channel (a @Payload parameter). */
public interface Orders {

  record OrderPlaced(String orderId, int seq) {}

  @Publishes(channel = "orders", retain = "100000")
  OrderPlaced place(String orderId, int seq);

  @Publishes(channel = "flash", durable = false)
  void flash(@Payload OrderPlaced order);
}
