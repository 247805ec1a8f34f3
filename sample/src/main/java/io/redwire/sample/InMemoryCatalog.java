package io.redwire.sample;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Stands in for a database: slow on purpose, and counts its queries. */
final class InMemoryCatalog implements Catalog {

  private final Map<String, Product> rows = new ConcurrentHashMap<>();
  /** Every query: lookups and updates. */
  final AtomicLong queries = new AtomicLong();
  private final Map<String, Long> lookupsPerSku = new ConcurrentHashMap<>();

  InMemoryCatalog() {
    rows.put("B-1", new Product("B-1", "The Pragmatic Programmer", Product.Category.BOOKS, List.of("classic")));
    rows.put("B-2", new Product("B-2", "Designing Data-Intensive Applications", Product.Category.BOOKS,
        List.of("distributed", "databases")));
    rows.put("G-1", new Product("G-1", "Go board, 19x19", Product.Category.GAMES, List.of("wood")));
    rows.put("T-1", new Product("T-1", "Torque wrench \u2014 \u00bd\u2033", Product.Category.TOOLS, List.of()));
  }

  @Override
  public Product product(String sku) {
    return lookup(sku).orElseThrow(() -> new IllegalArgumentException("no product " + sku));
  }

  @Override
  public Optional<Product> lookup(String sku) {
    queries.incrementAndGet();
    lookupsPerSku.merge(sku, 1L, Long::sum);
    pause();
    return Optional.ofNullable(rows.get(sku));
  }

  @Override
  public void update(Product product) {
    queries.incrementAndGet();
    rows.put(product.sku(), product);
  }

  /** Lookups per SKU: with the cache in front, one per SKU (and one more after each update). */
  Map<String, Long> lookupsPerSku() {
    return new java.util.TreeMap<>(lookupsPerSku);
  }

  /** The query time of a database or a remote service (the thing the caches save). */
  static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
