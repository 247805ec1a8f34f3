package io.redwire.runtime.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.key.KeyWriter;
import io.redwire.runtime.key.Keys;
import io.redwire.runtime.ratelimit.RateLimiter.Algorithm;
import io.redwire.runtime.ratelimit.RateLimiter.OnFailure;
import io.redwire.runtime.ratelimit.RateLimiter.OnLimit;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limiter and its scripts against a real redis-server, without generated code. */
class RateLimiterTest {

  static RedisServer server;
  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  CountingMetrics metrics;
  Redwire redwire;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void open() {
    namespace = "rl" + namespaces.incrementAndGet();
    metrics = new CountingMetrics();
    redwire = Redwire.builder().uri(server.uri()).namespace(namespace).metrics(metrics).build();
  }

  @AfterEach
  void close() {
    redwire.close();
  }

  static byte[] tag(String user) {
    return KeyWriter.begin(RateLimiter.tagPrefix()).part(user).end();
  }

  RateLimiter limiter(Algorithm algorithm, RateLimit... limits) {
    return RateLimiter.of(redwire, algorithm, OnLimit.THROW, OnFailure.ALLOW, 0, 1, limits);
  }

  /** Calls until refused; returns how many were admitted and the refusal. */
  static int admittedUntilRefused(RateLimiter l, byte[] tag, int max) {
    for (int i = 0; i < max; i++) {
      try {
        l.acquire(tag);
      } catch (RateLimitedException e) {
        return i;
      }
    }
    return max;
  }

  static RateLimitedException refusal(RateLimiter l, byte[] tag) {
    return assertThrows(RateLimitedException.class, () -> l.acquire(tag));
  }

  @Test
  void gcraAdmitsTheBurstThenOnePerInterval() {
    RateLimiter l = limiter(Algorithm.GCRA, new RateLimit("api", 10, 10_000, 4, 0));
    assertEquals(4, admittedUntilRefused(l, tag("alice"), 100));
    RateLimitedException e = refusal(l, tag("alice"));
    assertEquals("api", e.name());
    assertEquals(10, e.limit());
    assertEquals(0, e.remaining());
    assertTrue(e.retryAfter().compareTo(Duration.ofSeconds(1)) <= 0, e.toString());
    assertTrue(e.retryAfter().compareTo(Duration.ofMillis(500)) > 0, e.toString());
    // another caller has a bucket of its own
    assertEquals(4, admittedUntilRefused(l, tag("bob"), 100));
    assertEquals(3, metrics.count("rateLimitLimited", "api"), metrics.summary());
    assertEquals(8, metrics.count("rateLimitAdmitted", "api"), metrics.summary());
  }

  @Test
  void slidingWindowAdmitsExactlyTheLimitInAnyWindow() throws Exception {
    RateLimiter l = limiter(Algorithm.SLIDING_WINDOW, new RateLimit("search", 5, 600, 0, 0));
    assertEquals(5, admittedUntilRefused(l, tag("a"), 50));
    RateLimitedException e = refusal(l, tag("a"));
    assertTrue(e.retryAfterMicros() <= 600_000 && e.retryAfterMicros() > 300_000, e.toString());
    long pttl = Long.parseLong(server.command("PTTL", key(l, 0, "a")));
    assertTrue(pttl > 0 && pttl <= 600, "PTTL " + pttl);
    assertEquals("5", server.command("ZCARD", key(l, 0, "a")), "never more entries than the limit");
    sleepMicros(e.fullResetMicros());
    assertEquals(5, admittedUntilRefused(l, tag("a"), 50));
  }

  @Test
  void fixedWindowAdmitsExactlyTheLimitPerWindow() {
    RateLimiter l = limiter(Algorithm.FIXED_WINDOW, new RateLimit("export", 3, 1000, 0, 0));
    RateLimitedException e = null;
    for (int round = 0; round < 2; round++) {
      // start right after a window boundary, so the calls below all fall in one window: call until
      // refused (a window may turn between calls, so the count is not asserted here), then wait
      // for the window the refusal names to end
      e = firstRefusal(l, "w" + round);
      sleepMicros(e.retryAfterMicros());
      assertEquals(3, admittedUntilRefused(l, tag("w" + round), 50));
      e = refusal(l, tag("w" + round));
      assertEquals(e.retryAfterMicros(), e.resetMicros());
      assertTrue(e.retryAfterMicros() <= 1_000_000, e.toString());
    }
    long pttl = Long.parseLong(server.command("PTTL", key(l, 0, "w1")));
    assertTrue(pttl > 0 && pttl <= 1000, "PTTL " + pttl);
  }

  private static RateLimitedException firstRefusal(RateLimiter l, String user) {
    for (int i = 0; i < 50; i++) {
      try {
        l.acquire(tag(user));
      } catch (RateLimitedException e) {
        return e;
      }
    }
    throw new AssertionError("50 calls admitted by a limit of 3 per second");
  }

