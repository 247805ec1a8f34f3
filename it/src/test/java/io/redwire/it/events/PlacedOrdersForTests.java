package io.redwire.it.events;

/** The delegate: builds the event. */
public final class PlacedOrdersForTests implements Orders {
  @Override
  public OrderPlaced place(String orderId, int seq) {
    return new OrderPlaced(orderId, seq);
  }

  @Override
  public void flash(OrderPlaced order) {}
}
