package io.redwire.it.near;

import io.redwire.CacheEvict;
import io.redwire.CachePut;
import io.redwire.Cached;

/** A near-cached lookup with the writes that must keep it coherent. */
public interface NearShop {

  record Item(long id, String name) {}

  @Cached(ttl = "10m", key = "{id}", near = 1000)
  Item item(long id);

  @CachePut(name = "item", key = "{i.id}")
  Item save(Item i);

  @CacheEvict(name = "item", key = "{id}")
  void delete(long id);

  @CacheEvict(name = "item", all = true)
  void clearAll();
}
