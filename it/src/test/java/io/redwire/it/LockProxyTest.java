package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.lock.LockLostException;
import io.redwire.runtime.lock.LockNotAcquiredException;
import io.redwire.runtime.lock.RedwireLock;
import io.redwire.testing.RedisServer;
import io.redwire.runtime.pubsub.Subscriber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The generated {@code RedwireLockWork} against a real redis-server, on several Redwire instances. */
class LockProxyTest {

  static RedisServer server;
  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  RedisClient data;
  LockWorker worker;
  final List<Redwire> redwires = new ArrayList<>();
  final List<CountingMetrics> metrics = new ArrayList<>();
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
    namespace = "l" + namespaces.incrementAndGet();
    data = RedisClient.builder().hostAndPort(server.host(), server.port()).build();
    worker = new LockWorker(data);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    redwires.forEach(Redwire::close);
    data.close();
  }

  /** A proxy on a Redwire of its own: another "instance" of the service. */
  LockWork instance() {
    return instance(b -> {});
  }

  LockWork instance(java.util.function.Consumer<Redwire.Builder> configure) {
    CountingMetrics m = new CountingMetrics();
    Redwire.Builder b = Redwire.builder().uri(server.uri()).namespace(namespace).metrics(m);
    configure.accept(b);
    Redwire r = b.build();
    redwires.add(r);
    metrics.add(m);
    LockWork proxy = RedwireLockWork.wrap(worker, r);
    worker.self = proxy;
    return proxy;
  }

  long count(String event, String name) {
    return metrics.stream().mapToLong(m -> m.count(event, name)).sum();
  }

  String key(String lock, String part) {
    return namespace + ":lock:" + lock + ":{" + part + "}";
  }

  /** Runs {@code gate} on {@code proxy} in another thread and waits until the body is running. */
  Future<Long> hold(LockWork proxy, String job, LockWork.Gate gate) throws InterruptedException {
    Future<Long> f = threads.submit(() -> proxy.gate(job, gate));
    assertTrue(gate.entered.await(10, TimeUnit.SECONDS), "the holder entered");
    return f;
  }

  static long median(List<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  // ------------------------------------------------------------------------------------------

  @Test
  void twelveThreadsOnThreeInstancesIncrementExactlyEveryTime() throws Exception {
    List<LockWork> proxies = List.of(instance(), instance(), instance());
    for (int round = 0; round < 3; round++) {
      String counter = "counter-" + round;
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        LockWork proxy = proxies.get(t % 3);
        done.add(threads.submit(() -> {
          for (int i = 0; i < 50; i++) {
            proxy.increment(counter);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      assertEquals("600", data.get(counter), "round " + round);
      assertFalse(data.exists(key("counter", counter)), "released");
    }
    assertEquals(1800, count("lockAcquired", "counter"));
    assertEquals(0, count("lockLost", "counter"));
  }

  @Test
  void withoutTheLockTheSameWorkLosesUpdates() throws Exception {
    // the control experiment: proves the read-modify-write above is racy without the lock
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      done.add(threads.submit(() -> {
        for (int i = 0; i < 50; i++) {
          worker.increment("unlocked");
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertEquals(600, worker.calls.get());
    assertTrue(worker.tokens.isEmpty());
    assertTrue(Long.parseLong(data.get("unlocked")) < 600, "updates were lost: " + data.get("unlocked"));
  }

  @Test
  void aWaiterStartsWithinMillisecondsOfTheRelease() throws Exception {
    LockWork holder = instance();
    LockWork waiter = instance();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      LockWork.Gate first = new LockWork.Gate();
      LockWork.Gate second = new LockWork.Gate();
      Future<Long> h = hold(holder, "handoff", first);
      long waitsBefore = count("lockWait", "gate");
      Future<Long> w = threads.submit(() -> waiter.gate("handoff", second));
      awaitParked(waitsBefore, redwires.get(1));
      first.finish.countDown();
      second.finish.countDown();
      long firstToken = h.get(10, TimeUnit.SECONDS);
      long secondToken = w.get(10, TimeUnit.SECONDS);
      assertTrue(secondToken > firstToken);
      delays.add(TimeUnit.NANOSECONDS.toMicros(second.enteredAt - first.leavingAt));
    }
    long median = median(delays);
    System.out.println("handoff delays (µs): " + delays);
    // a 100 ms poll would put the median near 50 ms; the release's publish wakes the waiter at once
    assertTrue(median < 25_000, "median µs from the holder's return to the waiter's start: " + median
        + " (all: " + delays + ")");
  }

  /**
   * Waits until one more caller counted a wait and the release channel of {@code waiterSide} is
   * confirmed (from then on a release wakes it; before, it would poll).
   */
  private void awaitParked(long waitsBefore, Redwire waiterSide) {
    awaitCondition(() -> count("lockWait", "gate") > waitsBefore, "the second caller waits");
    awaitCondition(() -> Subscriber.of(waiterSide).isActive(gateChannel()), "the release channel is confirmed");
  }

  byte[] gateChannel() {
    return (namespace + ":lock:gate").getBytes(StandardCharsets.UTF_8);
  }

  static void awaitCondition(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** A pub/sub listener of the test's own that records the subscriber's state changes. */
  static final class Events implements Subscriber.Listener {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger inactive = new AtomicInteger();
    volatile long inactiveAt;
    volatile long activeAt;

    @Override
    public void onMessage(byte[] channel, byte[] message) {}

    @Override
    public void onActive() {
      activeAt = System.nanoTime();
      active.incrementAndGet();
    }

    @Override
    public void onInactive() {
      inactiveAt = System.nanoTime();
      inactive.incrementAndGet();
    }
  }

  /** The acquire and release scripts the server ran since {@code resetStats}. */
  long scriptCalls() {
    return server.commandCalls("evalsha") + server.commandCalls("eval");
  }

  /**
   * Holds {@code holder}'s lock on {@code job} while {@code waiter} waits for it, 500 ms long after the
   * waiter parked, then releases; returns how many milliseconds after the release the waiter started,
   * and asserts that it did not poll meanwhile (a 100 ms poll would run ~5 more scripts).
   */
  long handoffAfterALongHold(LockWork holder, LockWork waiter, Redwire waiterSide, String job) throws Exception {
    LockWork.Gate first = new LockWork.Gate();
    LockWork.Gate second = new LockWork.Gate();
    Future<Long> h = hold(holder, job, first);
    long waitsBefore = count("lockWait", "gate");
    Future<Long> w = threads.submit(() -> waiter.gate(job, second));
    awaitParked(waitsBefore, waiterSide);
    server.resetStats();
    // not a synchronisation: the lock is held this long so that a polling waiter would show
    Thread.sleep(500);
    first.finish.countDown();
    second.finish.countDown();
    h.get(10, TimeUnit.SECONDS);
    w.get(10, TimeUnit.SECONDS);
    // the holder's release, the waiter's second try (if it came after the reset), its acquire on
    // the release's message and its own release
    long scripts = scriptCalls();
    assertTrue(scripts <= 4, scripts + " scripts: the waiter polled instead of waiting for the release");
    return TimeUnit.NANOSECONDS.toMillis(second.enteredAt - first.leavingAt);
  }

  @Test
  void maxWaitOfOneHundredMillisecondsFailsInAboutOneHundredMilliseconds() throws Exception {
    LockWork holder = instance();
    LockWork caller = instance();
    LockWork.Gate gate = new LockWork.Gate();
    Future<Long> h = hold(holder, "busy", gate);
    List<Long> elapsed = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      long started = System.nanoTime();
      LockNotAcquiredException e = assertThrows(LockNotAcquiredException.class,
          () -> caller.gateBriefly("busy", new LockWork.Gate()));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(ms >= 100, "gave up after " + ms + " ms, before maxWait");
      assertEquals("gate", e.lock());
      assertEquals(key("gate", "busy"), e.key());
      assertTrue(e.waited().toMillis() >= 100);
      elapsed.add(ms);
    }
    assertTrue(median(elapsed) < 200, "median ms to give up: " + median(elapsed) + " " + elapsed);
    assertEquals(7, metrics.get(1).count("lockBusy", "gate"));
    gate.finish.countDown();
    h.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHolderWhoseLeaseExpiredCannotReleaseTheNextHoldersLock() throws Exception {
    LockWork first = instance();
    LockWork second = instance();
    LockWork third = instance();
    LockWork.Gate a = new LockWork.Gate();
    Future<Long> fa = threads.submit(() -> first.fixedLease("report", a));
    assertTrue(a.entered.await(10, TimeUnit.SECONDS));
    // the second caller waits for the 500 ms lease to run out (a holder that overran publishes nothing)
    LockWork.Gate b = new LockWork.Gate();
    Future<Long> fb = threads.submit(() -> second.fixedLease("report", b));
    assertTrue(b.entered.await(10, TimeUnit.SECONDS));
    long afterLease = TimeUnit.NANOSECONDS.toMillis(b.enteredAt - a.enteredAt);
    assertTrue(afterLease >= 450, "took over after " + afterLease + " ms");
    a.finish.countDown(); // the first holder returns now, long after its lease
    ExecutionExceptionAssert.cause(fa, LockLostException.class);
    assertEquals(1, metrics.get(0).count("lockLost", "fixedLease"));
    // its release did not delete the second holder's lock
    assertTrue(data.exists(key("fixedLease", "report")));
    assertThrows(LockNotAcquiredException.class, () -> third.fixedLeaseNow("report", new LockWork.Gate()));
    b.finish.countDown();
    assertTrue(fb.get(10, TimeUnit.SECONDS) > 0);
    assertFalse(data.exists(key("fixedLease", "report")));
  }

  @Test
  void aHolderThatDiesFreesTheLockWhenItsLeaseEnds() throws Exception {
    LockWork dying = instance(b -> b.lease("gate", Duration.ofSeconds(1)));
    Redwire dyingRedwire = redwires.get(0);
    LockWork survivor = instance(b -> b.lease("gate", Duration.ofSeconds(1)));
    LockWork.Gate a = new LockWork.Gate();
    hold(dying, "crash", a);
    assertTrue(data.exists(key("gate", "crash")));
    long died = System.nanoTime();
    dyingRedwire.close(); // client closed, watchdog stopped, no release
    LockWork.Gate b = new LockWork.Gate();
    b.sleepMillis = 1;
    Future<Long> fb = threads.submit(() -> survivor.gate("crash", b));
    assertTrue(fb.get(10, TimeUnit.SECONDS) > 0);
    long ms = TimeUnit.NANOSECONDS.toMillis(b.enteredAt - died);
    // the last renewal was at most a third of the lease before the close; the waiter retries at the
    // holder's lease end
    assertTrue(ms >= 300 && ms < 3000, "the lock freed after " + ms + " ms");
    a.finish.countDown();
  }

  @Test
  void theWatchdogKeepsAOneSecondLeaseAliveForFiveSeconds() throws Exception {
    LockWork holder = instance(b -> b.lease("gate", Duration.ofSeconds(1)));
    LockWork other = instance(b -> b.lease("gate", Duration.ofSeconds(1)));
    LockWork.Gate gate = new LockWork.Gate();
    gate.sleepMillis = 5000;
    Future<Long> h = hold(holder, "long", gate);
    int tries = 0;
    while (!h.isDone()) {
      long pttl = Long.parseLong(server.command("PTTL", key("gate", "long")));
      if (h.isDone()) {
        break;
      }
      assertTrue(pttl > 0 && pttl <= 1000, "PTTL " + pttl);
      assertThrows(LockNotAcquiredException.class, () -> other.gateNow("long", new LockWork.Gate()));
      tries++;
      Thread.sleep(250);
    }
    assertTrue(h.get() > 0); // no LockLostException
    assertTrue(tries >= 10, tries + " tries");
    assertTrue(TimeUnit.NANOSECONDS.toMillis(gate.leavingAt - gate.enteredAt) >= 5000);
    assertEquals(0, count("lockLost", "gate"));
    assertFalse(data.exists(key("gate", "long")));
  }

  @Test
  void aRenewalBlockedByAFrozenServerIsReportedAfterTheMethod() throws Exception {
    LockWork holder = instance(b -> b.lease("gate", Duration.ofSeconds(1)));
    LockWork.Gate gate = new LockWork.Gate();
    gate.sleepMillis = 3500;
    Future<Long> h = hold(holder, "frozen", gate);
    server.freeze();
    try {
      Thread.sleep(2000); // the fault lasts 2 s, twice the lease
    } finally {
      server.thaw();
    }
    LockLostException e = ExecutionExceptionAssert.cause(h, LockLostException.class);
    assertEquals("gate", e.lock());
    assertEquals(1, metrics.get(0).count("lockLost", "gate"));
    assertTrue(gate.leavingAt - gate.enteredAt >= TimeUnit.MILLISECONDS.toNanos(3500),
        "reported after the method returned");
  }

  @Test
  void aKeyDeletedBehindTheHoldersBackIsReported() throws Exception {
    LockWork holder = instance(b -> b.lease("gate", Duration.ofSeconds(1)));
    LockWork.Gate gate = new LockWork.Gate();
    Future<Long> h = hold(holder, "stolen", gate);
    data.del(key("gate", "stolen"));
    // a renewal (every third of the 1 s lease) finds the key gone
    awaitCondition(() -> metrics.get(0).count("lockLost", "gate") == 1, "the watchdog noticed");
    assertEquals(1, metrics.get(0).count("lockLost", "gate"), "counted when the watchdog noticed");
    gate.finish.countDown();
    ExecutionExceptionAssert.cause(h, LockLostException.class);
    assertEquals(1, metrics.get(0).count("lockLost", "gate"), "counted once");
  }

  @Test
  void fencingTokensStrictlyIncreaseOverTenThousandAcquisitions() throws Exception {
    List<LockWork> proxies = List.of(instance(), instance(), instance());
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      LockWork proxy = proxies.get(t % 3);
      int calls = t < 4 ? 1667 : 1666;
      done.add(threads.submit(() -> {
        for (int i = 0; i < calls; i++) {
          proxy.increment("fenced");
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(300, TimeUnit.SECONDS);
    }
    assertEquals("10000", data.get("fenced"));
    long[] tokens;
    synchronized (worker.tokens) {
      tokens = worker.tokens.stream().mapToLong(Long::longValue).toArray();
    }
    assertEquals(10_000, tokens.length);
    for (int i = 1; i < tokens.length; i++) {
      if (tokens[i] <= tokens[i - 1]) {
        fail("token " + i + " is " + tokens[i] + " after " + tokens[i - 1]);
      }
    }
    // the fencing counter is the only key left, and it expires
    String fence = key("counter", "fenced") + ":fence";
    long pttl = Long.parseLong(server.command("PTTL", fence));
    assertTrue(pttl > 0 && pttl <= RedwireLock.FENCE_RETENTION_MS + RedwireLock.DEFAULT_WATCHDOG_LEASE_MS,
        "PTTL " + pttl);
    assertEquals(List.of(fence), Arrays.asList(server.command("KEYS", namespace + ":lock:*").split("\n")));
  }

  @Test
  void aNestedCallOnTheSameKeyReentersAndReleasesAtTheOutermostExit() {
    LockWork proxy = instance();
    assertEquals(2, proxy.incrementTwice("nested"));
    assertEquals(2, worker.calls.get());
    assertEquals(1, count("lockAcquired", "counter"), "one acquisition; the inner call re-entered");
    assertFalse(data.exists(key("counter", "nested")));
    assertEquals(2, worker.tokens.size());
    assertEquals(worker.tokens.get(0), worker.tokens.get(1));
  }

  @Test
  void skipReturnsTheEmptyValueWithoutCallingTheMethod() throws Exception {
    LockWork holder = instance();
    LockWork other = instance();
    LockWork.Gate gate = new LockWork.Gate();
    Future<Long> h = hold(holder, "nightly", gate);
    other.skipVoid("nightly");
    assertEquals(0, other.skipInt("nightly"));
    assertFalse(other.skipBoolean("nightly"));
    assertEquals(Optional.empty(), other.skipOptional("nightly"));
    assertEquals(OptionalLong.empty(), other.skipOptionalLong("nightly"));
    assertEquals(List.of(), other.skipList("nightly"));
    assertTrue(other.skipMap("nightly").isEmpty());
    assertNull(other.skipString("nightly"));
    assertEquals(0, worker.calls.get());
    assertEquals(8, metrics.get(1).count("lockBusy", "gate"));
    gate.finish.countDown();
    h.get(10, TimeUnit.SECONDS);
    // free again: the methods run
    assertEquals(7, other.skipInt("nightly"));
    assertEquals(Optional.of("ran"), other.skipOptional("nightly"));
  }

  @Test
  void theMethodsExceptionPassesThroughAndTheLockIsReleased() {
    LockWork proxy = instance();
    IOException e = assertThrows(IOException.class, () -> proxy.fail("boom"));
    assertEquals("failed under the lock", e.getMessage());
    assertFalse(data.exists(key("gate", "boom")));
    assertEquals(0, e.getSuppressed().length);
  }

  @Test
  void lockThenCache() {
    LockWork proxy = instance();
    String first = proxy.lockedAndCached(3);
    assertEquals(first, proxy.lockedAndCached(3));
    assertEquals(1, worker.calls.get());
    assertEquals(2, count("lockAcquired", "LockWork.lockedAndCached"));
    assertEquals(1, count("cacheHit", "LockWork.lockedAndCached"));
  }

  @Test
  void waitersAreWokenAfterTheSubscriberReconnects() throws Exception {
    LockWork holder = instance();
    LockWork waiter = instance();
    Redwire waiterSide = redwires.get(1);
    // subscribe the waiter's Redwire once (a waiter that gives up), then kill its pub/sub connection
    LockWork.Gate g0 = new LockWork.Gate();
    Future<Long> h0 = hold(holder, "warm", g0);
    Future<Long> w0 = threads.submit(() -> waiter.gateBriefly("warm", new LockWork.Gate()));
    assertThrows(Exception.class, () -> w0.get(10, TimeUnit.SECONDS));
    g0.finish.countDown();
    h0.get(10, TimeUnit.SECONDS);
    Events events = new Events();
    Subscriber.of(waiterSide).subscribe(gateChannel(), events);
    awaitCondition(() -> events.active.get() == 1, "the channel is confirmed");
    server.command("CLIENT", "KILL", "TYPE", "pubsub");
    awaitCondition(() -> events.inactive.get() == 1 && events.active.get() == 2, "resubscribed");
    // only a release message on the new connection wakes the waiter well before the 30 s lease end
    // without polling
    long ms = handoffAfterALongHold(holder, waiter, waiterSide, "after-reconnect");
    assertTrue(ms < 1000, "woken " + ms + " ms after the release, not at the 30 s lease end");
  }

  @Test
  void aHalfOpenSubscriberIsReplacedWithinTheHealthCheckAndWaitersWakeOnTheRelease() throws Exception {
    try (TcpProxy proxy = new TcpProxy(server.host(), server.port())) {
      LockWork holder = instance();
      // the waiter's Redwire talks to Redis through the proxy; default health check: PING every 1 s,
      // replaced after 3 s without PONG
      LockWork waiter = instance(b -> b.uri(proxy.uri()));
      Redwire waiterSide = redwires.get(1);
      Events events = new Events();
      Subscriber.of(waiterSide).subscribe(gateChannel(), events);
      awaitCondition(() -> events.active.get() == 1, "the channel is confirmed");

      assertEquals(1, proxy.blackholeSubscribers());
      long cut = System.nanoTime();
      awaitCondition(() -> events.inactive.get() == 1, "the dead connection is noticed");
      awaitCondition(() -> events.active.get() == 2, "a new connection is subscribed");
      long noticedMs = TimeUnit.NANOSECONDS.toMillis(events.inactiveAt - cut);
      long replacedMs = TimeUnit.NANOSECONDS.toMillis(events.activeAt - cut);
      System.out.println("half-open pub/sub connection noticed after " + noticedMs + " ms, replaced after "
          + replacedMs + " ms");
      assertTrue(noticedMs >= 2000, "not before the 3 s pong timeout (minus a ping interval): " + noticedMs);
      assertTrue(replacedMs < 3000 + 1000 + 2000, "within timeout + interval + reconnect: " + replacedMs);
      assertTrue(count("redisError", "pubsub") >= 1, "the dead connection is reported");

      long ms = handoffAfterALongHold(holder, waiter, waiterSide, "half-open");
      assertTrue(ms < 1000, "woken " + ms + " ms after the release, not at the 30 s lease end");
    }
  }

  /** Unwraps what a Future failed with. */
  static final class ExecutionExceptionAssert {
    static <T extends Throwable> T cause(Future<?> f, Class<T> type) throws InterruptedException {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (type.isInstance(e.getCause())) {
          return type.cast(e.getCause());
        }
        throw new AssertionError("expected " + type.getSimpleName() + ", got " + e.getCause(), e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("no result", e);
      }
      throw new AssertionError("expected " + type.getSimpleName() + ", but the call returned");
    }
  }

}
