package io.redwire.benchmarks.cache;

import io.redwire.Cached;
import io.redwire.benchmarks.BenchCatalog.Product;

/** The hit benchmark's lookup with a near cache in front of Redis (the key space fits in it). */
public interface NearCatalog {

  @Cached(ttl = "10m", key = "{id}", near = 2000)
  Product product(long id);
}
