package io.redwire.it.names;

import io.redwire.Cached;

/** The smallest Redwire interface: one cached method, every default. */
public interface Accounts {
  @Cached(ttl = "10m")
  String byId(long id);
}
