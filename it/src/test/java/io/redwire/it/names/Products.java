package io.redwire.it.names;

import io.redwire.Cached;
import io.redwire.RateLimited;

/** Same method names as {@link Users}, no explicit names: its state is {@code Products.name}, {@code Products.ping}. */
public interface Products {

  @Cached(ttl = "10m")
  String name(long id);

  @RateLimited(limit = 2, per = "1h", key = "{id}")
  String ping(long id);
}
