package io.redwire.it;

import io.redwire.Cached;

/** One hot key, recomputed early by a caller before it expires. */
public interface HotEarly {
  @Cached(ttl = "2s", refresh = Cached.Refresh.EARLY)
  String value(String key);
}
