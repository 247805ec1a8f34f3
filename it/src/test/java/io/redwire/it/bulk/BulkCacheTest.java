package io.redwire.it.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.CommandCounter;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bulk cached methods through generated classes on a real server: one {@code MGET}, the delegate with
 * the misses only, stores that follow without the caller waiting, and the entries of the single-key
 * method of the same cache. A {@link CommandCounter} in front of the server sees every command on the
 * wire.
 */
class BulkCacheTest {

  static RedisServer server;
  static CommandCounter counter;
  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  Redwire redwire;
  CountingMetrics metrics;
  CountingProducts delegate;
  Products products;

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
  void wrap() {
    namespace = "b" + namespaces.incrementAndGet();
    metrics = new CountingMetrics();
    redwire = Redwire.builder().uri(counter.uri()).namespace(namespace).metrics(metrics).build();
    delegate = new CountingProducts();
    products = RedwireProducts.wrap(delegate, redwire);
  }

  @AfterEach
  void close() {
    counter.release();
    redwire.close();
  }

  /** The entry keys of cache {@code name} (not its leases or generation key). */
  List<String> entries(String name) {
    String all = server.command("KEYS", namespace + ":c:" + name + ":*}");
    return all == null || all.isEmpty() ? List.of() : List.of(all.split("\n"));
  }

  void awaitEntries(String name, int n) {
    Await.until(Duration.ofSeconds(5), () -> entries(name).size() == n,
        () -> n + " entries of " + name + ", found " + entries(name).size());
  }

  static Set<Long> ids(long from, long to) {
    Set<Long> ids = new LinkedHashSet<>();
    for (long id = from; id < to; id++) {
      ids.add(id);
    }
    return ids;
  }

  @Test
  void theSmallestBulkInterfaceLoadsOnceThenHits() {
    List<Set<Long>> asked = new CopyOnWriteArrayList<>();
    Names names = RedwireNames.wrap(ids -> {
      asked.add(ids);
      Map<Long, String> out = new java.util.HashMap<>();
      ids.forEach(id -> out.put(id, "name " + id));
      return out;
    }, redwire);
    Set<Long> ids = new LinkedHashSet<>(List.of(3L, 1L, 2L));

    Map<Long, String> first = names.names(ids);
    assertEquals(List.of(3L, 1L, 2L), new ArrayList<>(first.keySet()), "in the order asked, though the delegate's map is a HashMap");
    assertEquals("name 3", first.get(3L));
    assertEquals(List.of(Set.of(1L, 2L, 3L)), asked);
    awaitEntries("Names.names", 3);

    Map<Long, String> again = names.names(ids);
    assertEquals(first, again);
    assertEquals(List.of(3L, 1L, 2L), new ArrayList<>(again.keySet()));
    assertEquals(1, asked.size(), "all hits");
    assertThrows(UnsupportedOperationException.class, () -> again.put(9L, "x"));
    assertEquals(3, metrics.count("cacheHit", "Names.names"));
    assertEquals(3, metrics.count("cacheMiss", "Names.names"));
    assertEquals(1, metrics.count("cacheLoad", "Names.names"), "one delegate call for three misses");
  }

  @Test
  void bulkAndSingleKeyMethodsOfOneCacheShareEntries() {
    assertEquals("product 1", products.product(1).name());
    awaitEntries("products", 1);

    Map<Long, Products.Product> both = products.products(ids(1, 3));
    assertEquals(List.of(1L, 2L), new ArrayList<>(both.keySet()));
    assertEquals(List.of(Set.of(2L)), delegate.asked, "the entry the single-key method stored is a hit");
    awaitEntries("products", 2);

    assertEquals("product 2", products.product(2).name());
    assertEquals(1, delegate.singles.get(), "the entry the bulk method stored is a hit for the single-key method");
  }

  @Test
  void anotherInterfaceThatNamesTheCacheReadsWhatTheBulkMethodStored() {
    AtomicInteger loads = new AtomicInteger();
    ProductReader reader = RedwireProductReader.wrap(id -> {
      loads.incrementAndGet();
      return new Products.Product(id, "reader " + id);
    }, redwire);
    products.products(ids(1, 3));
    awaitEntries("products", 2);
    assertEquals("product 2", reader.product(2).name());
    assertEquals(0, loads.get(), "a hit on the entry the bulk method stored");
  }

