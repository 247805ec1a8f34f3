package io.redwire.it;

import io.redwire.Cached;

/** One hot key, recomputed in the background before it expires. */
public interface Hot {
  @Cached(ttl = "2s", refresh = Cached.Refresh.BACKGROUND)
  String value(String key);
}
