package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.pubsub.Subscriber;
import io.redwire.testing.Await;
import io.redwire.testing.CommandCounter;
import io.redwire.testing.RedisServer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The miss path on the wire: the caller waits for its GET and one lease round trip, and the store goes
 * out after it has its value. A {@link CommandCounter} in front of the server counts the commands and
 * holds the store back, so these tests see what happens while a store is still on its way: the caller
 * is not waiting for it, and a put or evict that overtakes it wins.
 */
class CacheMissTest {

  static RedisServer server;
  static CommandCounter counter;
  static final AtomicInteger namespaces = new AtomicInteger();
  final ExecutorService threads = Executors.newCachedThreadPool();

  String namespace;
  Redwire redwire;
  CountingCatalog delegate;
  Catalog catalog;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    counter = new CommandCounter(server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    counter.close();
    server.close();
  }

  @BeforeEach
  void wrap() throws Exception {
    namespace = "m" + namespaces.incrementAndGet();
    redwire = newRedwire();
    delegate = new CountingCatalog();
    catalog = RedwireCatalog.wrap(delegate, redwire);
    settle(redwire, catalog);
  }

  CountingMetrics metrics = new CountingMetrics();

  Redwire newRedwire() {
    return Redwire.builder().uri(counter.uri()).namespace(namespace).metrics(metrics).build();
  }

  @AfterEach
  void close() {
    counter.release();
    redwire.close();
    threads.shutdownNow();
  }

  /**
   * Loads product 0 (so every cache script is loaded on the server) and waits until the generation
   * channel is subscribed.
   */
  void settle(Redwire r, Catalog c) {
    c.product(0);
    byte[] channel = (namespace + ":c:Catalog.product:generation").getBytes(StandardCharsets.UTF_8);
    Await.until(Duration.ofSeconds(5), () -> Subscriber.of(r).isActive(channel), () -> "generation channel subscribed");
    landed();
  }

  /** No load lease left: every store has landed (or been dropped). */
  void landed() {
    Await.until(Duration.ofSeconds(5), () -> keys(":c:*:lease").isEmpty(), () -> "leases " + keys(":c:*:lease"));
  }

  List<String> keys(String pattern) {
    String all = server.command("KEYS", namespace + pattern);
    return all == null || all.isEmpty() ? List.of() : List.of(all.split("\n"));
  }

  /** The commands that name the key of product {@code id}, in the order they reached the server. */
  final List<String> about = new CopyOnWriteArrayList<>();

  /**
   * Holds back the store of {@code name}: the only script call whose arguments carry the encoded value;
   * meanwhile records in {@link #about} every command on the key of {@code id} (so background commands
   * such as the generation's re-read are not counted).
   */
  void holdStoreOf(long id, String name) {
    String part = "{" + id + "}";
    counter.hold(c -> {
      if (c.stream().anyMatch(a -> a.contains(part))) {
        about.add(c.get(0));
      }
      return c.get(0).equals("EVALSHA") && c.stream().anyMatch(a -> a.contains(name));
    });
  }

  @Test
  void aMissCostsTheCallerAGetAndALeaseAndTheStoreFollowsWithoutItsCallerWaiting() {
    holdStoreOf(7, "product 7");
    // well under the client's 2 s socket timeout, after which a caller waiting for the held reply
    // would also return (with the store failed)
    Catalog.Product p = assertTimeoutPreemptively(Duration.ofMillis(1000), () -> catalog.product(7),
        "the caller must not wait for the store's reply");
    assertEquals("product 7", p.name());
    Await.until(Duration.ofSeconds(5), () -> counter.holding() == 1, () -> "the store to be sent");
    // GET (a miss), EVALSHA (the lease, or the entry if another loader stored it meanwhile), then the store
    assertEquals(List.of("GET", "EVALSHA", "EVALSHA"), about);
    assertTrue(keys(":c:Catalog.product:*{7}").isEmpty(), "not stored yet");

    // while the store is on its way, callers here share the value that was just served: a hit
    long hits = metrics.count("cacheHit", "Catalog.product");
    long misses = metrics.count("cacheMiss", "Catalog.product");
    assertEquals(p, catalog.product(7));
    assertEquals(2, delegate.calls("product")); // 0 and 7
    assertEquals(hits + 1, metrics.count("cacheHit", "Catalog.product"));
    assertEquals(misses, metrics.count("cacheMiss", "Catalog.product"));

    counter.release();
    landed();
    assertEquals(1, keys(":c:Catalog.product:*{7}").size());
    about.clear();
    holdStoreOf(7, "no such value");
    assertEquals(p, catalog.product(7));
    assertEquals(List.of("GET"), about, "then a hit is one GET");
    assertEquals(2, delegate.calls("product")); // 0 and 7
  }

