package io.redwire.benchmarks.session;

import io.redwire.SessionScoped;

/** The session of the benchmark's typical request: a visit counter and two strings. */
@SessionScoped(ttl = "30m", name = "bench")
public interface BenchSession {

  /** The three fields a request reads, in one round trip. */
  record Request(long visits, String userId, String locale) {}

  String id();

  long visits();

  long addVisits(long delta);

  String userId();

  void userId(String userId);

  String locale();

  void locale(String locale);

  Request request();
}
