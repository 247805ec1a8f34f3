package io.redwire.it.near;

import io.redwire.Cached;

/** The smallest interface with a near cache. */
public interface Tiny {
  @Cached(ttl = "1m", near = 10)
  String hello(String who);
}
