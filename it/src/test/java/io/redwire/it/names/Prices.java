package io.redwire.it.names;

import io.redwire.Cached;
import io.redwire.RateLimited;
import java.math.BigDecimal;

/** Shares the cache "shared-price" and the rate limit "shared-quota" with {@link PricesToo}, on purpose. */
public interface Prices {

  @Cached(ttl = "10m", name = "shared-price", key = "{sku}")
  BigDecimal price(String sku);

  @RateLimited(limit = 3, per = "1h", name = "shared-quota", key = "{sku}")
  String quote(String sku);
}