  @Test
  void twoInterfacesOnOneRedwireDoNotShareEntries() {
    AtomicInteger namesCalls = new AtomicInteger();
    AtomicInteger labelsCalls = new AtomicInteger();
    Names names = RedwireNames.wrap(ids -> {
      namesCalls.incrementAndGet();
      return Map.of(1L, "name");
    }, redwire);
    Labels labels = RedwireLabels.wrap(ids -> {
      labelsCalls.incrementAndGet();
      return Map.of(1L, "label");
    }, redwire);

    assertEquals(Map.of(1L, "name"), names.names(Set.of(1L)));
    awaitEntries("Names.names", 1);
    assertEquals(Map.of(1L, "label"), labels.names(Set.of(1L)));
    awaitEntries("Labels.names", 1);
    assertEquals(Map.of(1L, "name"), names.names(Set.of(1L)));
    assertEquals(Map.of(1L, "label"), labels.names(Set.of(1L)));
    assertEquals(1, namesCalls.get());
    assertEquals(1, labelsCalls.get());
  }

  @Test
  void partialHitsCallTheDelegateWithTheMissesOnlyInTheDeclaredCollection() {
    products.products(ids(0, 40));
    awaitEntries("products", 40);
    delegate.asked.clear();

    Map<Long, Products.Product> all = products.products(ids(0, 100));
    assertEquals(100, all.size());
    assertEquals(new ArrayList<>(ids(0, 100)), new ArrayList<>(all.keySet()), "in the order asked");
    assertEquals(1, delegate.asked.size());
    Collection<Long> asked = delegate.last();
    assertInstanceOf(Set.class, asked, "a Set method gets a Set");
    assertEquals(new ArrayList<>(ids(40, 100)), new ArrayList<>(asked), "the misses only, in order");
    assertEquals(40, metrics.count("cacheHit", "products"));
    assertEquals(100, metrics.count("cacheMiss", "products"), "40 on the first call, 60 now");

    // a List method gets a List (no duplicates), a Collection method a List too
    products.productList(List.of(200L, 0L, 201L, 200L));
    assertInstanceOf(List.class, delegate.last());
    assertEquals(List.of(200L, 201L), new ArrayList<>(delegate.last()));
    products.productCollection(List.of(300L));
    assertInstanceOf(List.class, delegate.last());
  }

  @Test
  void aBulkOfAHundredWithFortyCachedIsOneMgetAndThePipelinedStoresWithoutTheCallerWaiting() {
    products.products(ids(0, 40));
    awaitEntries("products", 40);

    // every command that names an entry of the cache, as it crosses the wire (nothing is held back)
    String entryPrefix = namespace + ":c:products:";
    List<String> seen = new CopyOnWriteArrayList<>();
    counter.hold(c -> {
      if (c.stream().anyMatch(a -> a.startsWith(entryPrefix) && a.endsWith("}"))) {
        seen.add(c.get(0));
      }
      return false;
    });
    assertEquals(100, products.products(ids(0, 100)).size());
    Await.until(Duration.ofSeconds(5), () -> seen.size() >= 61, () -> "the stores to be sent: " + seen);
    awaitEntries("products", 100);
    counter.release();
    List<String> expected = new ArrayList<>();
    expected.add("MGET");
    expected.addAll(Collections.nCopies(60, "SET"));
    assertEquals(expected, seen, "one MGET for all hundred keys, then the sixty stores");

    // the caller does not wait for the stores: hold them back on the wire
    products.products(ids(1000, 1040));
    awaitEntries("products", 140);
    counter.hold(c -> c.get(0).equals("SET") && c.stream().anyMatch(a -> a.startsWith(entryPrefix)));
    Map<Long, Products.Product> all = assertTimeoutPreemptively(Duration.ofSeconds(1),
        () -> products.products(ids(1000, 1100)), "the caller must not wait for the stores' replies");
    assertEquals(100, all.size());
    Await.until(Duration.ofSeconds(5), () -> counter.holding() == 1, () -> "a store held back");
    assertEquals(140, entries("products").size(), "not stored yet");
    counter.release();
    awaitEntries("products", 200);

    // an empty bulk: no round trip at all, not even on a fresh Redwire whose generation is unknown
    try (Redwire fresh = Redwire.builder().uri(counter.uri()).namespace(namespace + "e").build()) {
      Products empty = RedwireProducts.wrap(delegate, fresh);
      counter.reset();
      assertEquals(Map.of(), empty.products(Set.of()));
      assertEquals(List.of(), counter.commands());
    }
  }

