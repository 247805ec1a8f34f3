package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.pubsub.Subscriber;
import io.redwire.testing.Await;
import io.redwire.testing.RedisServer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Generated cache proxies when things go wrong: servers that hang or die, delegates that throw,
 * values that cannot be encoded or decoded, foreign data at Redwire's keys, a closed Redwire.
 */
class CacheFailureTest {

  /** Where the expiry time sits in an entry: value header (10), flags (1), compute ms (4). */
  static final int EXPIRES_AT_OFFSET = 15;

  static RedisServer server;
  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  RedisClient data;
  final List<Redwire> redwires = new ArrayList<>();
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
  void setUp() {
    namespace = "f" + namespaces.incrementAndGet();
    data = RedisClient.builder().hostAndPort(server.host(), server.port()).build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    redwires.forEach(Redwire::close);
    data.close();
  }

  Redwire redwire(RedisServer on, CountingMetrics metrics, Consumer<Redwire.Builder> configure) {
    Redwire.Builder b = Redwire.builder().uri(on.uri()).namespace(namespace).metrics(metrics)
        .circuitBreaker(3, Duration.ofMillis(200));
    configure.accept(b);
    Redwire r = b.build();
    redwires.add(r);
    return r;
  }

  Redwire redwire(CountingMetrics metrics) {
    return redwire(server, metrics, b -> {});
  }

  List<String> keys(String pattern) {
    return keys(server, pattern);
  }

  List<String> keys(RedisServer on, String pattern) {
    String all = on.command("KEYS", namespace + pattern);
    return all == null || all.isEmpty() ? List.of() : List.of(all.split("\n"));
  }

  /**
   * The name of the cache of {@code method} as this build spells it: {@code "product"}, or {@code
   * "Catalog.product"} where default names carry the interface. Known once the cache was used.
   */
  String cacheName(RedisServer on, String method) {
    List<String> found = keys(on, ":c:*" + method + ":generation");
    assertEquals(1, found.size(), found.toString());
    String k = found.get(0);
    return k.substring((namespace + ":c:").length(), k.length() - ":generation".length());
  }

  /** The entry's key, once its store (sent after the caller got its value) has landed. */
  String entryKey(String cache, String parts) {
    String pattern = ":c:" + cache + ":*{" + parts + "}";
    Await.until(Duration.ofSeconds(5), () -> keys(pattern).size() == 1, () -> "one entry " + keys(pattern));
    return keys(pattern).get(0);
  }

