package io.redwire.it;

import io.redwire.Cached;
import java.math.BigDecimal;
import java.util.List;

/** The catalog after a deploy that added a component to the cached record. */
public interface CatalogV2 {

  record Product(long id, String name, BigDecimal price, List<String> tags, String brand) {}

  /** Named like {@code Catalog.product}'s default-named cache: this is that cache after the deploy. */
  @Cached(ttl = "10m", key = "{id}", name = "Catalog.product")
  Product product(long id);
}
