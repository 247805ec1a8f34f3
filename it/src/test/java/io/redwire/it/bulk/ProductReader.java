package io.redwire.it.bulk;

import io.redwire.Cached;

/** Another interface that names the cache of {@link Products} on purpose: a deliberate share. */
public interface ProductReader {

  @Cached(ttl = "10m", name = "products", key = "{id}")
  Products.Product product(long id);
}
