package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.pubsub.Subscriber;
import io.redwire.testing.Await;
import io.redwire.testing.RedisServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The generated {@code RedwireCatalog} against a real redis-server. */
class CacheProxyTest {

  static RedisServer server;
  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  CountingMetrics metrics;
  Redwire redwire;
  CountingCatalog delegate;
  Catalog catalog;
  final List<Redwire> extra = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @BeforeEach
  void wrap() {
    namespace = "t" + namespaces.incrementAndGet();
    metrics = new CountingMetrics();
    redwire = newRedwire(metrics);
    delegate = new CountingCatalog();
    catalog = RedwireCatalog.wrap(delegate, redwire);
  }

  Redwire newRedwire(CountingMetrics m) {
    return Redwire.builder().uri(server.uri()).namespace(namespace).metrics(m)
        .circuitBreaker(3, Duration.ofMillis(200)).build();
  }

  @AfterEach
  void close() {
    redwire.close();
    extra.forEach(Redwire::close);
  }

  /**
   * Waits until the cache's generation channel is subscribed and the re-read that follows a
   * (re)subscription has run, so command counts measure the steady state.
   */
  void settle(String cache) throws InterruptedException {
    byte[] channel = (namespace + ":c:" + cache + ":generation").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Subscriber.of(redwire).isActive(channel) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(Subscriber.of(redwire).isActive(channel), "generation channel subscribed");
    catalog.product(0); // the first call after the subscription re-reads the generation in the background
    Thread.sleep(200);
  }

  /**
   * Waits until every store sent after a miss has landed: a miss serves its caller before its store
   * reaches Redis, and the store releases the load lease.
   */
  void landed() {
    Await.until(Duration.ofSeconds(5), () -> keys(":c:*:lease").isEmpty(), () -> "leases " + keys(":c:*:lease"));
  }

  List<String> keys(String pattern) {
    String all = server.command("KEYS", namespace + pattern);
    return all == null || all.isEmpty() ? List.of() : List.of(all.split("\n"));
  }

  @Test
  void secondCallIsAHitAndEveryKeyHasATtlWithinItsJitter() {
    for (long id = 1; id <= 50; id++) {
      assertEquals("product " + id, catalog.product(id).name());
      // at once: a hit, or (the store still on its way) a join of the load that just served it
      assertEquals(catalog.product(id), catalog.product(id));
    }
    assertEquals(50, delegate.calls("product"));
    landed();
    long hits = metrics.count("cacheHit", "Catalog.product");
    for (long id = 1; id <= 50; id++) {
      assertEquals("product " + id, catalog.product(id).name());
    }
    assertEquals(50, delegate.calls("product"));
    assertEquals(hits + 50, metrics.count("cacheHit", "Catalog.product"), "once stored, every call is a hit");
    List<String> keys = keys(":c:Catalog.product:*");
    assertEquals(50, keys.stream().filter(k -> !k.endsWith(":generation")).count(), keys.toString());
    for (String key : keys) {
      if (key.endsWith(":generation")) {
        continue; // one per cache name, documented as the only key without a TTL
      }
      assertFalse(key.endsWith(":lease"), "leases are released after the load: " + key);
      long pttl = Long.parseLong(server.command("PTTL", key));
      assertTrue(pttl > 600_000 * 0.8 - 5_000 && pttl <= 600_000, key + " has PTTL " + pttl);
    }
  }

  @Test
  void aThousandHitsCostAThousandCommands() throws InterruptedException {
    catalog.product(7);
    settle("Catalog.product");
    server.resetStats();
    long started = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      catalog.product(7);
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertEquals(2, delegate.calls("product")); // 7, and 0 from settle()
    assertEquals(1000, server.commandCalls("get"));
    // the only other command would be the generation safety check, every 30 s while pub/sub is up
    long others = server.commandCalls("evalsha") + server.commandCalls("eval") + server.commandCalls("set")
        + server.commandCalls("del");
    assertEquals(seconds < 30 ? 0 : others, others, others + " commands besides the GETs in " + seconds + " s");
  }

