package io.redwire.benchmarks.ratelimit;

import io.redwire.RateLimited;

/**
 * The rate-limited service of {@link RateLimitBenchmark}: the Redwire processor generates
 * {@code RedwireBenchLimits} from it at compile time. GCRA (the default algorithm), one bucket per
 * caller, {@value RateLimitBenchmark#LIMIT} per second with the default burst (= the limit): the same
 * settings as the hand-written GCRA floor, Bucket4j and Redisson rows.
 */
public interface BenchLimits {

  /** One decision per call; admitted calls return {@code caller}, refused ones throw. */
  @RateLimited(limit = 1000, per = "1s", key = "{caller}") // = RateLimitBenchmark.LIMIT
  int call(int caller);

  /** The delegate: trivial work, so the row measures the proxy and its one round trip. */
  final class Echo implements BenchLimits {
    @Override
    public int call(int caller) {
      return caller;
    }
  }
}