  /** Moves the entry's stored expiry into the past (keeping its Redis TTL), so XFetch recomputes it on the next read. */
  void dueForRefresh(RedisClient client, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] entry = client.get(k);
    long past = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < 8; i++) {
      entry[EXPIRES_AT_OFFSET + i] = (byte) (past >>> (56 - 8 * i));
    }
    client.set(k, entry, SetParams.setParams().keepTtl());
  }

  static void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + seconds + " s waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  static byte[] channel(String namespace, String cache) {
    return (namespace + ":c:" + cache + ":generation").getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ wrap

  static final class ManyImpl implements Many {
    @Override
    public String m01(String k) {
      return "v" + k;
    }

    @Override
    public String m02(String k) {
      return "v" + k;
    }

    @Override
    public String m03(String k) {
      return "v" + k;
    }

    @Override
    public String m04(String k) {
      return "v" + k;
    }

    @Override
    public String m05(String k) {
      return "v" + k;
    }

    @Override
    public String m06(String k) {
      return "v" + k;
    }

    @Override
    public String m07(String k) {
      return "v" + k;
    }

    @Override
    public String m08(String k) {
      return "v" + k;
    }

    @Override
    public String m09(String k) {
      return "v" + k;
    }

    @Override
    public String m10(String k) {
      return "v" + k;
    }

    @Override
    public String m11(String k) {
      return "v" + k;
    }

    @Override
    public String m12(String k) {
      return "v" + k;
    }
  }

  @Test
  void wrapDoesNoIoSoAServerThatNeverAnswersCostsNothingUntilTheFirstCall() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    server.freeze();
    try {
      Redwire r = redwire(server, metrics, b -> b.startupCheck(false));
      long started = System.nanoTime();
      Many many = RedwireMany.wrap(new ManyImpl(), r);
      Catalog catalog = RedwireCatalog.wrap(new CountingCatalog(), r);
      Refreshing refreshing = RedwireRefreshing.wrap(new RefreshingImpl(), r);
      Ledger ledger = RedwireLedger.wrap(new LedgerImpl(), r);
      long wrapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      System.out.printf("wrap of 4 interfaces with 24 caches against a frozen server: %d ms%n", wrapMillis);
      // before: each cache read its generation in its constructor, 2 s per cache against this server
      assertTrue(wrapMillis < 1_000, "wrapping 24 caches took " + wrapMillis + " ms");
      assertEquals(0, metrics.count("redisError", "many01"), "nothing was sent");

      // the first call pays for the server (one socket timeout), and the delegate answers
      long first = System.nanoTime();
      assertEquals("vx", many.m01("x"));
      long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first);
      assertTrue(firstMillis < 6_000, "first call took " + firstMillis + " ms");
      assertTrue(catalog != null && refreshing != null && ledger != null);
    } finally {
      server.thaw();
    }
  }

  // ------------------------------------------------------------------ leases

  @Test
  void aDelegateThatThrowsReleasesItsLeaseSoTheNextCallAnywhereDoesNotWait() throws Exception {
    CountingCatalog delegate = new CountingCatalog();
    Catalog a = RedwireCatalog.wrap(delegate, redwire(new CountingMetrics()));
    Catalog b = RedwireCatalog.wrap(delegate, redwire(new CountingMetrics()));
    a.product(0); // warm up: generations read, scripts loaded
    b.product(0);

    delegate.productFailure = new IllegalStateException("database down");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> a.product(11));
    assertEquals("database down", thrown.getMessage(), "the delegate's own exception");
    assertEquals(List.of(), keys(":c:*product:*:lease"), "the lease was released");
    delegate.productFailure = null;

    long started = System.nanoTime();
    assertEquals("product 11", b.product(11).name());
    long otherMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    delegate.productFailure = new IllegalStateException("again");
    assertThrows(IllegalStateException.class, () -> a.product(12));
    delegate.productFailure = null;
    started = System.nanoTime();
    assertEquals("product 12", a.product(12).name());
    long sameMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf("call after a failed load: other instance %d ms, same instance %d ms%n", otherMillis,
        sameMillis);
    // before: the lease stayed for its 5 s and every caller waited for it
    assertTrue(otherMillis < 1_000, "other instance took " + otherMillis + " ms");
    assertTrue(sameMillis < 1_000, "same instance took " + sameMillis + " ms");
  }

  // ------------------------------------------------------------------ flights

  /** A Refreshing delegate whose behaviour the test changes while calls run. */
  static final class RefreshingImpl implements Refreshing {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    volatile String version = "v1";
    volatile long sleepMillis;
    volatile CountDownLatch blockUntil;
    volatile RuntimeException thenThrow;
    volatile CountDownLatch entered = new CountDownLatch(0);

    @Override
    public String value(String key) {
      calls.incrementAndGet();
      running.incrementAndGet();
      try {
        String v = version;
        CountDownLatch gate = blockUntil;
        RuntimeException failure = thenThrow;
        entered.countDown();
        if (gate != null) {
          gate.await(30, TimeUnit.SECONDS);
        }
        if (sleepMillis > 0) {
          Thread.sleep(sleepMillis);
        }
        if (failure != null) {
          throw failure;
        }
        return key + ":" + v;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        running.decrementAndGet();
      }
    }

    /** When set, the next {@link #async} call returns this future (which the test completes). */
    volatile CompletableFuture<String> nextAsync;

    @Override
    public CompletableFuture<String> async(String key) {
      calls.incrementAndGet();
      CompletableFuture<String> next = nextAsync;
      if (next != null) {
        nextAsync = null;
        return next;
      }
      String v = version;
      long sleep = sleepMillis;
      return CompletableFuture.supplyAsync(() -> key + ":" + v,
          CompletableFuture.delayedExecutor(sleep, TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean hold(String job, long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    }

    @Override
    public boolean tryJob(String job) {
      return true;
    }
  }

  @Test
  void aCallerThatJoinsAFailedBackgroundRefreshGetsARealValue() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    RefreshingImpl delegate = new RefreshingImpl();
    Refreshing proxy = RedwireRefreshing.wrap(delegate, redwire(metrics));
    assertEquals("k:v1", proxy.value("k"));
    String key = entryKey("refreshed", "k");

    // the next read refreshes in the background; that refresh blocks, then fails
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    delegate.blockUntil = release;
    delegate.thenThrow = new IllegalStateException("refresh failed");
    delegate.entered = entered;
    dueForRefresh(data, key);
    assertEquals("k:v1", proxy.value("k"), "the current value is served while it refreshes");
    assertTrue(entered.await(10, TimeUnit.SECONDS), "the background refresh runs");
    delegate.blockUntil = null;
    delegate.thenThrow = null;
    delegate.version = "v2";

    // the entry disappears meanwhile: a caller misses and joins the running refresh
    data.del(key);
    Future<String> joiner = threads.submit(() -> proxy.value("k"));
    await(() -> metrics.count("cacheStampedeWait", "refreshed") == 1, 10, "the caller to join the refresh");
    release.countDown();
    // before: the refresh ended its flight with the MISS sentinel, and the joiner got a ClassCastException
    assertEquals("k:v2", joiner.get(10, TimeUnit.SECONDS), "the joiner loaded the value itself");
    assertEquals("k:v2", proxy.value("k"));
    assertEquals(3, delegate.calls.get());
  }

  @Test
  void aFutureThatJoinsAFailedBackgroundRefreshGetsARealValue() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    RefreshingImpl delegate = new RefreshingImpl();
    Refreshing proxy = RedwireRefreshing.wrap(delegate, redwire(metrics));
    assertEquals("k:v1", proxy.async("k").get(10, TimeUnit.SECONDS));
    String key = entryKey("refreshedAsync", "k");

    CompletableFuture<String> refresh = new CompletableFuture<>();
    delegate.nextAsync = refresh;
    dueForRefresh(data, key);
    assertEquals("k:v1", proxy.async("k").get(1, TimeUnit.SECONDS), "current value while it refreshes");
    await(() -> delegate.calls.get() == 2, 10, "the background refresh to call the delegate");
    delegate.version = "v2";
    data.del(key);
    CompletableFuture<String> joiner = proxy.async("k");
    assertEquals(1, metrics.count("cacheStampedeWait", "refreshedAsync"), "joined the refresh");
    assertFalse(joiner.isDone());
    refresh.completeExceptionally(new IllegalStateException("refresh failed"));
    // before: the joiner's future completed with the MISS sentinel (a ClassCastException for the caller)
    assertEquals("k:v2", joiner.get(10, TimeUnit.SECONDS));
    assertEquals(3, delegate.calls.get());
    assertEquals("k:v2", proxy.async("k").get(10, TimeUnit.SECONDS));
    assertEquals(3, delegate.calls.get());
  }

  @Test
  void aGenerationKeyOfTheWrongTypeBypassesTheCacheWithoutOpeningTheBreaker() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    Redwire r = redwire(server, metrics, b -> b.circuitBreaker(1, Duration.ofSeconds(60)));
    LedgerImpl delegate = new LedgerImpl();
    Ledger ledger = RedwireLedger.wrap(delegate, r);
    String generation = namespace + ":c:ledgerAmount:generation";
    data.hset(generation, "not", "redwire");
    for (int i = 1; i <= 5; i++) {
      assertEquals(1, ledger.amount("a").cents());
      assertEquals(i, delegate.amounts.get(), "no generation: the delegate answers");
    }
    long errors = metrics.count("redisError", "ledgerAmount");
    assertTrue(errors >= 1 && errors <= 5, "the failed read is retried at most every second: " + errors);
    assertFalse(r.breaker().isOpen());
    assertEquals(List.of(), keys(":c:ledgerAmount:*{a}*"), "nothing written under a guessed generation");
    assertEquals(2, ledger.totals("t").size());
    assertEquals(2, ledger.totals("t").size());
    assertEquals(1, delegate.totals.get(), "other caches work");

    data.del(generation);
    await(() -> {
      ledger.amount("a");
      int before = delegate.amounts.get();
      ledger.amount("a");
      return delegate.amounts.get() == before;
    }, 10, "the generation to be read again and the cache to hit");
  }

  @Test
  void aBackgroundRefreshThatCannotTakeTheLeaseKeepsServingTheCurrentValue() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    RefreshingImpl delegate = new RefreshingImpl();
    Refreshing proxy = RedwireRefreshing.wrap(delegate, redwire(metrics));
    assertEquals("k:v1", proxy.value("k"));
    String key = entryKey("refreshed", "k");
    data.set(key + ":lease", "someone else", SetParams.setParams().px(60_000));
    delegate.version = "v2";
    for (int i = 0; i < 20; i++) {
      dueForRefresh(data, key);
      assertEquals("k:v1", proxy.value("k"));
    }
    await(() -> metrics.count("cacheEarlyRefresh", "refreshed") == 20, 10, "20 early refreshes");
    assertEquals(1, delegate.calls.get(), "the other loader holds the lease: nobody here recomputed");
    data.del(key + ":lease");
    dueForRefresh(data, key);
    proxy.value("k");
    await(() -> proxy.value("k").equals("k:v2"), 10, "the refresh to land once the lease is free");
  }

  @Test
  void futuresAreRefreshedInTheBackgroundWithoutHoldingAWorker() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    RefreshingImpl delegate = new RefreshingImpl();
    Refreshing proxy = RedwireRefreshing.wrap(delegate, redwire(metrics));
    for (int i = 0; i < 8; i++) {
      assertEquals("a" + i + ":v1", proxy.async("a" + i).get(10, TimeUnit.SECONDS));
    }
    // eight slow future refreshes, then a sync one: with 4 workers, blocking on futures would delay it 3 s
    delegate.sleepMillis = 3_000;
    delegate.version = "v2";
    for (int i = 0; i < 8; i++) {
      dueForRefresh(data, entryKey("refreshedAsync", "a" + i));
      assertEquals("a" + i + ":v1", proxy.async("a" + i).get(1, TimeUnit.SECONDS), "current value at once");
    }
    delegate.sleepMillis = 0;
    assertEquals("s:v2", proxy.value("s"));
    dueForRefresh(data, entryKey("refreshed", "s"));
    delegate.version = "v3";
    long started = System.nanoTime();
    proxy.value("s");
    await(() -> proxy.value("s").equals("s:v3"), 10, "the sync refresh");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf("sync refresh behind 8 slow future refreshes: %d ms%n", millis);
    assertTrue(millis < 2_000, "the sync refresh waited " + millis + " ms for a worker");
    for (int i = 0; i < 8; i++) {
      String k = "a" + i;
      // every entry is refreshed: by the slow refresh (v2) or, if that one did not land (seen once in
      // several full runs, not yet explained), by a later one (v3); never stuck at v1
      await(() -> !proxy.async(k).join().equals(k + ":v1"), 30, "refresh of " + k);
    }
  }

  // ------------------------------------------------------------------ executors

  @Test
  void slowBackgroundRefreshesNeverDelayLockRenewals() throws Exception {
    RefreshingImpl delegate = new RefreshingImpl();
    CountingMetrics metricsA = new CountingMetrics();
    Redwire a = redwire(server, metricsA, b -> b.lease("refreshLock", Duration.ofSeconds(1)));
    Refreshing onA = RedwireRefreshing.wrap(delegate, a);
    Refreshing onB = RedwireRefreshing.wrap(new RefreshingImpl(), redwire(new CountingMetrics()));
    for (int i = 0; i < 8; i++) {
      onA.value("k" + i);
    }
    delegate.sleepMillis = 3_000;
    for (int i = 0; i < 8; i++) {
      dueForRefresh(data, entryKey("refreshed", "k" + i));
      onA.value("k" + i); // serves the current value, refreshes in the background
    }
    // with 4 workers, four run and four wait; the lock's renewals must not wait behind any of them
    await(() -> delegate.running.get() >= 1, 10, "the refreshes to run");

    long started = System.nanoTime();
    Future<Boolean> held = threads.submit(() -> onA.hold("job", 3_000)); // 1 s lease, renewed
    await(() -> !onB.tryJob("job"), 10, "A to hold the lock");
    int tries = 0;
    while (!held.isDone()) {
      boolean got = onB.tryJob("job");
      if (held.isDone()) {
        break;
      }
      assertFalse(got, "B took the lock while A ran, "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms after A started");
      tries++;
      Thread.sleep(50);
    }
    assertTrue(held.get(), "A's method returned normally (its lock was never lost)");
    assertEquals(0, metricsA.count("lockLost", "refreshLock"));
    assertTrue(tries > 10, "B tried " + tries + " times");
    assertTrue(onB.tryJob("job"), "free once A returned");
  }

  // ------------------------------------------------------------------ failure classes

  @Test
  void wrongTypeErrorsOnOneCacheLeaveTheBreakerClosedForLocksAndOtherCaches() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    // a breaker that opens at the first outage: a command error must never count as one
    Redwire r = redwire(server, metrics, b -> b.circuitBreaker(1, Duration.ofSeconds(60)));
    CountingCatalog delegate = new CountingCatalog();
    Catalog catalog = RedwireCatalog.wrap(delegate, r);
    Refreshing locks = RedwireRefreshing.wrap(new RefreshingImpl(), r);
    catalog.product(1);
    assertEquals(30L, catalog.stock("abc"));
    String product = cacheName(server, "product");
    String key = entryKey(product, "1");
    for (int i = 0; i < 20; i++) {
      data.del(key);
      data.hset(key, "not", "redwire"); // GET on a hash: WRONGTYPE
      assertEquals("product 1", catalog.product(1).name());
      // the store that writes over it goes out after the call returned: let it land
      Await.until(Duration.ofSeconds(5), () -> !data.exists(key + ":lease"), () -> "the store to land");
    }
    assertEquals(20, metrics.count("redisError", product), metrics.summary());
    assertFalse(r.breaker().isOpen());
    assertEquals(0, metrics.count("circuitOpened", "redis"));
    assertEquals(30L, catalog.stock("abc"));
    assertEquals(1, delegate.calls("stock"), "another cache still hits");
    assertTrue(locks.tryJob("job"), "locks still work");
    // each WRONGTYPE read loads and writes over the hash, or (its store has landed but its flight has
    // not yet left the table) shares the load just before it and leaves the hash for the next read;
    // the reads below write over it if the last one did not
    Await.until(Duration.ofSeconds(5), () -> {
      assertEquals("product 1", catalog.product(1).name());
      return "string".equals(data.type(key));
    }, () -> "the entry written over the hash");
    int loads = delegate.calls("product");
    assertTrue(loads >= 2 && loads <= 40, loads + " loads");
    assertEquals("product 1", catalog.product(1).name());
    assertEquals(loads, delegate.calls("product"), "then a hit");
  }

  // ------------------------------------------------------------------ codecs

  static final class LedgerImpl implements Ledger {
    final AtomicInteger amounts = new AtomicInteger();
    final AtomicInteger notes = new AtomicInteger();
    final AtomicInteger totals = new AtomicInteger();

    @Override
    public Amount amount(String id) {
      amounts.incrementAndGet();
      return new Amount(id.length());
    }

    @Override
    public Note note(String id) {
      notes.incrementAndGet();
      return new Note(id);
    }

    @Override
    public Note saveNote(String id, String text) {
      return new Note(text);
    }

    @Override
    public Map<String, Long> totals(String id) {
      totals.incrementAndGet();
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("a", 1L);
      m.put("b", 2L);
      return m;
    }
  }

  @Test
  void bytesThatTheRecordConstructorRefusesAreACountedMissAndAreWrittenAgain() {
    CountingMetrics metrics = new CountingMetrics();
    LedgerImpl delegate = new LedgerImpl();
    Ledger ledger = RedwireLedger.wrap(delegate, redwire(metrics));
    assertEquals(5, ledger.amount("abcde").cents());
    String key = entryKey("ledgerAmount", "abcde");
    byte[] entry = data.get(key.getBytes(StandardCharsets.UTF_8));
    assertEquals(10, entry[entry.length - 1], "5 as a zig-zag var int");
    entry[entry.length - 1] = 9; // -5: what an older build without the check could have written
    data.set(key.getBytes(StandardCharsets.UTF_8), entry);

    // before: the IllegalArgumentException of the constructor reached the caller
    assertEquals(5, ledger.amount("abcde").cents());
    assertEquals(2, delegate.amounts.get());
    assertEquals(1, metrics.count("cacheDecodeFailure", "ledgerAmount"));
    assertEquals(2, metrics.count("cacheMiss", "ledgerAmount"));
    assertEquals(5, ledger.amount("abcde").cents());
    assertEquals(2, delegate.amounts.get(), "the entry was written again: a hit");
  }

  @Test
  void aValueThatCannotBeEncodedIsServedButNotStoredAndNeverThrows() {
    CountingMetrics metrics = new CountingMetrics();
    LedgerImpl delegate = new LedgerImpl();
    Ledger ledger = RedwireLedger.wrap(delegate, redwire(metrics));

    assertEquals("fine", ledger.note("fine").text());
    // before: the put threw the codec's exception after the delegate had succeeded
    assertEquals("unwritable", ledger.saveNote("fine", "unwritable").text());
    assertEquals(1, metrics.count("cacheEncodeFailure", "ledgerNote"));
    assertEquals("fine", ledger.note("fine").text(), "the stale entry was dropped: loaded again");
    assertEquals(2, delegate.notes.get());

    assertEquals("unwritable", ledger.note("unwritable").text());
    assertEquals("unwritable", ledger.note("unwritable").text());
    assertEquals(4, delegate.notes.get(), "nothing stored, so each call loads");
    assertEquals(3, metrics.count("cacheEncodeFailure", "ledgerNote"));
    // released at once where nothing is stored; with the store that follows a miss of "fine"
    Await.until(Duration.ofSeconds(5), () -> keys(":c:ledgerNote:*:lease").isEmpty(),
        () -> "leases released " + keys(":c:ledgerNote:*:lease"));
    assertEquals(0, metrics.count("redisError", "ledgerNote"));
  }

  @Test
  void aMissReturnsWhatAHitReturnsNotTheDelegatesMutableMap() {
    LedgerImpl delegate = new LedgerImpl();
    Ledger ledger = RedwireLedger.wrap(delegate, redwire(new CountingMetrics()));
    Map<String, Long> miss = ledger.totals("t");
    Map<String, Long> hit = ledger.totals("t");
    assertEquals(1, delegate.totals.get());
    assertEquals(Map.of("a", 1L, "b", 2L), miss);
    assertEquals(miss, hit);
    assertEquals(List.of("a", "b"), List.copyOf(miss.keySet()), "order kept");
    // before: the miss returned the delegate's LinkedHashMap, so remove() worked on the first call only
    assertThrows(UnsupportedOperationException.class, () -> miss.remove("a"));
    assertThrows(UnsupportedOperationException.class, () -> hit.remove("a"));
    assertEquals(miss.getClass(), hit.getClass());
  }

  @Test
  void aMetricsListenerThatThrowsNeverLeavesAFlightHanging() {
    CountingMetrics counts = new CountingMetrics();
    Redwire r = redwire(server, counts, b -> b.metrics(new io.redwire.runtime.RedwireMetrics() {
      @Override
      public void cacheLoad(String cache, long nanos) {
        throw new IllegalStateException("listener bug");
      }
    }));
    Ledger ledger = RedwireLedger.wrap(new LedgerImpl(), r);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      for (int i = 0; i < 3; i++) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ledger.amount("x"));
        assertEquals("listener bug", e.getMessage());
      }
    });
    assertEquals(List.of(), keys(":c:ledgerAmount:*:lease"), "leases released");
  }

  // ------------------------------------------------------------------ close

  @Test
  void afterCloseEveryCachedCallThrowsAndNothingCountsAsARedisError() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire r = redwire(metrics);
    CountingCatalog delegate = new CountingCatalog();
    Catalog catalog = RedwireCatalog.wrap(delegate, r);
    catalog.product(1);
    r.close();
    int before = delegate.calls("product");
    // before: the call went to the closed client, counted a Redis error and answered from the delegate
    assertThrows(IllegalStateException.class, () -> catalog.product(1));
    assertThrows(IllegalStateException.class, () -> catalog.product(2));
    assertThrows(IllegalStateException.class, () -> catalog.describe(3));
    assertThrows(IllegalStateException.class, () -> catalog.stock("x"));
    assertThrows(IllegalStateException.class, catalog::clearProducts);
    assertThrows(IllegalStateException.class,
        () -> catalog.save(new Catalog.Product(1, "p", BigDecimal.ONE, List.of())));
    assertEquals(before, delegate.calls("product"), "no cached read reached the delegate");
    assertEquals(0, delegate.calls("save"), "a write-through refused before its delegate ran");
    assertFalse(metrics.summary().contains("redisError"), metrics.summary());
  }

  // ------------------------------------------------------------------ clear-all during an outage

  @Test
  void aClearAllDuringAnOutageIsRetriedUntilItLandsAndIsNeverUndone() throws Exception {
    // persistence on, so the entries and the old generation survive the crash and come back with the server
    try (RedisServer durable = RedisServer.start("--appendonly", "yes", "--appendfsync", "always")) {
      CountingMetrics metricsA = new CountingMetrics();
      Redwire ra = redwire(durable, metricsA, b -> {});
      Redwire rb = redwire(durable, new CountingMetrics(), b -> {});
      CountingCatalog delegateA = new CountingCatalog();
      CountingCatalog delegateB = new CountingCatalog();
      Catalog a = RedwireCatalog.wrap(delegateA, ra);
      Catalog b = RedwireCatalog.wrap(delegateB, rb);
      assertEquals("product 1", a.product(1).name());
      assertEquals("product 1", b.product(1).name());
      assertEquals(0, delegateB.calls("product"), "B reads A's entry");
      String product = cacheName(durable, "product");
      byte[] channel = channel(namespace, product);
      await(() -> Subscriber.of(ra).isActive(channel) && Subscriber.of(rb).isActive(channel), 10,
          "both instances subscribed");

      durable.kill();
      delegateA.suffix = " new";
      delegateB.suffix = " from B"; // so a value B serves from the cache tells whose it is
      a.clearProducts(); // cannot reach Redis
      assertEquals(1, metricsA.count("cacheClearPending", product), metricsA.summary());
      assertEquals("product 1 new", a.product(1).name(), "cleared here at once");
      durable.restart(); // with the old generation and the old entry
      assertEquals(1, keys(durable, ":c:" + product + ":*{1}").size(), "the old entry is back");

      // A must never serve the old entry again (the re-read after its pub/sub reconnects used to revert
      // the clear); B must switch once the retried clear lands, reading A's new entry from the cache
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long settledSince = 0;
      long hitsWhenSettled = 0;
      while (true) {
        assertEquals("product 1 new", a.product(1).name(), "A served an entry from before its clear");
        String fromB = b.product(1).name();
        if (settledSince == 0 && fromB.equals("product 1 new") && Subscriber.of(ra).isActive(channel)
            && Subscriber.of(rb).isActive(channel)) {
          settledSince = System.nanoTime();
          hitsWhenSettled = metricsA.count("cacheHit", product);
        }
        if (settledSince != 0) {
          assertTrue(fromB.endsWith(" new") || fromB.endsWith(" from B"),
              "B served an entry from before the clear after switching: " + fromB);
          if (System.nanoTime() - settledSince > TimeUnit.SECONDS.toNanos(2)
              && metricsA.count("cacheHit", product) > hitsWhenSettled + 10) {
            break; // A read its entries from Redis for 2 s after resubscribing: a re-read had its chance
          }
        }
        assertTrue(System.nanoTime() < deadline, "B never saw the clear: " + fromB);
        Thread.sleep(20);
      }
      CountingCatalog delegateC = new CountingCatalog();
      Catalog c = RedwireCatalog.wrap(delegateC, redwire(durable, new CountingMetrics(), b2 -> {}));
      assertEquals("product 1 new", c.product(1).name(), "a third instance reads the entry written after the clear");
      assertEquals(0, delegateC.calls("product"));
    }
  }
}
