package io.redwire.sample;

import io.redwire.Cached;

/** Prices move more often: cached for a minute and refreshed in the background before they expire. */
public interface Pricing {

  @Cached(ttl = "1m", key = "{sku}:{currency}", jitter = 10, refresh = Cached.Refresh.BACKGROUND)
  Price price(String sku, String currency);
}
