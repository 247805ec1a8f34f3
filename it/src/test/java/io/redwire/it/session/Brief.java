package io.redwire.it.session;

import io.redwire.SessionScoped;

/** A session with a short idle timeout, for expiry. */
@SessionScoped(ttl = "1s")
public interface Brief {

  String id();

  long hits();

  long addHits(long delta);

  String note();

  void note(String note);
}
