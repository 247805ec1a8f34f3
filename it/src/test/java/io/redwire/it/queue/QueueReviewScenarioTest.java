package io.redwire.it.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.QueueCounts;
import io.redwire.runtime.queue.Worker;
import io.redwire.testing.Await;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A new user's hour with a concurrency-4 worker: fast jobs next to a slow one, a failing job, close and reuse. */
class QueueReviewScenarioTest {

  static RedisServer server;
  static int namespaces;

  @BeforeAll
  static void startServer() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static final class Jobs implements ReviewJobs {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> failsCalls = new ConcurrentHashMap<>();
    volatile long slowDoneAt;

    @Override
    public void work(int n, long sleepMillis) throws InterruptedException {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      try {
        runs.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
        if (sleepMillis > 0) {
          Thread.sleep(sleepMillis);
          slowDoneAt = System.nanoTime();
        }
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public void fails(String key) {
      if (failsCalls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1) {
        throw new IllegalStateException("first call of " + key + " fails");
      }
    }
  }

  long runFastJobs(Redwire redwire, Jobs jobs, int from, int count, boolean withSlow) throws Exception {
    ReviewJobs client = RedwireReviewJobs.client(redwire);
    long t0 = System.nanoTime();
    if (withSlow) {
      client.work(-1 - from, 1000);
    }
    for (int i = from; i < from + count; i++) {
      client.work(i, 0);
    }
    Await.until(Duration.ofSeconds(30), () -> {
      for (int i = from; i < from + count; i++) {
        if (!jobs.runs.containsKey(i)) {
          return false;
        }
      }
      return true;
    }, () -> "all fast jobs ran");
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void fastJobsBesideASlowOneAFailingJobAndCloseAndReuse() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("rv" + (++namespaces))
        .metrics(metrics).build()) {
      Jobs jobs = new Jobs();
      Worker worker = RedwireReviewJobs.work(jobs, redwire, 4);
      // warm up
      runFastJobs(redwire, jobs, 0, 2000, false);
      long plain = runFastJobs(redwire, jobs, 10_000, 5000, false);
      long withSlow = runFastJobs(redwire, jobs, 20_000, 5000, true);
      long slowDone = jobs.slowDoneAt;
      System.out.printf("REVIEW 5000 fast jobs: %d ms alone, %d ms beside a 1 s job (slow one done: %s)%n",
          plain, withSlow, slowDone != 0);
      assertTrue(jobs.maxRunning.get() <= 4, "at most 4 at once: " + jobs.maxRunning.get());

      // a job that throws once is called twice and then acknowledged
      ReviewJobs client = RedwireReviewJobs.client(redwire);
      client.fails("x");
      Await.until(Duration.ofSeconds(10), () -> jobs.failsCalls.containsKey("x")
          && jobs.failsCalls.get("x").get() == 2 && RedwireReviewJobs.failsAdmin(redwire).counts()
              .equals(new QueueCounts(0, 0, 0, 0)), () -> "fails(x) twice, then done: " + jobs.failsCalls);

      // idle worker, one job at a time: latency
      long worst = 0;
      for (int i = 0; i < 50; i++) {
        int n = 100_000 + i;
        long t0 = System.nanoTime();
        client.work(n, 0);
        Await.until(Duration.ofSeconds(5), () -> jobs.runs.containsKey(n), () -> "job " + n + " ran");
        worst = Math.max(worst, System.nanoTime() - t0);
        Thread.sleep(5);
      }
      System.out.printf("REVIEW idle worker, one job at a time: worst enqueue->run %d us%n", worst / 1000);

      // close and reuse
      Await.until(Duration.ofSeconds(5), () -> slowDone != 0 || jobs.slowDoneAt != 0, () -> "slow job done");
      worker.close();
      client.work(200_000, 0);
      Thread.sleep(200);
      assertTrue(!jobs.runs.containsKey(200_000), "no worker: the job waits");
      Worker again = RedwireReviewJobs.work(jobs, redwire, 4);
      try {
        Await.until(Duration.ofSeconds(10), () -> jobs.runs.containsKey(200_000), () -> "the new worker ran it");
      } finally {
        again.close();
      }
      for (Map.Entry<Integer, AtomicInteger> e : jobs.runs.entrySet()) {
        assertEquals(1, e.getValue().get(), "job " + e.getKey() + " ran once");
      }
      assertTrue(jobs.maxRunning.get() <= 4, "at most 4 at once: " + jobs.maxRunning.get());
    }
  }
}
