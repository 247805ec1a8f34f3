package io.redwire.it.bulk;

import io.redwire.Cached;
import java.util.Map;
import java.util.Set;

/** The smallest bulk interface. */
public interface Names {

  @Cached(ttl = "1m")
  Map<Long, String> names(Set<Long> ids);
}
