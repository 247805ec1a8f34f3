package io.redwire.it.near;

import io.redwire.Cached;

/** Three near caches on one interface. */
public interface Trio {
  @Cached(ttl = "1m", near = 10)
  String a(String id);

  @Cached(ttl = "1m", near = 10)
  String b(String id);

  @Cached(ttl = "1m", near = 10)
  String c(String id);
}
