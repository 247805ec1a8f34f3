package io.redwire.sample;

import io.redwire.runtime.session.SessionStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The checkout of one instance (the delegate of its rate-limited, cart-locked {@code Checkout} proxy):
 * reads the cart, reserves every line under its SKU's lock, all or nothing, prices the order, records
 * it (which publishes {@code OrderPlaced}), empties the cart and adds the units to the week's best
 * sellers.
 */
final class CheckoutDesk implements Checkout {

  private final Inventory inventory;
  private final Pricing pricing;
  private final Orders orders;
  private final Stats stats;
  private final SessionStore<CartSession> carts;

  CheckoutDesk(Inventory inventory, Pricing pricing, Orders orders, Stats stats, SessionStore<CartSession> carts) {
    this.carts = carts;
    this.inventory = inventory;
    this.pricing = pricing;
    this.orders = orders;
    this.stats = stats;
  }

  @Override
  public Orders.OrderPlaced placeOrder(String userId, String cartId) {
    CartSession cart = carts.find(cartId).orElseThrow(EmptyCartException::new);
    CartSession.Summary summary = cart.summary();
    List<CartSession.Line> lines = summary.lines();
    if (lines == null || lines.isEmpty()) {
      throw new EmptyCartException();
    }
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
    cart.lines(List.of()); // still under the cart's lock: a second checkout finds it empty
    cart.addItems(-summary.items());
    for (CartSession.Line line : lines) {
      stats.bestSellers().add(line.sku(), line.quantity());
    }
    return order;
  }
}
