package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CacheSkipGetTest {
  static RedisServer server;

  @BeforeAll
  static void start() { server = RedisServer.start(); }

  @AfterAll
  static void stop() { server.close(); }

  long gets() { return server.commandCalls("get"); }
  long evals() { return server.commandCalls("evalsha"); }

  /** A hot key read among mostly-new ids: XFetch (background refresh) should keep it from expiring. */
  @Test
  void hotKeyAmongMostlyNewIdsIsRefreshedAhead() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = Redwire.builder().uri(server.uri()).namespace("rv1").metrics(metrics).build();
    List<String> hotLoaders = new CopyOnWriteArrayList<>();
    AtomicInteger hotLoads = new AtomicInteger();
    Hot hot = RedwireHot.wrap(key -> {
      if (key.equals("k")) {
        hotLoads.incrementAndGet();
        hotLoaders.add(Thread.currentThread().getName());
        try { Thread.sleep(100); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
      }
      return "v-" + key;
    }, redwire);
    try {
      long calls = 0;
      long u = 0;
      long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
      while (System.nanoTime() < end) {
        for (int i = 0; i < 3; i++) { hot.value("u" + (u++)); calls++; }
        hot.value("k"); calls++;
        Thread.sleep(1);
      }
      long callerLoads = hotLoaders.stream().filter(t -> !t.startsWith("redwire-worker-")).count();
      System.out.println("REVIEW hot loads=" + hotLoads + " loaders=" + hotLoaders + " early="
          + metrics.count("cacheEarlyRefresh", "Hot.value") + " hits=" + metrics.count("cacheHit", "Hot.value")
          + " misses=" + metrics.count("cacheMiss", "Hot.value") + " calls=" + calls);
      assertEquals(1, callerLoads, "the hot key expired under load and a caller recomputed it: " + hotLoaders);
    } finally {
      redwire.close();
    }
  }

  /**
   * A burst of misses from many threads, then close at once: the stores still queued on the workers
   * finish before the client closes, so no load lease is left to make another instance wait for it to
   * expire (5 s) before it loads those ids.
   */
  @Test
  void closeRightAfterABurstOfMissesLeavesNoLeaseHeld() throws Exception {
    Redwire redwire = Redwire.builder().uri(server.uri()).namespace("rv-close").build();
    Catalog catalog = RedwireCatalog.wrap(new CountingCatalog(), redwire);
    int threads = 16;
    int perThread = 400;
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<Thread> burst = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long first = 100_000L * (t + 1);
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (long id = first; id < first + perThread; id++) {
          catalog.product(id);
        }
      });
      th.start();
      burst.add(th);
    }
    go.countDown();
    for (Thread th : burst) {
      th.join(60_000);
    }
    redwire.close(); // at once: stores may still be queued
    String leases = server.command("EVAL", "return #redis.call('KEYS', 'rv-close:*:lease')", "0");
    assertEquals("0", leases, "load leases left held after close");
    String entries = server.command("EVAL", "return #redis.call('KEYS', 'rv-close:c:Catalog.product:*}')", "0");
    assertEquals(Integer.toString(threads * perThread), entries, "every miss stored");
  }

  /** Waits until {@code n} entries of {@code Catalog.product} are stored in {@code namespace}. */
  static void stored(String namespace, int n) {
    io.redwire.testing.Await.until(Duration.ofSeconds(10), () -> server.command("EVAL",
        "return #redis.call('KEYS', ARGV[1])", "0", namespace + ":c:Catalog.product:*}").equals(Integer.toString(n)),
        () -> n + " entries stored");
  }

  /** All new ids, then a hot set: the GET goes away and comes back; hits + misses == calls. */
  @Test
  void switchesBothWays() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = Redwire.builder().uri(server.uri()).namespace("rv2").metrics(metrics).build();
    CountingCatalog delegate = new CountingCatalog();
    Catalog catalog = RedwireCatalog.wrap(delegate, redwire);
    try {
      for (long id = 1000; id < 1200; id++) catalog.product(id);
      stored("rv2", 200); // the stores follow on workers: counted once they all landed
      long g0 = gets(), e0 = evals();
      for (long id = 2000; id < 2100; id++) catalog.product(id);
      stored("rv2", 300);
      long missGets = gets() - g0, missEvals = evals() - e0;
      StringBuilder trace = new StringBuilder();
      for (int r = 0; r < 3; r++) { long e = evals(); for (long id = 2000; id < 2100; id++) catalog.product(id); trace.append(" round" + r + " evalsha=" + (evals() - e)); }
      long g1 = gets(), e1 = evals();
      for (long id = 2000; id < 2100; id++) catalog.product(id);
      long hitGets = gets() - g1, hitEvals = evals() - e1;
      System.out.println("REVIEW evalsha: new ids=" + missEvals + trace + " last=" + hitEvals);
      long hm = metrics.count("cacheHit", "Catalog.product") + metrics.count("cacheMiss", "Catalog.product");
      System.out.println("REVIEW switch: GETs during 100 new ids=" + missGets + ", GETs during 100 hot hits=" + hitGets
          + " hits+misses=" + hm + " (calls 700)");
      assertEquals(200, missEvals);
      assertEquals(0, hitEvals);
      assertEquals(700, hm);
    } finally {
      redwire.close();
    }
  }

  /** Reads skipped by an open circuit breaker are not misses: after the outage a hot set is read with GETs. */
  @Test
  void anOutageDoesNotSwitchToSkippingTheGet() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = Redwire.builder().uri(server.uri()).namespace("rv3").metrics(metrics)
        .circuitBreaker(1, Duration.ofSeconds(60)).build();
    CountingCatalog delegate = new CountingCatalog();
    Catalog catalog = RedwireCatalog.wrap(delegate, redwire);
    try {
      for (long id = 1; id <= 10; id++) catalog.product(id);
      for (long id = 1; id <= 10; id++) catalog.product(id);
      io.redwire.testing.Await.until(Duration.ofSeconds(5), () -> {
        String k = server.command("KEYS", "rv3:*:lease");
        return k == null || k.isEmpty();
      }, () -> "every store landed");
      redwire.breaker().failure(); // open for 60 s: Redis is skipped
      for (int r = 0; r < 20; r++) for (long id = 1; id <= 10; id++) catalog.product(id);
      redwire.breaker().success();
      long e = evals();
      for (long id = 1; id <= 10; id++) catalog.product(id);
      long after = evals() - e;
      System.out.println("REVIEW after outage: evalsha for 10 hits=" + after);
      assertEquals(0, after, "hits after the outage are GETs");
    } finally {
      redwire.close();
    }
  }

  /** EARLY refresh while the GET is skipped: the hot key is recomputed before it expires, never missed. */
  @Test
  void hotKeyAmongMostlyNewIdsIsRecomputedEarly() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = Redwire.builder().uri(server.uri()).namespace("rv4").metrics(metrics).build();
    AtomicInteger hotLoads = new AtomicInteger();
    HotEarly hot = RedwireHotEarly.wrap(key -> {
      if (key.equals("k")) {
        hotLoads.incrementAndGet();
        try { Thread.sleep(100); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
      }
      return "v-" + key;
    }, redwire);
    try {
      long calls = 0;
      long u = 0;
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < end) {
        for (int i = 0; i < 3; i++) { hot.value("u" + (u++)); calls++; }
        hot.value("k"); calls++;
        Thread.sleep(1);
      }
      long misses = metrics.count("cacheMiss", "HotEarly.value");
      long early = metrics.count("cacheEarlyRefresh", "HotEarly.value");
      long hits = metrics.count("cacheHit", "HotEarly.value");
      System.out.println("REVIEW early: hot loads=" + hotLoads + " early=" + early + " misses=" + misses
          + " unique=" + u + " hits=" + hits + " calls=" + calls);
      assertTrue(early > 0, "the hot key was recomputed early");
      assertEquals(u + 1, misses, "only the new ids and the hot key's first load missed");
      assertEquals(calls, hits + misses + early);
    } finally {
      redwire.close();
    }
  }
}