  @Test
  void aRefusedCallConsumesNothingOfTheOtherLimits() {
    RateLimiter l = limiter(Algorithm.GCRA,
        new RateLimit("burst", 2, 60_000, 0, 0), new RateLimit("hourly", 100, 3_600_000, 0, 0));
    assertEquals(2, admittedUntilRefused(l, tag("u"), 50));
    for (int i = 0; i < 20; i++) {
      assertEquals("burst", refusal(l, tag("u")).name());
    }
    assertEquals(2, metrics.count("rateLimitAdmitted", "hourly"));
    // the hourly bucket was charged twice, not 22 times: 98 of its 100 burst are left
    String tat = server.command("GET", key(l, 1, "u"));
    long pttl = Long.parseLong(server.command("PTTL", key(l, 1, "u")));
    assertTrue(pttl > 2 * 36_000 - 1000 && pttl <= 2 * 36_000, "PTTL " + pttl + " for TAT " + tat);
  }

  @Test
  void retryAfterIsWhatTheServerWillAdmitAt() {
    RateLimiter l = limiter(Algorithm.GCRA, new RateLimit("precise", 1, 1000, 0, 0));
    l.acquire(tag("p"));
    for (int round = 0; round < 3; round++) {
      RateLimitedException e = refusal(l, tag("p"));
      long received = System.nanoTime();
      long retry = TimeUnit.MICROSECONDS.toNanos(e.retryAfterMicros());
      // waiting less (by 150 ms, far more than a round trip) is refused...
      sleepUntil(received + retry - TimeUnit.MILLISECONDS.toNanos(150));
      RateLimitedException early = refusal(l, tag("p"));
      assertTrue(early.retryAfterMicros() < 200_000, early.toString());
      // ...and waiting exactly the retry-after from the first refusal is admitted
      sleepUntil(received + retry);
      l.acquire(tag("p"));
    }
  }

  @Test
  void oneCommandPerDecision() {
    RateLimiter l = limiter(Algorithm.GCRA,
        new RateLimit("a", 1000, 1000, 0, 0), new RateLimit("b", 10_000, 3_600_000, 0, 0));
    l.acquire(tag("warm")); // loads the script
    server.resetStats();
    for (int i = 0; i < 100; i++) {
      l.acquire(tag("u" + (i % 7)));
    }
    assertEquals(100, server.commandCalls("evalsha"));
    assertEquals(0, server.commandCalls("eval"));
    // Redis also counts the commands a script calls: exactly the script's own TIME, 2 GETs and 2 SETs
    // per decision, so the client sent nothing else
    assertEquals(100, server.commandCalls("time"));
    assertEquals(200, server.commandCalls("get"));
    assertEquals(200, server.commandCalls("set"));
  }

  @Test
  void everyKeyExpiresAndThereIsOneKeyPerCaller() {
    for (Algorithm a : Algorithm.values()) {
      RateLimiter l = limiter(a, new RateLimit("keys-" + a.name().toLowerCase().replace('_', '-'), 10, 60_000, 0, 0));
      for (int user = 0; user < 25; user++) {
        l.acquire(tag("user" + user));
        l.acquire(tag("user" + user));
      }
      String all = server.command("KEYS", namespace + ":" + a.kind() + ":keys-" + a.name().toLowerCase().replace('_', '-') + ":*");
      List<String> keys = List.of(all.split("\n"));
      assertEquals(25, keys.size(), a + ": " + keys);
      for (String k : keys) {
        long pttl = Long.parseLong(server.command("PTTL", k));
        assertTrue(pttl > 0 && pttl <= 60_000, a + ": " + k + " PTTL " + pttl);
      }
    }
  }

  @Test
  void exceptionHeaders() {
    RateLimitedException e = new RateLimitedException("api", 100, 60_000, 0, 1_200_001, 30_000_000, null);
    assertEquals("2", e.retryAfterHeader());
    assertEquals(List.of("RateLimit-Policy", "RateLimit", "Retry-After"), List.copyOf(e.headers().keySet()));
    assertEquals(Map.of("RateLimit-Policy", "100;w=60", "RateLimit", "limit=100, remaining=0, reset=2",
        "Retry-After", "2"), e.headers());
    assertEquals(Duration.ofNanos(1_200_001_000L), e.retryAfter());
    // draft-07 section 4: with Retry-After, reset names the same moment
    assertEquals(e.retryAfter(), e.reset());
    assertEquals(1_200_001, e.resetMicros());
    assertEquals(Duration.ofSeconds(30), e.fullReset());
    assertFalse(e.redisFailure());
    assertEquals(0, e.getStackTrace().length);
    assertEquals("rate limit api (100 per 1m) exceeded; retry after 1200.001 ms", e.getMessage());
  }

