package io.redwire.it.bulk;

import io.redwire.Cached;
import java.util.Map;
import java.util.Set;

/** The same method as {@link Names} in another interface: its own default cache name, its own entries. */
public interface Labels {

  @Cached(ttl = "1m")
  Map<Long, String> names(Set<Long> ids);
}
