package io.redwire.sample;

/** The cart had nothing to order when its lock was taken (another checkout of it just placed it). */
final class EmptyCartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EmptyCartException() {
    super("the cart is empty: its order was placed by another checkout", null, false, false);
  }
}
