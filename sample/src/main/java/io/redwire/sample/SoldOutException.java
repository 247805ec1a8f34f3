package io.redwire.sample;

/** A checkout that asked for more of a SKU than is in stock; nothing was reserved. */
final class SoldOutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final String sku;
  final int requested;
  final int available;

  SoldOutException(String sku, int requested, int available) {
    super("only " + available + " of " + sku + " in stock, " + requested + " requested", null, false, false);
    this.sku = sku;
    this.requested = requested;
    this.available = available;
  }
}
