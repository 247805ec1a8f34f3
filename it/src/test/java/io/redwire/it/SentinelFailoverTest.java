package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.pubsub.Subscriber;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.testing.RedisSentinel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisSentinelClient;

/**
 * The generated proxies on a Sentinel deployment through Jedis' {@link RedisSentinelClient}: caching,
 * a rate limit and a lock work before a failover, the cache answers from the delegate while the master
 * is down, and everything works again on the promoted replica without building anything anew.
 */
class SentinelFailoverTest {

  static final String NS = "sn";

  final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void cacheRateLimitAndLockSurviveAFailover() throws Exception {
    try (RedisSentinel deployment = RedisSentinel.start("redwire-main");
        RedisSentinelClient client = Sentinels.client(deployment, 500);
        Redwire redwire = redwireOn(client, new CountingMetrics())) {
      CountingMetrics metrics = (CountingMetrics) redwire.metrics();
      assertEquals(new HostAndPort("127.0.0.1", deployment.master().port()), client.getCurrentMaster());

      CountingCatalog delegate = new CountingCatalog();
      Catalog catalog = RedwireCatalog.wrap(delegate, redwire);
      Limited limited = RedwireLimited.wrap(new Limited.Echo(), redwire);
      LockWorker worker = new LockWorker(client);
      LockWork locks = RedwireLockWork.wrap(worker, redwire);
      worker.self = locks;

      // ---- before the failover
      assertEquals("product 1", catalog.product(1).name());
      assertEquals("product 1", catalog.product(1).name());
      assertEquals(1, delegate.calls("product"), "the second call is a hit");
      assertEquals(1, metrics.count("cacheHit", "Catalog.product"));
      assertLimited(limited, "before");
      incrementExactly(locks, worker, "counter-before");
      List<Long> tokensBefore = snapshot(worker.tokens);
      assertIncreasing(tokensBefore);
      assertWokenByTheRelease(locks, redwire, "before");
      assertEquals(0, metrics.count("redisError", "Catalog.product"));

      // the stored entry of product 1 as the master holds it, to compare on the promoted replica
      String entryKey = deployment.master().command("KEYS", NS + ":c:Catalog.product:*{1}");
      String entryBefore = deployment.master().command("GET", entryKey);
      assertTrue(entryBefore != null && !entryBefore.isEmpty(), "product 1 is stored: " + entryKey);
      // replication is asynchronous: wait until the replica holds the entry too (WAIT would not do:
      // it only waits for the writes of its own connection)
      long replicated = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!entryBefore.equals(deployment.replica().command("GET", entryKey))
          && System.nanoTime() < replicated) {
        Thread.sleep(10);
      }
      assertEquals(entryBefore, deployment.replica().command("GET", entryKey), "replicated before the kill");

      // ---- during: the master dies while callers keep calling
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong maxCallNanos = new AtomicLong();
      AtomicLong calls = new AtomicLong();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        callers.add(threads.submit(() -> {
          for (long i = 0; !stop.get(); i++) {
            long id = 100 + (i * 4 + offset) % 40;
            long started = System.nanoTime();
            try {
              assertEquals(id, catalog.product(id).id());
            } catch (Throwable e) {
              errors.add(e);
            }
            maxCallNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
            calls.incrementAndGet();
            Thread.sleep(2);
          }
          return null;
        }));
      }
      Thread.sleep(300);
      long failoverStarted = System.nanoTime();
      deployment.failover();
      long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failoverStarted);
      long callsDuringFailover = calls.get();

      // ---- after: hits resume on the promoted replica, with the same Redwire and proxies
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      long probe = 1000;
      boolean hit = false;
      while (!hit) {
        assertTrue(System.nanoTime() < deadline, "no cache hit within 15 s of the failover; "
            + metrics.summary());
        probe++;
        catalog.product(probe);
        int loads = delegate.calls("product");
        catalog.product(probe);
        hit = delegate.calls("product") == loads;
        if (!hit) {
          Thread.sleep(50);
        }
      }
      long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failoverStarted);
      Thread.sleep(200); // the callers run a little on the new master too
      stop.set(true);
      for (Future<?> f : callers) {
        f.get(10, TimeUnit.SECONDS);
      }
      System.out.printf("failover %d ms, first hit on the new master %d ms after the kill;"
          + " %d calls during the failover, longest call %d ms; %s%n", failoverMs, recoveredMs,
          callsDuringFailover, TimeUnit.NANOSECONDS.toMillis(maxCallNanos.get()), metrics.summary());

      assertTrue(errors.isEmpty(), "every call answered (fail open): " + errors);
      assertTrue(metrics.count("redisError", "Catalog.product") > 0, "the outage was seen: " + metrics.summary());
      assertTrue(calls.get() > callsDuringFailover, "calls continued");
      assertTrue(maxCallNanos.get() < TimeUnit.SECONDS.toNanos(2),
          "longest call " + TimeUnit.NANOSECONDS.toMillis(maxCallNanos.get()) + " ms");
      assertEquals(new HostAndPort("127.0.0.1", deployment.master().port()), client.getCurrentMaster(),
          "the client follows the promotion");
      String keys = deployment.master().command("KEYS", NS + ":c:Catalog.product:*");
      assertTrue(keys.contains("{" + probe + "}"), "the entry is on the new master: " + keys);

      // the entry stored before the failover was replicated, byte for byte, and the proxy serves it
      assertEquals(entryBefore, deployment.master().command("GET", entryKey), "replicated entry");
      long servedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      int loads;
      do {
        loads = delegate.calls("product");
        assertEquals("product 1", catalog.product(1).name());
      } while (delegate.calls("product") != loads && System.nanoTime() < servedBy);
      assertEquals(loads, delegate.calls("product"), "replicated entry served from the new master; "
          + metrics.summary());

      assertLimited(limited, "after");
      worker.tokens.clear();
      incrementExactly(locks, worker, "counter-after");
      List<Long> tokensAfter = snapshot(worker.tokens);
      assertIncreasing(tokensAfter);
      assertTrue(tokensAfter.get(0) > tokensBefore.get(tokensBefore.size() - 1),
          "fencing tokens keep increasing across the failover");
      assertWokenByTheRelease(locks, redwire, "after");
    }
  }

  // ---------------------------------------------------------------------------------------------

  static Redwire redwireOn(RedisSentinelClient client, CountingMetrics metrics) {
    return Redwire.builder().client(client).namespace(NS).metrics(metrics)
        .circuitBreaker(3, Duration.ofMillis(200)).build();
  }

  /** GCRA with a burst of 10: ten calls pass, the eleventh is refused by Redis (not by a failure). */
  static void assertLimited(Limited limited, String user) {
    for (int i = 0; i < 10; i++) {
      assertEquals(user, limited.gcra(user));
    }
    RateLimitedException e = assertThrows(RateLimitedException.class, () -> limited.gcra(user));
    assertEquals("Limited.gcra", e.name());
    assertFalse(e.redisFailure());
    assertTrue(e.retryAfter().toMillis() > 0);
  }

  /** Eight threads, 25 racy increments each: exact only if the lock holds. */
  void incrementExactly(LockWork locks, LockWorker worker, String counter) throws Exception {
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(threads.submit(() -> {
        for (int i = 0; i < 25; i++) {
          locks.increment(counter);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertEquals("200", worker.data.get(counter));
  }

  /**
   * A waiter parked on the lock's release channel is woken by the release's publish, long before
   * the holder's 30 s lease would end.
   */
  void assertWokenByTheRelease(LockWork locks, Redwire redwire, String job) throws Exception {
    byte[] channel = (NS + ":lock:gate").getBytes(StandardCharsets.UTF_8);
    LockWork.Gate first = new LockWork.Gate();
    LockWork.Gate second = new LockWork.Gate();
    Future<Long> holder = threads.submit(() -> locks.gate(job, first));
    assertTrue(first.entered.await(10, TimeUnit.SECONDS), "the holder entered");
    Future<Long> waiter = threads.submit(() -> locks.gate(job, second));
    // the first wait subscribes the channel; after a failover the subscriber reconnects by itself
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Subscriber.of(redwire).isActive(channel)) {
      assertTrue(System.nanoTime() < deadline, "the release channel is subscribed again");
      Thread.sleep(10);
    }
    Thread.sleep(150); // the waiter is parked on the release (past its 100 ms unsubscribed retry)
    assertFalse(second.entered.getCount() == 0, "the waiter waits");
    first.finish.countDown();
    second.finish.countDown();
    long firstToken = holder.get(10, TimeUnit.SECONDS);
    long secondToken = waiter.get(10, TimeUnit.SECONDS);
    assertTrue(secondToken > firstToken);
    long ms = TimeUnit.NANOSECONDS.toMillis(second.enteredAt - first.leavingAt);
    assertTrue(ms < 1000, "woken " + ms + " ms after the release, not at the 30 s lease end");
    assertNotEquals(0, second.enteredAt);
  }

  static List<Long> snapshot(List<Long> tokens) {
    synchronized (tokens) {
      return new ArrayList<>(tokens);
    }
  }

  static void assertIncreasing(List<Long> tokens) {
    assertFalse(tokens.isEmpty());
    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(tokens.get(i) > tokens.get(i - 1), "token " + i + " of " + tokens);
    }
  }
}
