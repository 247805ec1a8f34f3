package io.redwire.sample;

import java.util.Map;

/**
 * What every instance of the service shares besides Redis: the catalog database, the pricing service,
 * the stock database and the mail server (in-memory stand-ins, shared because the instances run in
 * one JVM here; in production each would be its own system).
 */
final class Backends {

  final InMemoryCatalog catalog = new InMemoryCatalog();
  final ListPricing pricing = new ListPricing();
  final StockRoom stock;
  final Mailbox mailbox = new Mailbox();

  Backends(Map<String, Integer> stock) {
    this.stock = new StockRoom(stock);
  }

  /** B-1 and B-2 plentiful, G-1 scarce (it sells out under load), T-1 in between. */
  static Backends standard() {
    return new Backends(Map.of("B-1", 500, "B-2", 500, "G-1", 12, "T-1", 60));
  }
}
