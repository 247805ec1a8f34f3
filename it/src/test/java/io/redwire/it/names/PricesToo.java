package io.redwire.it.names;

import io.redwire.Cached;
import io.redwire.RateLimited;
import java.math.BigDecimal;

/** The same names as {@link Prices}, with the same value, key shape, settings and algorithm: shared state. */
public interface PricesToo {

  @Cached(ttl = "10m", name = "shared-price", key = "{code}")
  BigDecimal lookup(String code);

  @RateLimited(limit = 3, per = "1h", name = "shared-quota", key = "{code}")
  String ask(String code);
}