  @Test
  void twoAlgorithmsUnderOneNameNeverShareAKey() {
    // a string (GCRA), a sorted set (sliding) and a "window:count" string (fixed) under one name: with
    // the algorithm in the key's kind segment they never meet, so none of them hits WRONGTYPE
    List<RateLimiter> limiters = List.of(
        limiter(Algorithm.GCRA, new RateLimit("shared-name", 5, 60_000, 0, 0)),
        limiter(Algorithm.SLIDING_WINDOW, new RateLimit("shared-name", 5, 60_000, 0, 0)),
        limiter(Algorithm.FIXED_WINDOW, new RateLimit("shared-name", 5, 3_600_000, 0, 0)));
    for (int i = 0; i < 3; i++) {
      for (RateLimiter l : limiters) {
        l.acquire(tag("same-user"));
      }
    }
    assertEquals(0, metrics.count("redisError", "shared-name"));
    assertEquals(9, metrics.count("rateLimitAdmitted", "shared-name"));
    assertEquals(List.of(namespace + ":rl-fixed:shared-name:{same-user}",
            namespace + ":rl-gcra:shared-name:{same-user}", namespace + ":rl-sliding:shared-name:{same-user}"),
        List.of(server.command("KEYS", namespace + ":*").split("\n")).stream().sorted().toList());
  }

  @Test
  void afterCloseEveryDecisionThrowsAndNothingCountsAsARedisError() {
    RateLimiter l = limiter(Algorithm.GCRA, new RateLimit("closing", 5, 60_000, 0, 0));
    l.acquire(tag("c"));
    redwire.close();
    redwire.close();
    for (int i = 0; i < 10; i++) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.acquire(tag("c")));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
    assertThrows(IllegalStateException.class, l::acquire);
    assertThrows(IllegalStateException.class,
        () -> limiter(Algorithm.GCRA, new RateLimit("closing", 5, 60_000, 0, 0)));
    assertEquals(0, metrics.count("redisError", "closing"));
    assertEquals(0, metrics.count("rateLimitAllowedOnFailure", "closing"));
    assertEquals(1, metrics.count("rateLimitAdmitted", "closing"));
  }

  @Test
  void aRefusalsResetAndItsHeadersNameTheRetryAfterMoment() {
    // 10 per 10 s from a full bucket: the 11th call waits ~1 s for one unit, ~10 s for all of them
    for (Algorithm a : Algorithm.values()) {
      // a fixed window of an hour, so that the 11 calls are never split by a window boundary
      long per = a == Algorithm.FIXED_WINDOW ? 3_600_000 : 10_000;
      RateLimiter l = limiter(a, new RateLimit("reset-" + a.kind(), 10, per, 0, 0));
      for (int i = 0; i < 10; i++) {
        l.acquire(tag("r"));
      }
      RateLimitedException e = assertThrows(RateLimitedException.class, () -> l.acquire(tag("r")));
      assertEquals(e.retryAfter(), e.reset(), a.toString());
      String seconds = e.retryAfterHeader();
      assertEquals(seconds, e.headers().get("Retry-After"), a.toString());
      assertTrue(e.headers().get("RateLimit").endsWith(", reset=" + seconds), a + ": " + e.headers());
      assertTrue(e.fullReset().compareTo(e.reset()) >= 0, a + ": " + e.fullReset() + " < " + e.reset());
      if (a == Algorithm.GCRA) {
        assertEquals("1", seconds, e.headers().toString());
        assertTrue(e.fullReset().toMillis() > 9_000, e.fullReset().toString());
      }
    }
  }

  @Test
  void waitSleepsTheRetryAfterOnceInsteadOfPolling() {
    RateLimiter l = RateLimiter.of(redwire, Algorithm.GCRA, OnLimit.WAIT, OnFailure.ALLOW, 2000, 1,
        new RateLimit("patient", 4, 1000, 1, 0));
    l.acquire(tag("w"));
    server.resetStats();
    long started = System.nanoTime();
    l.acquire(tag("w")); // refused, waits ~250 ms, admitted
    long waited = System.nanoTime() - started;
    assertEquals(2, server.commandCalls("evalsha"), "one refusal and one admission, no polling");
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(200), waited + " ns");
    assertEquals(1, metrics.count("rateLimitWaited", "patient"));
    // a wait longer than maxWait is not started
    RateLimiter impatient = RateLimiter.of(redwire, Algorithm.GCRA, OnLimit.WAIT, OnFailure.ALLOW, 100, 1,
        new RateLimit("impatient", 1, 10_000, 0, 0));
    impatient.acquire(tag("w"));
    long t0 = System.nanoTime();
    assertThrows(RateLimitedException.class, () -> impatient.acquire(tag("w")));
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void overridesReplaceTheCompiledLimit() {
    try (Redwire r = Redwire.builder().uri(server.uri()).namespace(namespace + "o")
        .limit("tight", 2, Duration.ofMinutes(1)).build()) {
      RateLimiter l = RateLimiter.of(r, Algorithm.GCRA, OnLimit.THROW, OnFailure.ALLOW, 0, 1,
          new RateLimit("tight", 50, 1000, 0, 0));
      assertEquals(2, admittedUntilRefused(l, tag("o"), 100));
      assertEquals(2, refusal(l, tag("o")).limit());
    }
  }

  String key(RateLimiter l, int i, String user) {
    return Keys.toString(l.keyOf(i, tag(user)));
  }

  static void sleepMicros(long micros) {
    sleepUntil(System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros));
  }

  static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }
}
