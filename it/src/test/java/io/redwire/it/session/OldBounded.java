package io.redwire.it.session;

import io.redwire.SessionScoped;

/** {@link Bounded} as an older build had it: no absolute timeout yet. Same store name. */
@SessionScoped(ttl = "10s", name = "Bounded")
public interface OldBounded {

  String id();

  long hits();

  long addHits(long delta);
}
