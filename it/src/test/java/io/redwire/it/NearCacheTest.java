package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.it.near.Bounded;
import io.redwire.it.near.NearShop;
import io.redwire.it.near.RedwireBounded;
import io.redwire.it.near.RedwireNearShop;
import io.redwire.it.near.RedwireRisky;
import io.redwire.it.near.RedwireTiny;
import io.redwire.it.near.Risky;
import io.redwire.it.near.Tiny;
import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.cache.CacheRegion;
import io.redwire.testing.Await;
import io.redwire.testing.CommandCounter;
import io.redwire.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Cached(near = N)} through generated classes against a real redis-server: two Redwire
 * instances A and B share one server; A's near cache must stop serving a value once B (or anyone)
 * changed it, and must serve nothing stale after losing its invalidation connection.
 */
class NearCacheTest {

  static final String ITEM = "NearShop.item";
  /** A generous bound for invalidations to reach A (measured p99 is printed; it is milliseconds). */
  static final Duration BOUND = Duration.ofSeconds(2);

  static RedisServer server;
  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  final List<Redwire> opened = new ArrayList<>();
  final AtomicLong version = new AtomicLong();
  final AtomicInteger loads = new AtomicInteger();

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @BeforeEach
  void namespace() {
    namespace = "near" + namespaces.incrementAndGet();
  }

  @AfterEach
  void close() {
    opened.forEach(Redwire::close);
  }

  Redwire redwire(String uri, CountingMetrics metrics) {
    return redwire(Redwire.builder().uri(uri).namespace(namespace).metrics(metrics));
  }

  Redwire redwire(Redwire.Builder builder) {
    Redwire r = builder.build();
    opened.add(r);
    return r;
  }

  /** The shop's implementation: every load reads the current {@link #version}. */
  final class Shop implements NearShop {
    @Override
    public Item item(long id) {
      loads.incrementAndGet();
      return new Item(id, "v" + version.get());
    }

    @Override
    public Item save(Item i) {
      return i;
    }

    @Override
    public void delete(long id) {}

    @Override
    public void clearAll() {}
  }

  /** Calls {@code shop} until a call is a near hit, so the next read of {@code id} comes from the L1. */
  static void nearHit(NearShop shop, CountingMetrics metrics, long id) {
    Await.until(Duration.ofSeconds(10), () -> {
      long before = metrics.count("nearHit", ITEM);
      shop.item(id);
      return metrics.count("nearHit", ITEM) > before;
    }, () -> "no near hit for " + id + ": " + metrics.summary());
  }

  /** Nanoseconds until {@code shop} stops returning {@code old} for {@code id}, polling as fast as it can. */
  static long untilChanged(NearShop shop, long id, String old) {
    long start = System.nanoTime();
    long limit = start + TimeUnit.SECONDS.toNanos(10);
    while (shop.item(id).name().equals(old)) {
      if (System.nanoTime() > limit) {
        throw new AssertionError("still serving " + old + " for " + id + " after 10 s");
      }
    }
    return System.nanoTime() - start;
  }

