package io.redwire.sample;

import io.redwire.CacheEvict;
import io.redwire.Cached;
import java.util.Optional;

/** The product catalog: reads are cached for ten minutes, updates evict. */
public interface Catalog {

  @Cached(ttl = "10m", key = "{sku}", jitter = 10)
  Product product(String sku);

  /** Unknown SKUs are remembered for a short while, so a scan of bad SKUs does not hit the database. */
  @Cached(ttl = "10m", name = "lookup", key = "{sku}", nulls = true, nullTtl = "30s")
  Optional<Product> lookup(String sku);

  @CacheEvict(name = "product", key = "{product.sku}")
  @CacheEvict(name = "lookup", key = "{product.sku}")
  void update(Product product);
}