  @Test
  void thirtyTwoThreadsOnFourInstancesLoadAMissingKeyOnce() throws Exception {
    delegate.delayMillis = 300;
    List<Catalog> proxies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Redwire r = newRedwire(new CountingMetrics());
      extra.add(r);
      proxies.add(RedwireCatalog.wrap(delegate, r));
    }
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Catalog.Product>> results = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      Catalog proxy = proxies.get(t % 4);
      results.add(pool.submit(() -> {
        start.await();
        return proxy.product(42);
      }));
    }
    start.countDown();
    for (Future<Catalog.Product> f : results) {
      assertEquals("product 42", f.get(30, TimeUnit.SECONDS).name());
    }
    pool.shutdown();
    assertEquals(1, delegate.calls("product"), "the delegate ran once for 32 callers on 4 instances");
  }

  @Test
  void bytesOverwrittenBySomeoneElseAreAMissNotAnError() {
    catalog.product(3);
    landed();
    String key = keys(":c:Catalog.product:*{3}").get(0);
    server.command("SET", key, "not a redwire value");
    assertEquals("product 3", catalog.product(3).name());
    assertEquals(2, delegate.calls("product"));
    assertEquals("product 3", catalog.product(3).name());
    assertEquals(2, delegate.calls("product"), "the reload was stored again");
  }

  @Test
  void aRecordThatGainedAComponentReadsOldBytesAsAMiss() {
    catalog.product(5);
    // the next deploy: another process (another Redwire) on the same namespace and cache name
    Redwire next = newRedwire(new CountingMetrics());
    extra.add(next);
    CatalogV2 v2 = RedwireCatalogV2.wrap(id -> new CatalogV2.Product(id, "v2", BigDecimal.TEN, List.of(),
        "brand"), next);
    assertEquals("brand", v2.product(5).brand());
    assertEquals("brand", v2.product(5).brand());
  }

  @Test
  void putStoresTheResultAndEvictDeletesIt() {
    Catalog.Product p = new Catalog.Product(9, "saved", BigDecimal.ONE, List.of("x"));
    catalog.save(p);
    assertEquals(p, catalog.product(9));
    assertEquals(0, delegate.calls("product"), "served from the put");
    catalog.delete(9);
    assertEquals("product 9", catalog.product(9).name());
    assertEquals(1, delegate.calls("product"));
  }

  @Test
  void evictAllClearsAHundredThousandEntriesWithOneCommand() throws InterruptedException {
    RedisClient jedis = RedisClient.create(server.host(), server.port());
    try (jedis) {
      catalog.product(1);
      landed();
      String key = keys(":c:Catalog.product:*{1}").get(0);
      byte[] entry = jedis.get(key.getBytes());
      String prefix = key.substring(0, key.indexOf('{'));
      var pipe = jedis.pipelined();
      for (int id = 2; id <= 100_000; id++) {
        pipe.psetex((prefix + "{" + id + "}").getBytes(), 600_000, entry);
      }
      pipe.sync();
      assertTrue(Long.parseLong(server.command("DBSIZE")) >= 100_000);
      // the copied bytes are valid entries: a hit (they all hold product 1's value)
      assertEquals(1, catalog.product(77_777).id());
      assertEquals(1, delegate.calls("product"));

      settle("Catalog.product");
      server.resetStats();
      catalog.clearProducts();
      // one script call: EVALSHA (plus EVAL the first time this script meets the server)
      assertEquals(1, server.commandCalls("evalsha"), "one script");
      assertTrue(server.commandCalls("eval") <= 1, "at most one EVAL to load the script");
      assertEquals(1, server.commandCalls("set"), "one SET of a new generation");
      assertEquals(1, server.commandCalls("publish"), "announced to the other instances");
      assertEquals(0, server.commandCalls("del") + server.commandCalls("scan") + server.commandCalls("keys")
          + server.commandCalls("unlink"));

      assertEquals(77_777, catalog.product(77_777).id(), "cleared: loaded again");
      assertEquals(3, delegate.calls("product")); // 1, 0 from settle(), and 77,777 again
    }
  }

  @Test
  void evictAllReachesOtherInstances() throws Exception {
    Redwire other = newRedwire(new CountingMetrics());
    extra.add(other);
    CountingCatalog otherDelegate = new CountingCatalog();
    Catalog otherCatalog = RedwireCatalog.wrap(otherDelegate, other);
    catalog.product(1);
    otherCatalog.product(1);
    assertEquals(0, otherDelegate.calls("product"));
    long cleared = System.nanoTime();
    catalog.clearProducts();
    while (otherDelegate.calls("product") == 0 && System.nanoTime() - cleared < TimeUnit.SECONDS.toNanos(5)) {
      otherCatalog.product(1);
      Thread.sleep(20);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cleared);
    assertEquals(1, otherDelegate.calls("product"));
    // announced over pub/sub: no need to wait for the once-a-second (or 30 s) re-read
    assertTrue(ms < 500, "the other instance saw the clear after " + ms + " ms");
  }

  @Test
  void nullsAreCachedAsTombstonesWithTheirOwnTtl() {
    assertEquals(Optional.empty(), catalog.find("missing-1"));
    assertEquals(Optional.empty(), catalog.find("missing-1"));
    assertEquals(1, delegate.calls("find"));
    landed();
    String key = keys(":c:Catalog.find:*").stream().filter(k -> k.contains("{")).findFirst().orElseThrow();
    long pttl = Long.parseLong(server.command("PTTL", key));
    assertTrue(pttl > 0 && pttl <= 5_000, "tombstone PTTL " + pttl);
    assertEquals("present", catalog.find("present").orElseThrow().name());
    assertEquals("present", catalog.find("present").orElseThrow().name());
    assertEquals(2, delegate.calls("find"));
  }

  @Test
  void primitivesFuturesVersionedKeysAndPlainMethods() throws Exception {
    assertEquals(30L, catalog.stock("abc"));
    assertEquals(30L, catalog.stock("abc"));
    assertEquals(1, delegate.calls("stock"));

    assertEquals("description 4", catalog.describe(4).get(5, TimeUnit.SECONDS));
    assertEquals("description 4", catalog.describe(4).get(5, TimeUnit.SECONDS));
    assertEquals(1, delegate.calls("describe"));

    assertEquals(new BigDecimal("3.1"), catalog.price("sku", 1));
    assertEquals(new BigDecimal("3.2"), catalog.price("sku", 2));
    assertEquals(new BigDecimal("3.1"), catalog.price("sku", 1));
    assertEquals(2, delegate.calls("price"));
    landed();
    assertEquals(1, keys(":c:price:*{sku:v1}").size());

    assertEquals(8, catalog.plain(4));
    assertEquals(8, catalog.plain(4));
    assertEquals(2, delegate.calls("plain"));
    assertEquals("hello a,b", catalog.greeting("a", "b"));
  }

  @Test
  void operatorsOverrideATtlWithoutRecompiling() {
    Redwire overridden = Redwire.builder().uri(server.uri()).namespace(namespace)
        .ttl("price", Duration.ofSeconds(30)).build();
    extra.add(overridden);
    RedwireCatalog.wrap(delegate, overridden).price("x", 1);
    landed();
    String key = keys(":c:price:*{x:v1}").get(0);
    long pttl = Long.parseLong(server.command("PTTL", key));
    assertTrue(pttl > 25_000 && pttl <= 30_000, "PTTL " + pttl);
  }

  @Test
  void redisStoppedMidRunTheDelegateAnswersAndHitsResumeAfterRestart() throws Exception {
    catalog.product(1);
    server.kill();
    try {
      for (int i = 0; i < 20; i++) {
        long started = System.nanoTime();
        assertEquals("product " + i, catalog.product(i).name());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(ms < 5_000, "call " + i + " took " + ms + " ms with Redis down");
      }
      assertTrue(metrics.count("redisError", "Catalog.product") > 0, "failures are counted, never silent");
    } finally {
      server.restart();
    }
    // the breaker lets a trial through after its 200 ms cool-down; then hits resume
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int before;
    do {
      Thread.sleep(100);
      catalog.product(1000);
      before = delegate.calls("product");
      catalog.product(1000);
    } while (delegate.calls("product") != before && System.nanoTime() < deadline);
    assertEquals(before, delegate.calls("product"), "hits resumed without restarting the application");
  }

  @Test
  void aHangingRedisCostsABoundedTimeAndTheBreakerSkipsIt() throws Exception {
    catalog.product(1);
    server.freeze();
    try {
      long total = 0;
      for (int i = 0; i < 10; i++) {
        long started = System.nanoTime();
        assertEquals("product " + i, catalog.product(i).name());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        total += ms;
        // each Redis call times out after 2 s; a call makes at most two before the breaker opens
        assertTrue(ms < 10_000, "call " + i + " took " + ms + " ms with Redis hanging");
      }
      // three failures open the breaker: after that, calls do not wait on Redis at all
      long fast = System.nanoTime();
      catalog.product(99);
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fast) < 1_000);
      // the breaker may have been opened by a background generation check whose listener call
      // lands a moment after the state change: give it that moment
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (metrics.count("circuitOpened", "redis") == 0 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertTrue(metrics.count("circuitOpened", "redis") >= 1, metrics.summary());
    } finally {
      server.thaw();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    int before;
    do {
      Thread.sleep(250);
      catalog.product(2000);
      before = delegate.calls("product");
      catalog.product(2000);
    } while (delegate.calls("product") != before && System.nanoTime() < deadline);
    assertEquals(before, delegate.calls("product"), "hits resumed after the server answered again");
  }

  @Test
  void hotKeyIsRecomputedAboutOncePerTtlAndCallersNeverWait() throws Exception {
    Set<String> loaderThreads = ConcurrentHashMap.newKeySet();
    AtomicInteger loads = new AtomicInteger();
    Hot hot = RedwireHot.wrap(key -> {
      loads.incrementAndGet();
      if (loads.get() > 1) {
        loaderThreads.add(Thread.currentThread().getName());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "v" + loads.get();
    }, redwire);
    assertEquals("v1", hot.value("k"));
    metrics.reset();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(7);
    List<Future<?>> runs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      runs.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          assertNotNull(hot.value("k"));
          Thread.sleep(1);
        }
        return null;
      }));
    }
    for (Future<?> f : runs) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    // 7 s at a 2 s TTL: 3.5 periods, so the first load plus about 3-4 refreshes
    assertTrue(loads.get() >= 3 && loads.get() <= 8, "delegate ran " + loads.get() + " times");
    assertEquals(0, metrics.count("cacheMiss", "Hot.value"), "after the first load no caller missed");
    assertTrue(metrics.count("cacheHit", "Hot.value") > 1000, "callers kept getting hits");
    for (String thread : loaderThreads) {
      assertTrue(thread.startsWith("redwire-worker-"), "a caller recomputed: " + thread);
    }
  }
}
