package io.redwire.it.bulk;

import io.redwire.CacheEvict;
import io.redwire.CachePut;
import io.redwire.Cached;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A single-key method and bulk methods sharing one cache, plus a bulk cache that keeps nulls. */
public interface Products {

  record Product(long id, String name) {}

  @Cached(ttl = "10m", name = "products", key = "{id}")
  Product product(long id);

  @Cached(ttl = "10m", name = "products")
  Map<Long, Product> products(Set<Long> ids);

  @Cached(ttl = "10m", name = "products", key = "{ids}")
  Map<Long, Product> productList(List<Long> ids);

  @Cached(ttl = "10m", name = "products")
  Map<Long, Product> productCollection(Collection<Long> ids);

  @CachePut(name = "products", key = "{p.id}")
  Product save(Product p);

  @CacheEvict(name = "products", key = "{id}")
  void delete(long id);

  @Cached(ttl = "10m", nulls = true, nullTtl = "1m")
  Map<Long, Product> known(Set<Long> ids);
}
