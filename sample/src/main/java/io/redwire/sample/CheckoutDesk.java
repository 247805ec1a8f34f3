package io.redwire.sample;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The checkout of one instance (the delegate of its rate-limited {@code Checkout} proxy): reserves
 * every line under its SKU's lock, all or nothing, prices the order, records it (which publishes
 * {@code OrderPlaced}) and adds the units to the week's best sellers.
 */
final class CheckoutDesk implements Checkout {

  private final Inventory inventory;
  private final Pricing pricing;
  private final Orders orders;
  private final Stats stats;

  CheckoutDesk(Inventory inventory, Pricing pricing, Orders orders, Stats stats) {
    this.inventory = inventory;
    this.pricing = pricing;
    this.orders = orders;
    this.stats = stats;
  }

  @Override
  public Orders.OrderPlaced placeOrder(String userId, List<CartSession.Line> lines) {
    List<CartSession.Line> reserved = new ArrayList<>();
    Orders.OrderPlaced order = null;
    try {
      for (CartSession.Line line : lines) {
        Inventory.Reservation r = inventory.reserve(line.sku(), line.quantity());
        if (r.granted() == 0) {
          throw new SoldOutException(line.sku(), line.quantity(), r.remaining());
        }
        reserved.add(line);
      }
      BigDecimal total = BigDecimal.ZERO;
      for (CartSession.Line line : lines) {
        total = total.add(pricing.price(line.sku(), "USD").amount().multiply(BigDecimal.valueOf(line.quantity())));
      }
      order = orders.place(UUID.randomUUID().toString(), userId, List.copyOf(lines), total);
    } finally {
      if (order == null) { // sold out, or a lock or Redis failure: give back what was reserved
        for (CartSession.Line line : reserved) {
          inventory.restock(line.sku(), line.quantity());
        }
      }
    }
    for (CartSession.Line line : lines) {
      stats.bestSellers().add(line.sku(), line.quantity());
    }
    return order;
  }
}
