package io.redwire.sample;

import io.redwire.Publishes;
import java.math.BigDecimal;
import java.util.List;

/** Recording an order publishes {@code OrderPlaced} on the durable channel "orders" (after it succeeded). */
public interface Orders {

  record OrderPlaced(String orderId, String userId, List<CartSession.Line> lines, BigDecimal total) {}

  @Publishes(channel = "orders", retain = "7d")
  OrderPlaced place(String orderId, String userId, List<CartSession.Line> lines, BigDecimal total);
}
