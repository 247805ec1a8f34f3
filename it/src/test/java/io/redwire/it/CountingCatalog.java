package io.redwire.it;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The delegate: counts its calls per method, optionally slowly, and can change its answers. */
class CountingCatalog implements Catalog {

  final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  volatile long delayMillis;
  volatile String suffix = "";
  /** Thrown by {@link #product} while set. */
  volatile RuntimeException productFailure;

  int calls(String method) {
    AtomicInteger n = calls.get(method);
    return n == null ? 0 : n.get();
  }

  private void called(String method) {
    calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public Product product(long id) {
    called("product");
    RuntimeException failure = productFailure;
    if (failure != null) {
      throw failure;
    }
    return new Product(id, "product " + id + suffix, new BigDecimal("19.99"), List.of("a", "b"));
  }

  @Override
  public BigDecimal price(String sku, int version) {
    called("price");
    return new BigDecimal(sku.length() + "." + version);
  }

  @Override
  public Optional<Product> find(String name) {
    called("find");
    return name.startsWith("missing") ? Optional.empty()
        : Optional.of(new Product(name.length(), name, BigDecimal.ONE, List.of()));
  }

  @Override
  public long stock(String sku) {
    called("stock");
    return sku.length() * 10L;
  }

  @Override
  public Product save(Product p) {
    called("save");
    return p;
  }

  @Override
  public void delete(long id) {
    called("delete");
  }

  @Override
  public void clearProducts() {
    called("clearProducts");
  }

  @Override
  public CompletableFuture<String> describe(long id) {
    called("describe");
    return CompletableFuture.supplyAsync(() -> "description " + id);
  }

  @Override
  public int plain(int x) {
    called("plain");
    return x * 2;
  }
}
