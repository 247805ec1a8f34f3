package io.redwire.sample;

import io.redwire.Publishes;

/** Placing an order publishes {@code OrderPlaced} on the durable channel "orders" (after it succeeded). */
public interface Orders {

  record OrderPlaced(String orderId, String userId, String sku, int quantity) {}

  @Publishes(channel = "orders", retain = "7d")
  OrderPlaced place(String userId, String sku, int quantity);
}
