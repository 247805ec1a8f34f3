package io.redwire.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The listener runs on the caller's thread (on every cache hit): once its meters exist, a call
 * allocates nothing. Measured with the thread's allocated-bytes counter over a loop, after a
 * warm-up; the figures (and those of a registry look-up per call, for comparison) are printed to
 * this test's output file.
 */
class HotPathTest {

  static final int WARM_UP = 200_000;
  static final int CALLS = 2_000_000;

  final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MicrometerMetrics metrics = new MicrometerMetrics(registry);
  final JedisConnectionException refused = new JedisConnectionException("refused");

  record Figure(double bytesPerCall, double nanosPerCall) {}

  Figure measure(String what, Runnable call) {
    for (int i = 0; i < WARM_UP; i++) {
      call.run();
    }
    long thread = Thread.currentThread().getId();
    long bytes = threads.getThreadAllocatedBytes(thread);
    long started = System.nanoTime();
    for (int i = 0; i < CALLS; i++) {
      call.run();
    }
    long nanos = System.nanoTime() - started;
    bytes = threads.getThreadAllocatedBytes(thread) - bytes;
    Figure f = new Figure((double) bytes / CALLS, (double) nanos / CALLS);
    System.out.printf(Locale.ROOT, "%-55s %8.3f B/call %8.1f ns/call%n", what, f.bytesPerCall, f.nanosPerCall);
    return f;
  }

  @Test
  void aCallAllocatesNothingOnceItsMetersExist() {
    assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    // the loops below run once each: a Runnable per loop, none per call
    Figure hit = measure("cacheHit", () -> metrics.cacheHit("product"));
    Figure load = measure("cacheLoad (timer)", () -> metrics.cacheLoad("product", 1_000));
    Figure admitted = measure("rateLimitAdmitted", () -> metrics.rateLimitAdmitted("checkout"));
    Figure acquired = measure("lockAcquired (timer)", () -> metrics.lockAcquired("stock", 1_000));
    Figure board = measure("boardOperation (name, operation)", () -> metrics.boardOperation("weekly", "add"));
    Figure error = measure("redisError (name, operation, exception)", () -> metrics.redisError("product", "get", refused));
    Figure lookUp =
        measure(
            "for comparison: registry.counter(name, tags) per call",
            () -> registry.counter("redwire.cache.gets", "name", "product", "result", "hit").increment());

    for (Figure f : new Figure[] {hit, load, admitted, acquired, board, error}) {
      assertTrue(f.bytesPerCall < 0.05, f + ": a call allocated");
    }
    assertTrue(lookUp.bytesPerCall > 10, "the comparison measures what it says: " + lookUp);
    assertEquals(
        2L * (WARM_UP + CALLS),
        (long) registry.get("redwire.cache.gets").tags("name", "product", "result", "hit").counter().count(),
        "the look-up loop found the listener's own counter");
  }
}