  @Test
  void whileMostReadsMissTheGetIsSkippedUntilHitsReturn() {
    for (long id = 100; id < 170; id++) { // 70 misses in a row: reads start skipping the GET
      catalog.product(id);
    }
    landed();
    holdStoreOf(7, "product 7");
    long misses = metrics.count("cacheMiss", "Catalog.product");
    Catalog.Product p = assertTimeoutPreemptively(Duration.ofMillis(1000), () -> catalog.product(7),
        "one round trip for the caller: it must not wait for the store's reply");
    assertEquals("product 7", p.name());
    Await.until(Duration.ofSeconds(5), () -> counter.holding() == 1, () -> "the store to be sent");
    assertEquals(List.of("EVALSHA", "EVALSHA"), about,
        "the lease (which would have answered an entry), then the store from a worker");
    assertTrue(keys(":c:Catalog.product:*{7}").isEmpty(), "not stored yet");
    assertEquals(misses + 1, metrics.count("cacheMiss", "Catalog.product"));
    counter.release();
    landed();
    assertEquals(1, keys(":c:Catalog.product:*{7}").size());

    // entries found by the lease script are hits, and hits bring the GET back
    long hits = metrics.count("cacheHit", "Catalog.product");
    for (long id = 100; id < 170; id++) {
      assertEquals("product " + id, catalog.product(id).name());
    }
    assertEquals(hits + 70, metrics.count("cacheHit", "Catalog.product"));
    assertEquals(72, delegate.calls("product"), "0, 100..169 and 7: nothing loaded twice");
    about.clear();
    holdStoreOf(7, "no such value");
    assertEquals(p, catalog.product(7));
    assertEquals(List.of("GET"), about, "a hit is one GET again");
  }

  @Test
  void anEvictThatOvertakesAStoreOnItsWayWins() throws Exception {
    holdStoreOf(7, "product 7");
    assertEquals("product 7", catalog.product(7).name());
    Await.until(Duration.ofSeconds(5), () -> counter.holding() == 1, () -> "the store to be sent");
    delegate.suffix = " v2";
    catalog.delete(7); // evicts on another connection, ahead of the held store

    // a call now must not join the load that started before the evict
    Future<Catalog.Product> after = threads.submit(() -> catalog.product(7));
    counter.release(); // the old store lands after the evict: Redis drops it
    assertEquals("product 7 v2", after.get(10, TimeUnit.SECONDS).name());
    landed();
    assertEquals("product 7 v2", catalog.product(7).name());
    assertEquals(3, delegate.calls("product")); // 0, 7, 7 again after the evict
  }

  @Test
  void aPutThatOvertakesAStoreOnItsWayWins() throws Exception {
    holdStoreOf(7, "product 7");
    assertEquals("product 7", catalog.product(7).name());
    Await.until(Duration.ofSeconds(5), () -> counter.holding() == 1, () -> "the store to be sent");
    catalog.save(new Catalog.Product(7, "saved", BigDecimal.TEN, List.of()));
    counter.release();
    landed();
    assertEquals("saved", catalog.product(7).name());
    assertEquals(2, delegate.calls("product")); // 0 and 7: the put's value is served, not loaded
  }

  @Test
  void anotherInstancesEvictAlsoDropsTheStore() throws Exception {
    Redwire other = newRedwire();
    try {
      Catalog b = RedwireCatalog.wrap(new CountingCatalog(), other);
      holdStoreOf(7, "product 7");
      assertEquals("product 7", catalog.product(7).name());
      Await.until(Duration.ofSeconds(5), () -> counter.holding() == 1, () -> "the store to be sent");
      delegate.suffix = " v2";
      b.delete(7);
      counter.release();
      landed();
      assertEquals("product 7 v2", catalog.product(7).name());
      assertEquals("product 7 v2", b.product(7).name());
    } finally {
      other.close();
    }
  }

  @Test
  void aDelegateThatThrowsReleasesTheLeaseAndIsCalledAgainNextTime() {
    delegate.productFailure = new IllegalStateException("database down");
    for (int i = 0; i < 2; i++) {
      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> catalog.product(9));
      assertEquals("database down", e.getMessage());
      assertTrue(keys(":c:*:lease").isEmpty(), "the lease is released at once");
    }
    assertEquals(3, delegate.calls("product")); // 0, then 9 twice: a failure is never cached
    delegate.productFailure = null;
    assertEquals("product 9", catalog.product(9).name());
    landed();
    assertEquals(1, keys(":c:Catalog.product:*{9}").size());
  }

  @Test
  void manyConcurrentMissesOfOneKeyLoadOnceAndStoreOnce() throws Exception {
    delegate.delayMillis = 50;
    counter.reset();
    List<CompletableFuture<Catalog.Product>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 16; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> catalog.product(11), threads));
    }
    for (CompletableFuture<Catalog.Product> c : calls) {
      assertEquals("product 11", c.get(10, TimeUnit.SECONDS).name());
    }
    landed();
    assertEquals(2, delegate.calls("product"));
    assertEquals(1, keys(":c:Catalog.product:*{11}").size());
  }
}
