package io.redwire.it.near;

import io.redwire.Cached;

/** A near cache of 16 entries. */
public interface Bounded {
  @Cached(ttl = "10m", near = 16)
  String label(long id);
}
