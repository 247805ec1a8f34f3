package io.redwire.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.board.Board;
import io.redwire.runtime.lock.LockNotAcquiredException;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MicrometerMetrics} wired into a real Redwire, driven through generated proxies against a real redis-server. */
class MicrometerRedwireTest {

  static RedisServer server;
  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  SimpleMeterRegistry registry;
  Redwire redwire;
  final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @BeforeEach
  void open() {
    namespace = "m" + namespaces.incrementAndGet();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void close() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    if (redwire != null) {
      redwire.close();
    }
  }

  Redwire redwire(RedisServer on, Duration coolDown) {
    redwire = Redwire.builder().uri(on.uri()).namespace(namespace)
        .metrics(new MicrometerMetrics(registry))
        .circuitBreaker(1, coolDown).build();
    return redwire;
  }

  /** The one value of tag {@code name} on meter {@code meter} (the pattern name as the runtime spells it). */
  String patternName(String meter) {
    Set<String> names = registry.find(meter).meters().stream()
        .map(m -> m.getId().getTag("name")).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(1, names.size(), meter + ": " + names);
    return names.iterator().next();
  }

  double count(String meter, String... tags) {
    Counter c = registry.find(meter).tags(tags).counter();
    assertNotNull(c, () -> meter + List.of(tags) + " not in " + dump());
    return c.count();
  }

  Timer timer(String meter, String... tags) {
    Timer t = registry.find(meter).tags(tags).timer();
    assertNotNull(t, () -> meter + List.of(tags) + " not in " + dump());
    return t;
  }

  double gauge(String meter, String... tags) {
    Gauge g = registry.find(meter).tags(tags).gauge();
    assertNotNull(g, () -> meter + List.of(tags) + " not in " + dump());
    return g.value();
  }

  String dump() {
    return registry.getMeters().stream().map(Meter::getId).map(Object::toString).sorted()
        .collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  @Test
  void everyPatternThroughGeneratedProxies() throws Exception {
    Redwire r = redwire(server, Duration.ofSeconds(60));
    Shop shop = RedwireShop.wrap(new Shop.Impl(), r);

    // cache: one miss and load, then hits
    for (int i = 0; i < 5; i++) {
      assertEquals(3L, shop.price("abc"));
    }
    String price = patternName("redwire.cache.gets");
    assertTrue(price.endsWith("price"), price);
    assertEquals(4, count("redwire.cache.gets", "name", price, "result", "hit"));
    assertEquals(1, count("redwire.cache.gets", "name", price, "result", "miss"));
    assertEquals(1, timer("redwire.cache.loads", "name", price).count());

    // rate limit: 2 admitted, then limited
    shop.checkout("amy");
    shop.checkout("amy");
    assertThrows(RateLimitedException.class, () -> shop.checkout("amy"));
    String checkout = patternName("redwire.ratelimit.decisions");
    assertEquals(2, count("redwire.ratelimit.decisions", "name", checkout, "result", "admitted"));
    assertEquals(1, count("redwire.ratelimit.decisions", "name", checkout, "result", "limited"));
    assertEquals(0, count("redwire.ratelimit.decisions", "name", checkout, "result", "allowed.on.failure"));

    // lock: held by one caller; a caller that does not wait is refused; one that waits gets it after
    CountDownLatch firstIn = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Long> first = threads.submit(() -> shop.reserve("sku-1", firstIn, release));
    assertTrue(firstIn.await(10, TimeUnit.SECONDS));
    assertThrows(LockNotAcquiredException.class, () -> shop.reserveNow("sku-1", new CountDownLatch(1), release));
    String stock = patternName("redwire.lock.busy");
    assertEquals(1, count("redwire.lock.busy", "name", stock));
    Future<Long> second = threads.submit(() -> shop.reserve("sku-1", new CountDownLatch(1), release));
    await(() -> registry.find("redwire.lock.waits").counter() != null, "the second caller to wait");
    Thread.sleep(50); // the second caller's wait is measurable
    release.countDown();
    assertEquals(1L, first.get(10, TimeUnit.SECONDS));
    assertEquals(1L, second.get(10, TimeUnit.SECONDS));
    Timer acquisitions = timer("redwire.lock.acquisitions", "name", stock);
    assertEquals(2, acquisitions.count());
    assertTrue(acquisitions.max(TimeUnit.MILLISECONDS) >= 40, "the waiting caller's wait: " + acquisitions.max(TimeUnit.MILLISECONDS));
    assertEquals(1, count("redwire.lock.waits", "name", stock));
    assertEquals(0, registry.find("redwire.lock.lost").meters().size());

    // leaderboard handle
    Board<String> books = RedwireCharts.of(r).bestSellers("books");
    books.add("dune", 3);
    books.add("emma", 5);
    assertEquals("emma", books.top(1).get(0).member());
    String board = patternName("redwire.board.operations");
    assertEquals(2, count("redwire.board.operations", "name", board, "operation", "add"));
    assertEquals(1, count("redwire.board.operations", "name", board, "operation", "top"));

    // a command error (WRONGTYPE): counted with its exception, the breaker stays closed
    String entries = server.command("KEYS", namespace + ":*price*{abc}*");
    assertEquals(1, entries.lines().count(), entries);
    server.command("DEL", entries);
    server.command("HSET", entries, "not", "redwire");
    assertEquals(3L, shop.price("abc"));
    List<Meter> errors = List.copyOf(registry.find("redwire.redis.errors").meters());
    assertEquals(1, errors.size(), dump());
    assertEquals(price, errors.get(0).getId().getTag("name"));
    assertEquals("JedisDataException", errors.get(0).getId().getTag("exception"));
    assertEquals(1, ((Counter) errors.get(0)).count());
    assertEquals(0, gauge("redwire.circuit.state", "name", "redis"));
    assertEquals(0, count("redwire.circuit.transitions", "name", "redis", "state", "open"), "no transition");
  }

  @Test
  void theCircuitGaugeFollowsAnOutage() throws Exception {
    try (RedisServer down = RedisServer.start()) {
      Redwire r = redwire(down, Duration.ofMillis(100));
      Shop shop = RedwireShop.wrap(new Shop.Impl(), r);
      assertEquals(2L, shop.price("ab"));
      assertEquals(0, gauge("redwire.circuit.state", "name", "redis"));

      down.stop();
      assertEquals(2L, shop.price("ab"), "the cache fails open");
      assertEquals(1, gauge("redwire.circuit.state", "name", "redis"), dump());
      assertEquals(1, count("redwire.circuit.transitions", "name", "redis", "state", "open"));
      assertEquals(0, count("redwire.circuit.transitions", "name", "redis", "state", "closed"));
      assertTrue(registry.find("redwire.redis.errors").counters().stream()
          .anyMatch(c -> c.getId().getTag("exception").equals("JedisConnectionException") && c.count() >= 1), dump());
      shop.checkout("bob"); // Redis is skipped; onFailure = ALLOW by default
      String checkout = patternName("redwire.ratelimit.decisions");
      assertEquals(1, count("redwire.ratelimit.decisions", "name", checkout, "result", "allowed.on.failure"));

      down.restart();
      await(() -> {
        shop.price("ab");
        return registry.get("redwire.circuit.state").tag("name", "redis").gauge().value() == 0;
      }, "the breaker to close");
      assertEquals(1, count("redwire.circuit.transitions", "name", "redis", "state", "closed"));
      assertEquals(1, count("redwire.circuit.transitions", "name", "redis", "state", "open"));
    }
  }
}
