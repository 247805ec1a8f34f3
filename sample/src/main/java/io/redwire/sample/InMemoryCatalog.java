package io.redwire.sample;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Stands in for a database: slow on purpose, and counts its queries. */
final class InMemoryCatalog implements Catalog {

  private final Map<String, Product> rows = new ConcurrentHashMap<>();
  final AtomicLong queries = new AtomicLong();

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
    pause();
    return Optional.ofNullable(rows.get(sku));
  }

  @Override
  public void update(Product product) {
    queries.incrementAndGet();
    rows.put(product.sku(), product);
  }

  static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
