package io.redwire.it.events;

/** The delegate: builds the event. */
final class PlacedOrders implements Orders {
  @Override
  public OrderPlaced place(String orderId, int seq) {
    return new OrderPlaced(orderId, seq);
  }

  @Override
  public void flash(OrderPlaced order) {}
}
