package io.redwire.it.names;

import io.redwire.Cached;
import io.redwire.RateLimited;

/** Same method names as {@link Products}, no explicit names: its state is {@code Users.name}, {@code Users.ping}. */
public interface Users {

  @Cached(ttl = "10m")
  String name(long id);

  @RateLimited(limit = 2, per = "1h", key = "{id}")
  String ping(long id);
}