  @Test
  void aDelegateThatThrowsStoresNothingAndTheNextCallAsksAgainAtOnce() {
    products.products(ids(0, 2));
    awaitEntries("products", 2);
    delegate.failure = new IllegalStateException("database down");

    for (int call = 1; call <= 2; call++) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> products.products(ids(0, 5)));
      assertEquals("database down", e.getMessage());
      assertEquals(new ArrayList<>(ids(2, 5)), new ArrayList<>(delegate.last()));
    }
    assertEquals(3, delegate.asked.size(), "each call asked the delegate again");
    assertEquals(2, entries("products").size(), "nothing stored");

    delegate.failure = null;
    assertEquals(5, products.products(ids(0, 5)).size());
    awaitEntries("products", 5);
  }

  @Test
  void anEntryThatCannotBeDecodedIsAMissCountedAndWrittenAgain() {
    products.products(ids(0, 3));
    awaitEntries("products", 3);
    String damaged = entries("products").stream().filter(k -> k.endsWith("{1}")).findFirst().orElseThrow();
    server.command("SET", damaged, "not an entry");
    delegate.asked.clear();

    Map<Long, Products.Product> all = products.products(ids(0, 3));
    assertEquals(3, all.size());
    assertEquals("product 1", all.get(1L).name());
    assertEquals(List.of(Set.of(1L)), delegate.asked);
    assertEquals(1, metrics.count("cacheDecodeFailure", "products"));

    Await.until(Duration.ofSeconds(5), () -> !"not an entry".equals(server.command("GET", damaged)),
        () -> "the damaged entry written again");
    products.products(ids(0, 3));
    assertEquals(1, delegate.asked.size(), "all hits again");
  }

  @Test
  void evictAndPutOfOneKeyApplyToWhatTheBulkMethodReads() {
    products.products(ids(1, 3));
    awaitEntries("products", 2);
    products.delete(1);
    delegate.asked.clear();

    products.products(ids(1, 3));
    assertEquals(List.of(Set.of(1L)), delegate.asked, "the evicted entry is a miss");
    awaitEntries("products", 2);

    products.save(new Products.Product(2, "saved"));
    assertEquals("saved", products.products(ids(1, 3)).get(2L).name());
  }

  @Test
  void idsTheDelegateLeavesOutAreAbsentAndCachedOnlyWhenTheCacheKeepsNulls() {
    delegate.omit = Set.of(2L);
    Map<Long, Products.Product> got = products.products(ids(1, 4));
    assertEquals(List.of(1L, 3L), new ArrayList<>(got.keySet()));
    awaitEntries("products", 2);
    products.products(ids(1, 4));
    assertEquals(List.of(2L), new ArrayList<>(delegate.last()), "not cached: asked again");

    delegate.asked.clear();
    assertEquals(List.of(1L, 3L), new ArrayList<>(products.known(ids(1, 4)).keySet()));
    awaitEntries("Products.known", 3);
    assertEquals(List.of(1L, 3L), new ArrayList<>(products.known(ids(1, 4)).keySet()));
    assertEquals(1, delegate.asked.size(), "the left-out id is a cached null (nulls = true)");
  }

  @Test
  void aNullIdThrowsBeforeAnyRoundTripAndDuplicatesAreLoadedOnce() {
    List<Long> withNull = Arrays.asList(1L, null);
    counter.reset();
    assertThrows(NullPointerException.class, () -> products.productList(withNull));
    assertTrue(counter.commands().stream().noneMatch(c -> c.equals("MGET")), counter.commands().toString());

    Map<Long, Products.Product> got = products.productList(List.of(5L, 5L, 6L, 5L));
    assertEquals(List.of(5L, 6L), new ArrayList<>(got.keySet()));
    assertEquals(List.of(5L, 6L), new ArrayList<>(delegate.last()));
  }

  @Test
  void redisDownMeansTheDelegateGetsEveryId() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    try (Redwire down = Redwire.builder().uri("redis://127.0.0.1:" + port).namespace(namespace)
        .connectTimeout(Duration.ofMillis(200)).build()) {
      Products p = RedwireProducts.wrap(delegate, down);
      for (int call = 0; call < 8; call++) { // past the breaker's threshold: then Redis is skipped
        assertEquals(3, p.products(ids(0, 3)).size());
        assertEquals(new ArrayList<>(ids(0, 3)), new ArrayList<>(delegate.last()));
      }
      assertEquals(8, delegate.asked.size());
    }
  }
}
