package io.redwire.sample;

import io.redwire.CacheEvict;
import io.redwire.Cached;
import java.math.BigDecimal;

/** Prices move more often: cached for a minute and refreshed in the background before they expire. */
public interface Pricing {

  @Cached(ttl = "1m", key = "{sku}:{currency}", jitter = 10, refresh = Cached.Refresh.BACKGROUND)
  Price price(String sku, String currency);

  /** Sets a list price; the cached quote of that SKU and currency is evicted on every instance. */
  @CacheEvict(name = "price", key = "{sku}:{currency}")
  void setPrice(String sku, String currency, BigDecimal amount);
}
