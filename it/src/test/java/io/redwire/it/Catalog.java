package io.redwire.it;

import io.redwire.CacheEvict;
import io.redwire.CachePut;
import io.redwire.Cached;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A catalog service with every caching feature, run through the processor by this module's build. */
public interface Catalog {

  record Product(long id, String name, BigDecimal price, List<String> tags) {}

  @Cached(ttl = "10m", key = "{id}", jitter = 20)
  Product product(long id);

  @Cached(ttl = "10m", name = "price", key = "{sku}:v{version}")
  BigDecimal price(String sku, int version);

  @Cached(ttl = "1m", nulls = true, nullTtl = "5s")
  Optional<Product> find(String name);

  @Cached(ttl = "1m", name = "stock")
  long stock(String sku);

  @CachePut(name = "product", key = "{p.id}")
  Product save(Product p);

  @CacheEvict(name = "product", key = "{id}")
  void delete(long id);

  @CacheEvict(name = "product", all = true)
  void clearProducts();

  @Cached(ttl = "10m", name = "describe")
  CompletableFuture<String> describe(long id);

  /** Not annotated: delegates unchanged. */
  int plain(int x) throws java.io.IOException;

  default String greeting(String... names) {
    return "hello " + String.join(",", names);
  }
}
