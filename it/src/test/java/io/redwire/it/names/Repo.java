package io.redwire.it.names;

import io.redwire.CacheEvict;
import io.redwire.Cached;

/**
 * A generic base: its key and value types are fixed only by sub-interfaces, which get the proxies
 * ({@code RedwireAccountRepo}); there is no {@code RedwireRepo}.
 */
public interface Repo<T, ID> {

  @Cached(ttl = "1m", key = "{id}")
  T find(ID id);

  @CacheEvict(name = "find", key = "{id}")
  void forget(ID id);
}
