package io.redwire.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.codec.CodecException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** One test per metric family: meter names, tags and counts in a {@link SimpleMeterRegistry}. */
class MicrometerMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MicrometerMetrics metrics = new MicrometerMetrics(registry);

  double count(String meter, String... tags) {
    Counter c = registry.find(meter).tags(tags).counter();
    assertNotNull(c, () -> meter + " " + List.of(tags) + " not in " + names());
    return c.count();
  }

  Timer timer(String meter, String... tags) {
    Timer t = registry.find(meter).tags(tags).timer();
    assertNotNull(t, () -> meter + " " + List.of(tags) + " not in " + names());
    return t;
  }

  Set<String> names() {
    return registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void caches() {
    for (int i = 0; i < 3; i++) {
      metrics.cacheHit("product");
    }
    metrics.cacheMiss("product");
    metrics.cacheMiss("price");
    metrics.cacheLoad("product", 2_000_000);
    metrics.cacheLoad("product", 4_000_000);
    metrics.cacheEarlyRefresh("product");
    metrics.cacheStampedeWait("product");
    metrics.cacheStampedeWait("product");
    metrics.cacheDecodeFailure("product", new CodecException("damaged"));
    metrics.cacheDecodeFailure("product", new IllegalStateException("refused"));
    metrics.cacheEncodeFailure("price", new IllegalArgumentException("no"));
    metrics.cacheClearPending("price");

    assertEquals(3, count("redwire.cache.gets", "name", "product", "result", "hit"));
    assertEquals(1, count("redwire.cache.gets", "name", "product", "result", "miss"));
    assertEquals(1, count("redwire.cache.gets", "name", "price", "result", "miss"));
    assertEquals(0, count("redwire.cache.gets", "name", "price", "result", "hit"), "both results from the first lookup");
    Timer loads = timer("redwire.cache.loads", "name", "product");
    assertEquals(2, loads.count());
    assertEquals(6.0, loads.totalTime(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(4.0, loads.max(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(1, count("redwire.cache.early.refreshes", "name", "product"));
    assertEquals(2, count("redwire.cache.stampede.waits", "name", "product"));
    assertEquals(1, count("redwire.cache.decode.failures", "name", "product", "exception", "CodecException"));
    assertEquals(1, count("redwire.cache.decode.failures", "name", "product", "exception", "IllegalStateException"));
    assertEquals(1, count("redwire.cache.encode.failures", "name", "price", "exception", "IllegalArgumentException"));
    assertEquals(1, count("redwire.cache.clear.pending", "name", "price"));
    assertNull(registry.find("redwire.cache.loads").tag("name", "price").timer(), "no meter before its first event");
  }

  @Test
  void redisErrorsByNameOperationAndException() {
    metrics.redisError("product", "get", new JedisConnectionException("refused"));
    metrics.redisError("product", "get", new JedisConnectionException("refused"));
    metrics.redisError("product", "get", new JedisDataException("WRONGTYPE"));
    metrics.redisError("checkout", "acquire", new JedisConnectionException("refused"));
    metrics.redisError("x", "put", new RuntimeException() {}); // anonymous: no simple name

    assertEquals(2, count("redwire.redis.errors", "name", "product", "operation", "get", "exception", "JedisConnectionException"));
    assertEquals(1, count("redwire.redis.errors", "name", "product", "operation", "get", "exception", "JedisDataException"));
    assertEquals(1, count("redwire.redis.errors", "name", "checkout", "operation", "acquire", "exception", "JedisConnectionException"));
    assertEquals(1, count("redwire.redis.errors", "name", "x", "operation", "put", "exception", MicrometerMetricsTest.class.getName() + "$1"));
    assertEquals(4, registry.find("redwire.redis.errors").counters().size());
  }

  @Test
  void circuitStateGaugeAndTransitions() {
    Gauge state = registry.find("redwire.circuit.state").tag("name", "redis").gauge();
    assertNotNull(state, "Redwire's breaker's gauge is there from the start");
    assertEquals(0, state.value());
    assertEquals(0, count("redwire.circuit.transitions", "name", "redis", "state", "open"));
    metrics.circuitOpened("redis");
    assertEquals(1, state.value());
    assertEquals(1, count("redwire.circuit.transitions", "name", "redis", "state", "open"));
    assertEquals(0, count("redwire.circuit.transitions", "name", "redis", "state", "closed"));
    metrics.circuitClosed("redis");
    assertEquals(0, state.value());
    metrics.circuitOpened("redis");
    metrics.circuitClosed("redis");
    assertEquals(2, count("redwire.circuit.transitions", "name", "redis", "state", "open"));
    assertEquals(2, count("redwire.circuit.transitions", "name", "redis", "state", "closed"));

    // listeners of two threads may run in either order: the gauge still ends at 0, never below
    metrics.circuitClosed("other");
    Gauge other = registry.find("redwire.circuit.state").tag("name", "other").gauge();
    assertEquals(0, other.value());
    metrics.circuitOpened("other");
    assertEquals(0, other.value());
  }

  @Test
  void rateLimitDecisionsAndWaits() {
    metrics.rateLimitAdmitted("checkout");
    metrics.rateLimitAdmitted("checkout");
    metrics.rateLimitLimited("checkout");
    metrics.rateLimitAllowedOnFailure("checkout");
    metrics.rateLimitDeniedOnFailure("search");
    metrics.rateLimitWaited("checkout", 250_000_000);

    assertEquals(2, count("redwire.ratelimit.decisions", "name", "checkout", "result", "admitted"));
    assertEquals(1, count("redwire.ratelimit.decisions", "name", "checkout", "result", "limited"));
    assertEquals(1, count("redwire.ratelimit.decisions", "name", "checkout", "result", "allowed.on.failure"));
    assertEquals(0, count("redwire.ratelimit.decisions", "name", "checkout", "result", "denied.on.failure"));
    assertEquals(1, count("redwire.ratelimit.decisions", "name", "search", "result", "denied.on.failure"));
    Timer waits = timer("redwire.ratelimit.waits", "name", "checkout");
    assertEquals(1, waits.count());
    assertEquals(250.0, waits.totalTime(TimeUnit.MILLISECONDS), 1e-9);
  }

  @Test
  void locks() {
    metrics.lockAcquired("stock", 0);
    metrics.lockAcquired("stock", 30_000_000);
    metrics.lockWait("stock");
    metrics.lockBusy("stock");
    metrics.lockBusy("stock");
    metrics.lockLost("report");

    Timer acquisitions = timer("redwire.lock.acquisitions", "name", "stock");
    assertEquals(2, acquisitions.count());
    assertEquals(30.0, acquisitions.totalTime(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(1, count("redwire.lock.waits", "name", "stock"));
    assertEquals(2, count("redwire.lock.busy", "name", "stock"));
    assertEquals(1, count("redwire.lock.lost", "name", "report"));
  }

  @Test
  void boardOperations() {
    metrics.boardOperation("Games.weekly", "add");
    metrics.boardOperation("Games.weekly", "add");
    metrics.boardOperation("Games.weekly", "top");
    metrics.boardOperation("Games.views", "increment");

    assertEquals(2, count("redwire.board.operations", "name", "Games.weekly", "operation", "add"));
    assertEquals(1, count("redwire.board.operations", "name", "Games.weekly", "operation", "top"));
    assertEquals(1, count("redwire.board.operations", "name", "Games.views", "operation", "increment"));
  }

  @Test
  void sessionEvents() {
    metrics.sessionCreated("cart");
    metrics.sessionCreated("cart");
    metrics.sessionFound("cart");
    metrics.sessionExpiredOnRead("cart");
    metrics.sessionRotated("cart");
    metrics.sessionInvalidated("cart");
    metrics.sessionDecodeFailure("cart", "address", new IllegalStateException("shape"));

    assertEquals(2, count("redwire.session.events", "name", "cart", "event", "created"));
    assertEquals(1, count("redwire.session.events", "name", "cart", "event", "found"));
    assertEquals(1, count("redwire.session.events", "name", "cart", "event", "expired"));
    assertEquals(1, count("redwire.session.events", "name", "cart", "event", "rotated"));
    assertEquals(1, count("redwire.session.events", "name", "cart", "event", "invalidated"));
    assertEquals(1, count("redwire.session.decode.failures", "name", "cart", "field", "address"));
  }

  @Test
  void commonTagsOnEveryMeter() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    MicrometerMetrics m = new MicrometerMetrics(r, Tags.of("instance", "a"));
    everyEvent(m);
    assertTrue(r.getMeters().size() > 15);
    for (Meter meter : r.getMeters()) {
      assertEquals("a", meter.getId().getTag("instance"), meter.getId().toString());
      assertNotNull(meter.getId().getTag("name"), meter.getId().toString());
      assertNotNull(meter.getId().getDescription(), meter.getId().toString());
    }
  }

  /** Prometheus refuses a meter name with two sets of tag keys: every name has one. */
  @Test
  void everyMeterNameHasOneSetOfTagKeys() {
    everyEvent(metrics);
    metrics.redisError("b", "set", new IllegalStateException());
    Map<String, Set<Set<String>>> keys = new HashMap<>();
    for (Meter meter : registry.getMeters()) {
      Set<String> k = meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
      keys.computeIfAbsent(meter.getId().getName(), n -> new java.util.HashSet<>()).add(k);
    }
    keys.forEach((name, sets) -> assertEquals(1, sets.size(), name + ": " + sets));
    assertEquals(
        new TreeSet<>(List.of(
            "redwire.board.operations", "redwire.cache.clear.pending", "redwire.cache.decode.failures",
            "redwire.cache.early.refreshes", "redwire.cache.encode.failures", "redwire.cache.gets",
            "redwire.cache.loads", "redwire.cache.stampede.waits", "redwire.cache.near.hits",
            "redwire.cache.near.misses", "redwire.cache.near.invalidations", "redwire.cache.near.clears", "redwire.circuit.state",
            "redwire.circuit.transitions", "redwire.lock.acquisitions", "redwire.lock.busy",
            "redwire.lock.lost", "redwire.lock.waits", "redwire.ratelimit.decisions",
            "redwire.ratelimit.waits", "redwire.redis.errors",
            "redwire.event.published", "redwire.event.publish.failures", "redwire.event.outboxed",
            "redwire.event.outbox.depth", "redwire.event.group.lag", "redwire.event.delivered", "redwire.event.handled",
            "redwire.event.acked", "redwire.event.skipped", "redwire.event.retried",
            "redwire.event.dead.lettered", "redwire.event.reclaimed", "redwire.event.handed.back",
            "redwire.event.listener.recoveries",
            "redwire.session.decode.failures", "redwire.session.events",
            "redwire.job.enqueued", "redwire.job.duplicates", "redwire.job.enqueue.failures",
            "redwire.job.promoted", "redwire.job.runs", "redwire.job.timeouts", "redwire.job.retried",
            "redwire.job.dead", "redwire.job.reclaimed", "redwire.job.handed.back",
            "redwire.job.worker.recoveries")),
        names(),
        "every listener method of RedwireMetrics has its meter");
  }

  @Test
  void theSameMeterObjectEveryCall() {
    metrics.cacheHit("product");
    Counter first = registry.find("redwire.cache.gets").tags("name", "product", "result", "hit").counter();
    metrics.cacheHit("product");
    assertSame(first, registry.find("redwire.cache.gets").tags("name", "product", "result", "hit").counter());
    assertEquals(2, first.count());
  }

  /**
   * Every listener method of {@link RedwireMetrics} is recorded: a method added to the interface
   * fails here until it has a meter (a {@code MeterMap} field and an override in {@link
   * MicrometerMetrics}, a line in the README's table, and a call in {@link #everyEvent}).
   */
  @Test
  void everyListenerMethodIsOverridden() {
    List<String> missing = new java.util.ArrayList<>();
    for (java.lang.reflect.Method m : RedwireMetrics.class.getDeclaredMethods()) {
      if (java.lang.reflect.Modifier.isStatic(m.getModifiers()) || m.isSynthetic()) {
        continue;
      }
      try {
        MicrometerMetrics.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        missing.add(m.getName());
      }
    }
    assertEquals(List.of(), missing, "listener methods MicrometerMetrics does not record");
  }

  /** Calls every listener method of {@link RedwireMetrics} once. */
  static void everyEvent(RedwireMetrics m) {
    m.cacheHit("a");
    m.cacheMiss("a");
    m.cacheLoad("a", 1);
    m.cacheEarlyRefresh("a");
    m.cacheStampedeWait("a");
    m.cacheDecodeFailure("a", new IllegalStateException());
    m.cacheEncodeFailure("a", new IllegalStateException());
    m.cacheClearPending("a");
    m.nearHit("a");
    m.nearMiss("a");
    m.nearInvalidation("a");
    m.nearClear("a");
    m.redisError("a", "get", new JedisConnectionException("x"));
    m.circuitOpened("redis");
    m.circuitClosed("redis");
    m.rateLimitAdmitted("a");
    m.rateLimitLimited("a");
    m.rateLimitWaited("a", 1);
    m.rateLimitAllowedOnFailure("a");
    m.rateLimitDeniedOnFailure("a");
    m.lockAcquired("a", 1);
    m.lockWait("a");
    m.lockBusy("a");
    m.lockLost("a");
    m.boardOperation("a", "add");
    m.eventPublished("a");
    m.eventPublishFailed("a", new JedisConnectionException("x"));
    m.eventOutboxed("a", 3);
    m.eventOutboxDepth("a", 3);
    m.eventGroupLag("a", "g", 42);
    m.eventDelivered("a", "g");
    m.eventHandled("a", "g", 1_000, true);
    m.eventHandled("a", "g", 1_000, false);
    m.eventAcked("a", "g");
    m.eventSkipped("a", "g");
    m.eventRetried("a", "g", 2);
    m.eventDeadLettered("a", "g", "boom");
    m.eventReclaimed("a", "g", 2);
    m.eventHandedBack("a", "g", 2);
    m.eventListenerRecovered("a", "g", "group created again");
    m.sessionCreated("a");
    m.sessionFound("a");
    m.sessionExpiredOnRead("a");
    m.sessionRotated("a");
    m.sessionInvalidated("a");
    m.sessionDecodeFailure("a", "f", new IllegalStateException());
    m.jobEnqueued("a", false);
    m.jobEnqueued("a", true);
    m.jobDuplicate("a");
    m.jobEnqueueFailed("a", new JedisConnectionException("x"));
    m.jobPromoted("a", 3);
    m.jobRan("a", 1_000, true);
    m.jobRan("a", 1_000, false);
    m.jobTimedOut("a");
    m.jobRetried("a", 2);
    m.jobDead("a", "boom");
    m.jobReclaimed("a", 2);
    m.jobHandedBack("a", 3);
    m.jobWorkerRecovered("a", "reconnected");
  }

  @Test
  void jobs() {
    everyEvent(metrics);
    assertEquals(1, count("redwire.job.enqueued", "name", "a", "delayed", "false"));
    assertEquals(1, count("redwire.job.enqueued", "name", "a", "delayed", "true"));
    assertEquals(1, count("redwire.job.duplicates", "name", "a"));
    assertEquals(1, count("redwire.job.enqueue.failures", "name", "a", "exception", "JedisConnectionException"));
    assertEquals(3, count("redwire.job.promoted", "name", "a"));
    assertEquals(3, count("redwire.job.handed.back", "name", "a"));
    assertEquals(1, registry.get("redwire.job.runs").tags("name", "a", "result", "failure").timer().count());
    assertEquals(1, count("redwire.job.timeouts", "name", "a"));
    assertEquals(1, count("redwire.job.retried", "name", "a"));
    assertEquals(1, count("redwire.job.dead", "name", "a"));
    assertEquals(2, count("redwire.job.reclaimed", "name", "a"));
    assertEquals(1, count("redwire.job.worker.recoveries", "name", "a"));
  }

  @Test
  void events() {
    everyEvent(metrics);
    assertEquals(1, registry.get("redwire.event.published").tags("name", "a").counter().count());
    assertEquals(1, registry.get("redwire.event.publish.failures").tags("name", "a", "exception",
        "JedisConnectionException").counter().count());
    assertEquals(3, registry.get("redwire.event.outbox.depth").tags("name", "a").gauge().value());
    metrics.eventOutboxDepth("a", 0); // drained: the gauge follows
    assertEquals(0, registry.get("redwire.event.outbox.depth").tags("name", "a").gauge().value());
    assertEquals(42, registry.get("redwire.event.group.lag").tags("name", "a", "group", "g").gauge().value());
    assertEquals(1, registry.get("redwire.event.handled").tags("name", "a", "group", "g", "result", "failure")
        .timer().count());
    assertEquals(2, registry.get("redwire.event.reclaimed").tags("name", "a", "group", "g").counter().count());
    assertEquals(2, registry.get("redwire.event.handed.back").tags("name", "a", "group", "g").counter().count());
    assertEquals(1, registry.get("redwire.event.dead.lettered").tags("name", "a", "group", "g").counter().count());
  }
}
