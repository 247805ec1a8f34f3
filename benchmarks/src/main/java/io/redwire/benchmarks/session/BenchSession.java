package io.redwire.benchmarks.session;

import io.redwire.SessionScoped;

/**
 * The session of the benchmark's typical request: a visit counter and two strings. The increment
 * returns the request's view: one round trip adds to the counter and reads the three fields.
 */
@SessionScoped(ttl = "30m", name = "bench")
public interface BenchSession {

  /** The three fields a request reads. */
  record Request(long visits, String userId, String locale) {}

  String id();

  long visits();

  Request addVisits(long delta);

  String userId();

  void userId(String userId);

  String locale();

  void locale(String locale);

  Request request();
}
