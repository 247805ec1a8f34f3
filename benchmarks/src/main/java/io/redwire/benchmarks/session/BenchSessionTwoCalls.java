package io.redwire.benchmarks.session;

import io.redwire.SessionScoped;

/**
 * {@link BenchSession} with the increment answering the new value only: a typical request is then two
 * round trips, the {@code Request} view and {@code addVisits(1)}.
 */
@SessionScoped(ttl = "30m", name = "bench-two-calls")
public interface BenchSessionTwoCalls {

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
