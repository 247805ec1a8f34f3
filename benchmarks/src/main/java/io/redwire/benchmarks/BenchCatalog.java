package io.redwire.benchmarks;

import io.redwire.Cached;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cached service every cache benchmark measures: the Redwire processor generates
 * {@code RedwireBenchCatalog} from it at compile time, Spring wraps {@link Products.Service} (which
 * implements it) with {@code @Cacheable}, and the hand-written and Redisson peers do the same by hand.
 */
public interface BenchCatalog {

  /** About 60 bytes on the wire in Redwire's and the hand-written format. */
  record Product(long id, String name, long priceCents, List<String> tags) implements Serializable {}

  /** The hit benchmarks: a fixed key space, loaded before measuring. */
  @Cached(ttl = "10m", key = "{id}")
  Product product(long id);

  /**
   * The bulk benchmarks: the entries of {@link #product} (same cache name, key and settings), read with
   * one MGET. Only Redwire caches it; the delegate's default loads each id.
   */
  @Cached(ttl = "10m", name = "BenchCatalog.product", key = "{ids}")
  default Map<Long, Product> products(Set<Long> ids) {
    Map<Long, Product> out = new LinkedHashMap<>();
    for (Long id : ids) {
      out.put(id, product(id));
    }
    return out;
  }

  /** The miss benchmarks: every call uses a new id; entries live 10 s and are flushed per iteration. */
  @Cached(ttl = "10s", key = "{id}")
  Product fresh(long id);
}
