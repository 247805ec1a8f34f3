package io.redwire.it.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.DeadJob;
import io.redwire.runtime.queue.Worker;
import io.redwire.testing.Await;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What applies when a job runs: {@code @Locked} and {@code @RateLimited} on a queued method (through
 * the generated workers, never the client), and the queue's {@code timeout}.
 */
class QueueCompositionTest {

  static RedisServer server;
  static int namespaces;
  String namespace;
  final List<Redwire> redwires = new ArrayList<>();
  final List<Worker> workers = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void namespace() {
    namespace = "qc" + (++namespaces);
  }

  @AfterEach
  void close() {
    workers.forEach(Worker::close);
    redwires.forEach(Redwire::close);
  }

  Redwire redwire(CountingMetrics metrics) {
    Redwire r = Redwire.builder().uri(server.uri()).namespace(namespace).metrics(metrics).build();
    redwires.add(r);
    return r;
  }

  @Test
  void aLockedJobRunsUnderItsLockAcrossWorkers() {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Exclusive handler = new Exclusive() {
      @Override
      public void settle(String account, int n) {
        int now = inside.incrementAndGet();
        most.accumulateAndGet(now, Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          inside.decrementAndGet();
          done.incrementAndGet();
        }
      }

      @Override
      public void ping(int n) {}
    };
    CountingMetrics metrics = new CountingMetrics();
    for (int i = 0; i < 2; i++) {
      workers.add(RedwireExclusive.work(handler, redwire(metrics), 4));
    }
    Exclusive client = RedwireExclusive.client(redwire(metrics));
    for (int n = 0; n < 40; n++) {
      client.settle("acct-1", n);
    }
    Await.until(Duration.ofSeconds(20), () -> done.get() == 40, () -> done.get() + " of 40 settled");
    assertEquals(1, most.get(), "eight threads in two workers, one lock: one job at a time");
    assertTrue(metrics.count("lockAcquired") >= 40, "the lock was taken per job: " + metrics);
  }

  @Test
  void aRateLimitedJobIsLimitedWhenItRunsNotWhenItIsEnqueued() {
    List<Long> runs = new CopyOnWriteArrayList<>();
    Exclusive handler = new Exclusive() {
      @Override
      public void settle(String account, int n) {}

      @Override
      public void ping(int n) {
        runs.add(System.nanoTime());
      }
    };
    Exclusive client = RedwireExclusive.client(redwire(new CountingMetrics()));
    long start = System.nanoTime();
    for (int n = 0; n < 6; n++) {
      client.ping(n);
    }
    assertTrue(System.nanoTime() - start < 500_000_000L, "enqueueing is not limited");
    workers.add(RedwireExclusive.work(handler, redwire(new CountingMetrics()), 4));
    Await.until(Duration.ofSeconds(10), () -> runs.size() == 6, () -> runs.size() + " of 6 ran");
    long spread = (runs.get(5) - runs.get(0)) / 1_000_000;
    // 5 per second, burst 1: one at once, then one every 200 ms
    assertTrue(spread >= 900, "six runs took " + spread + " ms");
  }

  @Test
  void anAttemptThatOutlivesTheTimeoutIsInterruptedAndFails() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    AtomicInteger interrupted = new AtomicInteger();
    Flaky handler = new Flaky() {
      @Override
      public void charge(Charge charge, String reason) {}

      @Override
      public void slow(int n) throws InterruptedException {
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
          throw e;
        }
      }
    };
    workers.add(RedwireFlaky.work(handler, redwire, 1));
    RedwireFlaky.client(redwire).slow(7);
    Await.until(Duration.ofSeconds(10), () -> RedwireFlaky.slowAdmin(redwire).counts().dead() == 1,
        () -> "dead after two timed-out attempts: " + RedwireFlaky.slowAdmin(redwire).counts());
    assertEquals(2, interrupted.get());
    assertEquals(2, metrics.count("jobTimedOut", "slow"));
    DeadJob d = RedwireFlaky.slowAdmin(redwire).dead(1).get(0);
    assertTrue(d.error().contains("ran longer than its timeout of 200 ms"), d.error());
    assertEquals(List.of(7), d.args());
  }
}
