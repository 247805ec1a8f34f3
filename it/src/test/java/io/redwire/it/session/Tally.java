package io.redwire.it.session;

import io.redwire.SessionScoped;

/** An {@code int} field with an increment, for its range. */
@SessionScoped(ttl = "30m")
public interface Tally {

  String id();

  int visits();

  int addVisits(int delta);

  boolean compareAndSetVisits(int expect, int update);
}
