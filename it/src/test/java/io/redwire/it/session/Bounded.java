package io.redwire.it.session;

import io.redwire.SessionScoped;

/** A session that ends 2 s after it was created however active it is. */
@SessionScoped(ttl = "10s", absolute = "2s")
public interface Bounded {

  String id();

  long hits();

  long addHits(long delta);
}
