package io.redwire.it.bulk;

import io.redwire.CacheEvict;
import io.redwire.Cached;
import java.util.Map;
import java.util.Set;

/** A bulk cache and its clear-all. */
public interface Clearing {

  @Cached(ttl = "10m", name = "cleared")
  Map<Long, String> names(Set<Long> ids);

  @CacheEvict(name = "cleared", all = true)
  void clear();
}