  static String report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format("%s: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms", what, sorted.length,
        sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void anotherInstancesWritesAndAPlainSetStopTheOldValueWithinTheBound() {
    CountingMetrics ma = new CountingMetrics();
    NearShop a = RedwireNearShop.wrap(new Shop(), redwire(server.uri(), ma));
    NearShop b = RedwireNearShop.wrap(new Shop(), redwire(server.uri(), new CountingMetrics()));
    int trials = 200;
    long id = 7;

    long[] put = measure(trials, a, ma, id, i -> b.save(new NearShop.Item(id, "put" + i)));
    long[] evict = measure(trials, a, ma, id, i -> {
      version.incrementAndGet();
      b.delete(id);
    });
    long[] clear = measure(trials, a, ma, id, i -> {
      version.incrementAndGet();
      b.clearAll();
    });
    long[] set = measure(trials, a, ma, id, i -> { // an unrelated client overwrites the entry
      version.incrementAndGet();
      String generation = server.command("GET", namespace + ":c:" + ITEM + ":generation");
      String key = namespace + ":c:" + ITEM + ":" + generation + ":{" + id + "}";
      assertEquals("1", server.command("EXISTS", key), key);
      assertEquals("OK", server.command("SET", key, "not an entry"));
    });
    String figures = String.join("\n", report("B's @CachePut", put), report("B's @CacheEvict", evict),
        report("B's clear-all", clear), report("plain SET", set));
    System.out.println("Near cache: time until A stops serving the old value\n" + figures);
    for (long[] n : List.of(put, evict, clear, set)) {
      long[] sorted = n.clone();
      Arrays.sort(sorted);
      assertTrue(sorted[(int) Math.ceil(sorted.length * 0.99) - 1] < BOUND.toNanos(), figures);
    }
    assertTrue(ma.count("nearInvalidation", ITEM) >= trials, ma.summary());
  }

  /** Each trial: A serves {@code id} from its near cache, {@code write} changes it elsewhere, A must stop serving it. */
  long[] measure(int trials, NearShop a, CountingMetrics ma, long id, java.util.function.IntConsumer write) {
    long[] nanos = new long[trials];
    for (int i = 0; i < trials; i++) {
      nearHit(a, ma, id);
      String old = a.item(id).name();
      write.accept(i);
      nanos[i] = untilChanged(a, id, old);
    }
    return nanos;
  }

  @Test
  void writesOnTheSameInstanceApplyAtOnce() {
    CountingMetrics m = new CountingMetrics();
    NearShop a = RedwireNearShop.wrap(new Shop(), redwire(server.uri(), m));
    nearHit(a, m, 1);
    a.save(new NearShop.Item(1, "saved"));
    assertEquals("saved", a.item(1).name(), "a put is seen by the next read here, without waiting");
    nearHit(a, m, 1);
    version.set(5);
    a.delete(1);
    assertEquals("v5", a.item(1).name(), "an evict too");
    nearHit(a, m, 1);
    version.set(6);
    a.clearAll();
    assertEquals("v6", a.item(1).name(), "and a clear-all");
  }

  @Test
  void nearHitsSendNothing() throws IOException {
    try (CommandCounter counter = new CommandCounter(server.port())) {
      CountingMetrics m = new CountingMetrics();
      NearShop a = RedwireNearShop.wrap(new Shop(), redwire(Redwire.builder().uri(counter.uri())
          .namespace(namespace).metrics(m).pubSubHealthCheck(Duration.ofHours(1), Duration.ofHours(2))));
      nearHit(a, m, 3);
      long hits = m.count("nearHit", ITEM);
      // every command that names item 3's key (holding none): background work such as a new pooled
      // connection's HELLO or the generation's safety-net re-read is not the hits' doing
      List<String> aboutItem = new java.util.concurrent.CopyOnWriteArrayList<>();
      counter.hold(c -> {
        if (c.stream().anyMatch(arg -> arg.contains("{3}"))) {
          aboutItem.add(c.get(0));
        }
        return false;
      });
      for (int i = 0; i < 1000; i++) {
        assertEquals(3, a.item(3).id());
      }
      assertEquals(List.of(), aboutItem, "1,000 near hits sent no command for the item");
      assertEquals(hits + 1000, m.count("nearHit", ITEM));
    }
  }

  @Test
  void neverMoreEntriesThanItsSize() throws Exception {
    CountingMetrics m = new CountingMetrics();
    Redwire r = redwire(server.uri(), m);
    Bounded bounded = RedwireBounded.wrap(id -> "label " + id, r);
    CacheRegion<?> region = region(bounded, "labelCache");
    Await.until(Duration.ofSeconds(10), () -> {
      bounded.label(0);
      return m.count("nearHit", "Bounded.label") > 0;
    }, m::summary);
    for (long id = 0; id < 116; id++) { // 16 + 100
      for (int i = 0; i < 3; i++) { // a load, then a Redis hit that fills the near cache, then maybe a near hit
        assertEquals("label " + id, bounded.label(id));
      }
      assertTrue(region.nearCache().size() <= 16, "size " + region.nearCache().size() + " at " + id);
    }
    assertTrue(region.nearCache().size() > 0);
  }

  static CacheRegion<?> region(Object proxy, String field) throws ReflectiveOperationException {
    java.lang.reflect.Field f = proxy.getClass().getDeclaredField(field);
    f.setAccessible(true);
    return (CacheRegion<?>) f.get(proxy);
  }

  @Test
  void aKilledInvalidationConnectionLeavesNothingStale() {
    CountingMetrics ma = new CountingMetrics();
    NearShop a = RedwireNearShop.wrap(new Shop(), redwire(server.uri(), ma));
    NearShop b = RedwireNearShop.wrap(new Shop(), redwire(server.uri(), new CountingMetrics()));
    for (int round = 0; round < 3; round++) {
      nearHit(a, ma, 2);
      long clears = ma.count("nearClear", ITEM);
      int killed = killNearConnections();
      assertTrue(killed >= 1, "tracking connections killed: " + killed);
      // written while A's connection is down (it reconnects after 50 ms at the earliest): A never
      // hears of this write
      b.save(new NearShop.Item(2, "after kill " + round));
      // A noticed (cleared and bypassed its near cache) and reconnected (cleared again): nothing stale
      Await.until(Duration.ofSeconds(10), () -> ma.count("nearClear", ITEM) >= clears + 2, ma::summary);
      assertEquals("after kill " + round, a.item(2).name());
      nearHit(a, ma, 2); // and the near cache serves again once the connection is back
      assertEquals("after kill " + round, a.item(2).name());
    }
  }

  /** CLIENT KILL of every near-cache tracking connection (named {@code redwire-near}); how many. */
  static int killNearConnections() {
    int n = 0;
    for (String line : server.command("CLIENT", "LIST").split("\n")) {
      if (line.contains(" name=redwire-near ")) {
        String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
        server.command("CLIENT", "KILL", "ID", id);
        n++;
      }
    }
    return n;
  }

  @Test
  void aSilentInvalidationConnectionIsDroppedAndNothingStaleOutlivesTheHealthCheck() throws Exception {
    try (TcpProxy proxy = new TcpProxy(server.host(), server.port())) {
      CountingMetrics ma = new CountingMetrics();
      NearShop a = RedwireNearShop.wrap(new Shop(), redwire(Redwire.builder().uri(proxy.uri()).namespace(namespace)
          .metrics(ma).pubSubHealthCheck(Duration.ofMillis(200), Duration.ofMillis(600))));
      NearShop b = RedwireNearShop.wrap(new Shop(), redwire(server.uri(), new CountingMetrics()));
      nearHit(a, ma, 4);
      // A's own store of 4 is announced to A too, and may still be on its way (it would empty the near
      // cache by itself): wait for a later invalidation, which arrives after it on the same connection
      nearHit(a, ma, 98);
      long seen = ma.count("nearInvalidation", ITEM);
      b.delete(98);
      Await.until(Duration.ofSeconds(10), () -> ma.count("nearInvalidation", ITEM) > seen, ma::summary);
      nearHit(a, ma, 4);
      String old = a.item(4).name();
      assertTrue(proxy.blackholeSubscribers() >= 1);
      String before = ma.summary().replace('\n', ' ');
      b.save(new NearShop.Item(4, "while silent"));
      long nanos = untilChanged(a, 4, old);
      System.out.printf("Near cache: a black-holed invalidation connection stopped serving after %.0f ms"
          + " (ping every 200 ms, pong timeout 600 ms)%n  before: %s%n  after:  %s%n", nanos / 1e6, before,
          ma.summary().replace('\n', ' '));
      assertTrue(nanos < TimeUnit.SECONDS.toNanos(5), nanos / 1e6 + " ms");
      assertTrue(ma.count("nearClear", ITEM) >= 2, "the health check dropped the connection: " + ma.summary());
      assertEquals("while silent", a.item(4).name());
    }
  }

  // ------------------------------------------------------------------ the first hour

  @Test
  void theSmallestInterfaceOnAFreshRedwire() {
    CountingMetrics m = new CountingMetrics();
    AtomicInteger calls = new AtomicInteger();
    Tiny tiny = RedwireTiny.wrap(who -> {
      calls.incrementAndGet();
      return "hello " + who;
    }, redwire(server.uri(), m));
    assertEquals("hello ada", tiny.hello("ada"));
    assertEquals("hello ada", tiny.hello("ada"));
    assertEquals(1, calls.get());
    Await.until(Duration.ofSeconds(10), () -> {
      tiny.hello("ada");
      return m.count("nearHit", "Tiny.hello") > 0;
    }, m::summary);
    assertEquals(1, calls.get());
  }

  @Test
  void twoInterfacesOnOneRedwire() {
    CountingMetrics m = new CountingMetrics();
    Redwire r = redwire(server.uri(), m);
    Tiny tiny = RedwireTiny.wrap(who -> "hi " + who, r);
    NearShop shop = RedwireNearShop.wrap(new Shop(), r);
    Await.until(Duration.ofSeconds(10), () -> {
      tiny.hello("x");
      shop.item(1);
      return m.count("nearHit", "Tiny.hello") > 0 && m.count("nearHit", ITEM) > 0;
    }, m::summary);
    long tinyClears = m.count("nearClear", "Tiny.hello");
    shop.clearAll();
    assertEquals(tinyClears, m.count("nearClear", "Tiny.hello"), "a clear-all of one cache leaves the other");
    long tinyHits = m.count("nearHit", "Tiny.hello");
    assertEquals("hi x", tiny.hello("x"));
    assertEquals(tinyHits + 1, m.count("nearHit", "Tiny.hello"));
  }

  @Test
  void aDelegateThatThrowsIsCalledAgainAndNothingIsCached() {
    CountingMetrics m = new CountingMetrics();
    AtomicInteger calls = new AtomicInteger();
    Risky risky = RedwireRisky.wrap(id -> {
      calls.incrementAndGet();
      throw new IOException("backend down " + id);
    }, redwire(server.uri(), m));
    IOException first = assertThrows(IOException.class, () -> risky.fetch(1));
    IOException second = assertThrows(IOException.class, () -> risky.fetch(1));
    assertEquals("backend down 1", first.getMessage());
    assertEquals("backend down 1", second.getMessage());
    assertEquals(2, calls.get());
    assertEquals(0, m.count("nearHit", "Risky.fetch"));
  }

  @Test
  void closeAndReuse() {
    CountingMetrics m = new CountingMetrics();
    Redwire first = redwire(server.uri(), m);
    Tiny tiny = RedwireTiny.wrap(who -> "hello " + who, first);
    Await.until(Duration.ofSeconds(10), () -> {
      tiny.hello("a");
      return m.count("nearHit", "Tiny.hello") > 0;
    }, m::summary);
    first.close();
    assertThrows(IllegalStateException.class, () -> tiny.hello("a"), "a near hit after close still throws");
    assertThrows(IllegalStateException.class, () -> RedwireTiny.wrap(who -> who, first));
    Await.until(Duration.ofSeconds(10), () -> !server.command("CLIENT", "LIST").contains("name=redwire-near "),
        () -> "the tracking connection outlived close: " + server.command("CLIENT", "LIST"));

    CountingMetrics m2 = new CountingMetrics();
    Tiny again = RedwireTiny.wrap(who -> "hello again " + who, redwire(server.uri(), m2));
    Await.until(Duration.ofSeconds(10), () -> {
      assertNotNull(again.hello("a"));
      return m2.count("nearHit", "Tiny.hello") > 0;
    }, m2::summary);
  }
}
