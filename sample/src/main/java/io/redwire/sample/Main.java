package io.redwire.sample;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.testing.RedisServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample: a checkout that reads the catalog and prices through Redwire proxies. Uses
 * {@code REDIS_URL} when set, otherwise starts an embedded redis-server for the run.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    String url = System.getenv("REDIS_URL");
    RedisServer embedded = url == null || url.isBlank() ? RedisServer.start() : null;
    try {
      String uri = embedded != null ? embedded.uri() : url;
      System.out.println("Redis: " + (embedded != null ? "embedded redis-server at " + uri : uri));
      System.out.println(run(uri, 200));
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** Runs {@code orders} checkouts and returns the report. Also the end-to-end test's entry point. */
  static Report run(String uri, int orders) {
    CountingMetrics metrics = new CountingMetrics();
    String namespace = "sample-" + Long.toHexString(System.nanoTime());
    try (Redwire redwire = Redwire.builder().uri(uri).namespace(namespace).metrics(metrics).build()) {
      InMemoryCatalog db = new InMemoryCatalog();
      ListPricing priceList = new ListPricing();
      Catalog catalog = RedwireCatalog.wrap(db, redwire);
      Pricing pricing = RedwirePricing.wrap(priceList, redwire);

      List<String> skus = List.of("B-1", "B-2", "G-1", "T-1");
      List<String> currencies = List.of("USD", "EUR");
      StringBuilder receipt = new StringBuilder();
      for (int order = 0; order < orders; order++) {
        String sku = skus.get(order % skus.size());
        String currency = currencies.get(order / skus.size() % currencies.size());
        Product p = catalog.product(sku);
        Price price = pricing.price(sku, currency);
        if (order < skus.size() * currencies.size()) {
          receipt.append(String.format("  order %3d: %-40s %8s %s%n", order, p.name(), price.amount(),
              price.currency()));
        }
      }
      Optional<Product> unknown = catalog.lookup("X-404");
      catalog.lookup("X-404");
      Product renamed = new Product("B-1", "The Pragmatic Programmer, 20th anniversary",
          Product.Category.BOOKS, List.of("classic"));
      catalog.update(renamed);
      String afterUpdate = catalog.product("B-1").name();

      // the checkout API is rate limited per user: alice places orders until she is refused
      AtomicLong placed = new AtomicLong();
      Checkout checkout = RedwireCheckout.wrap((userId, sku) -> "order-" + placed.incrementAndGet(), redwire);
      int admitted = 0;
      RateLimitedException refused = null;
      while (refused == null) {
        try {
          checkout.placeOrder("alice", "B-2");
          admitted++;
        } catch (RateLimitedException e) {
          refused = e;
        }
      }
      String bob = checkout.placeOrder("bob", "G-1"); // another user has his own limit
      return new Report(orders, db.queries.get(), priceList.quotes.get(),
          metrics.count("cacheHit", "product"), metrics.count("cacheMiss", "product"),
          metrics.count("cacheHit", "price"), metrics.count("cacheMiss", "price"),
          unknown.isPresent(), afterUpdate, receipt.toString(), admitted, refused, bob);
    }
  }

  /** What one run did. */
  record Report(int orders, long catalogQueries, long priceQuotes, long productHits, long productMisses,
      long priceHits, long priceMisses, boolean unknownFound, String nameAfterUpdate, String receipt,
      int checkoutsAdmitted, RateLimitedException checkoutRefused, String otherUserOrder) {

    @Override
    public String toString() {
      return String.format("""
          Checkout of %d orders
          %s
          catalog: %d hits, %d misses, hit rate %.1f%%  (database queries: %d)
          pricing: %d hits, %d misses, hit rate %.1f%%  (price quotes: %d)
          unknown SKU X-404 found: %s (the second lookup was a cached null)
          after update, B-1 reads: %s
          checkout: alice placed %d orders, then was refused: %s
            HTTP 429, Retry-After: %s, %s
          checkout: bob still orders: %s
          """, orders, receipt.stripTrailing(), productHits, productMisses,
          rate(productHits, productMisses), catalogQueries, priceHits, priceMisses,
          rate(priceHits, priceMisses), priceQuotes, unknownFound, nameAfterUpdate, checkoutsAdmitted,
          checkoutRefused.getMessage(), checkoutRefused.retryAfterHeader(), checkoutRefused.headers(),
          otherUserOrder);
    }

    private static double rate(long hits, long misses) {
      return hits + misses == 0 ? 0 : 100.0 * hits / (hits + misses);
    }
  }
}
