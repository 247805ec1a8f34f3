package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generated {@code RedwireLimited} against a real redis-server. */
class RateLimitProxyTest {

  static final int THREADS = 16;
  static final int INSTANCES = 4;

  static RedisServer server;
  static ExecutorService pool;
  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  CountingMetrics metrics;
  final List<Redwire> redwires = new ArrayList<>();
  final List<Limited> proxies = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    server.close();
  }

  @BeforeEach
  void wrap() {
    namespace = "l" + namespaces.incrementAndGet();
    metrics = new CountingMetrics();
    for (int i = 0; i < INSTANCES; i++) {
      Redwire r = Redwire.builder().uri(server.uri()).namespace(namespace)
          .metrics(metrics).build(); // one listener for all four: counts are totals
      redwires.add(r);
      proxies.add(RedwireLimited.wrap(new Limited.Echo(), r));
    }
  }

  @AfterEach
  void close() {
    redwires.forEach(Redwire::close);
  }

  Limited limited() {
    return proxies.get(0);
  }

  /**
   * 16 threads spread over the 4 instances call {@code call} {@code perThread} times each, all at once;
   * returns how many calls were admitted.
   */
  int hammer(int perThread, BiFunction<Limited, String, String> call, String user) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Limited proxy = proxies.get(t % INSTANCES);
      results.add(pool.submit(() -> {
        go.await();
        int admitted = 0;
        for (int i = 0; i < perThread; i++) {
          try {
            assertEquals(user, call.apply(proxy, user));
            admitted++;
          } catch (RateLimitedException e) {
            assertTrue(e.retryAfterMicros() > 0, e.toString());
          }
        }
        return admitted;
      }));
    }
    go.countDown();
    int admitted = 0;
    for (Future<Integer> f : results) {
      admitted += f.get(30, TimeUnit.SECONDS);
    }
    return admitted;
  }

  static void sleepMicros(long micros) {
    long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
    long left;
    while ((left = until - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  @Test
  void gcraAdmitsExactlyTheBurstThenExactlyOnePerInterval() throws Exception {
    // burst 10, one per second: 128 calls from 16 threads on 4 instances take far less than a second
    assertEquals(10, hammer(8, Limited::gcra, "alice"));
    for (int interval = 0; interval < 3; interval++) {
      RateLimitedException e = assertThrows(RateLimitedException.class, () -> limited().gcra("alice"));
      assertTrue(e.retryAfterMicros() <= 1_000_000, e.toString());
      sleepMicros(e.retryAfterMicros());
      assertEquals(1, hammer(4, Limited::gcra, "alice"), "interval " + interval);
    }
    assertEquals(13, countAll("rateLimitAdmitted", "Limited.gcra"));
  }

  @Test
  void fixedWindowAdmitsExactlyTheLimitPerWindow() throws Exception {
    for (int window = 0; window < 2; window++) {
      // move to the start of a window: use it up, then sleep until the server says it ends
      RateLimitedException e = null;
      while (e == null) {
        try {
          limited().fixed("bob");
        } catch (RateLimitedException refused) {
          e = refused;
        }
      }
      sleepMicros(e.retryAfterMicros());
      assertEquals(10, hammer(8, Limited::fixed, "bob"), "window " + window);
    }
  }

  @Test
  void slidingWindowAdmitsExactlyTheLimitPerWindow() throws Exception {
    assertEquals(10, hammer(8, Limited::sliding, "carol"));
    RateLimitedException e = assertThrows(RateLimitedException.class, () -> limited().sliding("carol"));
    assertTrue(e.retryAfterMicros() <= 2_000_000 && e.fullResetMicros() <= 2_000_000, e.toString());
    assertEquals(0, e.remaining());
    sleepMicros(e.fullResetMicros());
    assertEquals(10, hammer(8, Limited::sliding, "carol"));
  }

  @Test
  void oneCommandPerDecisionWithTwoLimits() {
    limited().pair("warm-up"); // loads the script
    limited().twice("warm-up");
    server.resetStats();
    int refused = 0;
    for (int i = 0; i < 60; i++) {
      try {
        limited().pair("u" + (i % 6));
      } catch (RateLimitedException e) {
        refused++;
      }
      try {
        limited().twice("u" + (i % 6));
      } catch (RateLimitedException e) {
        refused++;
      }
    }
    assertTrue(refused > 0, "some calls were refused, and were decided in the same one command");
    assertEquals(120, server.commandCalls("evalsha"));
    assertEquals(0, server.commandCalls("eval"));
    // commands called by the scripts count too: one TIME and two GETs per decision, nothing else read
    assertEquals(120, server.commandCalls("time"));
    assertEquals(240, server.commandCalls("get"));
  }

  @Test
  void everyKeyHasATtlAndThereIsOneKeyPerCaller() throws InterruptedException {
    // fixed-window keys expire at the end of their 2 s window (aligned to the epoch, server time):
    // start right after a boundary, and look at them first, so none has expired when counted
    String[] time = server.command("TIME").split("\n");
    long serverMillis = Long.parseLong(time[0]) * 1000 + Long.parseLong(time[1]) / 1000;
    Thread.sleep(2_000 - serverMillis % 2_000 + 5);
    for (int user = 0; user < 30; user++) {
      limited().gcra("user" + user);
      limited().sliding("user" + user);
      limited().fixed("user" + user);
    }
    for (String limit : List.of("fixed", "gcra", "sliding")) {
      String all = server.command("KEYS", namespace + ":rl-" + limit + ":Limited." + limit + ":*");
      List<String> keys = List.of(all.split("\n"));
      assertEquals(30, keys.size(), limit + ": " + keys);
      for (String key : keys) {
        long pttl = Long.parseLong(server.command("PTTL", key));
        assertTrue(pttl > 0 && pttl <= 2_000, key + " PTTL " + pttl);
      }
    }
    String gcraKey = namespace + ":rl-gcra:Limited.gcra:{user7}";
    long pttl = Long.parseLong(server.command("PTTL", gcraKey));
    assertTrue(pttl > 0 && pttl <= 1_000, "one call into a 10-call burst refills in 1 s: " + pttl);
  }

  @Test
  void retryAfterIsAccurate() {
    for (int i = 0; i < 3; i++) {
      limited().twice("dave");
    }
    for (int round = 0; round < 3; round++) {
      RateLimitedException e = assertThrows(RateLimitedException.class, () -> limited().twice("dave"));
      long received = System.nanoTime();
      assertEquals("Limited.twice-1s", e.name());
      assertEquals(3, e.limit());
      assertTrue(e.retryAfterMicros() > 0 && e.retryAfterMicros() <= 333_334, e.toString());
      long retry = TimeUnit.MICROSECONDS.toNanos(e.retryAfterMicros());
      if (retry > TimeUnit.MILLISECONDS.toNanos(150)) {
        // 100 ms early (several round trips of margin) is still refused
        sleepMicros(TimeUnit.NANOSECONDS.toMicros(received + retry - TimeUnit.MILLISECONDS.toNanos(100)
            - System.nanoTime()));
        assertThrows(RateLimitedException.class, () -> limited().twice("dave"));
      }
      sleepMicros(TimeUnit.NANOSECONDS.toMicros(received + retry - System.nanoTime()));
      assertEquals("dave", limited().twice("dave"), "admitted once the retry-after has passed");
    }
  }

  @Test
  void waitSleepsTheRetryAfterAndIsAdmitted() {
    limited().patient("erin");
    server.resetStats();
    long started = System.nanoTime();
    assertEquals("erin", limited().patient("erin"));
    assertEquals("erin", limited().patient("erin"));
    long waited = System.nanoTime() - started;
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(450), "two waits of ~250 ms: " + waited + " ns");
    assertEquals(4, server.commandCalls("evalsha"), "each waiting call: one refusal, one admission");
    assertEquals(2, metrics.count("rateLimitWaited", "Limited.patient"));
  }

  @Test
  void asyncMethodsFailTheirFuture() throws Exception {
    assertEquals("fay", limited().later("fay").get());
    ExecutionException e = assertThrows(ExecutionException.class, () -> limited().later("fay").get());
    assertTrue(e.getCause() instanceof RateLimitedException, e.toString());
    assertEquals("fay", limited().free("fay"));
  }

  @Test
  void overridesApplyByName() {
    try (Redwire r = Redwire.builder().uri(server.uri()).namespace(namespace + "o")
        .limit("Limited.gcra", 2, java.time.Duration.ofHours(1)).build()) {
      Limited tight = RedwireLimited.wrap(new Limited.Echo(), r);
      tight.gcra("gus");
      tight.gcra("gus");
      RateLimitedException e = assertThrows(RateLimitedException.class, () -> tight.gcra("gus"));
      assertEquals(2, e.limit());
    }
  }

  long countAll(String event, String name) {
    return metrics.count(event, name);
  }
}
