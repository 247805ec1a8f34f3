package io.redwire.it.queue;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.it.Sentinels;
import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.QueueCounts;
import io.redwire.runtime.queue.WorkOptions;
import io.redwire.runtime.queue.Worker;
import io.redwire.testing.Await;
import io.redwire.testing.RedisSentinel;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisSentinelClient;

/**
 * A job queue on a Sentinel deployment, through Jedis' {@link RedisSentinelClient}: one worker and one
 * producer on one {@code Redwire} keep working across a failover (the master killed with SIGKILL), with
 * jobs done before it, jobs running through it and jobs enqueued after it. Only what had replicated
 * before the kill can survive it, so the test waits for the replica to catch up before killing.
 */
class QueueSentinelTest {

  private static final Pattern MASTER_OFFSET = Pattern.compile("master_repl_offset:(\\d+)");
  private static final Pattern REPLICA_OFFSET = Pattern.compile("slave_repl_offset:(\\d+)");

  @Test
  void jobsBeforeDuringAndAfterAFailoverAllRunAndOnlyThoseRunningAtTheKillMayRunTwice() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    try (RedisSentinel deployment = RedisSentinel.start("redwire-queue");
        RedisSentinelClient client = Sentinels.client(deployment, 1000);
        Redwire redwire = Redwire.builder().client(client).namespace("qs").metrics(metrics)
            .circuitBreaker(3, Duration.ofMillis(200)).build()) {
      Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
      CountDownLatch gate = new CountDownLatch(1);
      Set<Integer> heldAtTheKill = ConcurrentHashMap.newKeySet();
      Numbers handler = n -> {
        if (n >= 300 && n < 400 && gate.getCount() > 0) {
          heldAtTheKill.add(n);
          try {
            gate.await(30, TimeUnit.SECONDS); // running through the failover
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
        runs.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
      };
      try (Worker worker = RedwireNumbers.work(handler, redwire,
          WorkOptions.concurrency(4).lease(Duration.ofSeconds(2)))) {
        Numbers producer = RedwireNumbers.client(redwire);
        for (int i = 0; i < 300; i++) {
          producer.record(i);
        }
        Await.until(Duration.ofSeconds(20), () -> runs.size() == 300, () -> runs.size() + " of 300 before");

        // 100 more: four are running (held), the rest wait in the stream
        for (int i = 300; i < 400; i++) {
          producer.record(i);
        }
        Await.until(Duration.ofSeconds(10), () -> heldAtTheKill.size() == 4, () -> heldAtTheKill + " held");
        awaitReplicated(deployment);
        deployment.failover();
        gate.countDown();

        // after the failover: the same producer and worker, on the promoted replica
        int refused = 0;
        for (int i = 400; i < 500; i++) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
          while (true) {
            try {
              producer.record(i);
              break;
            } catch (RuntimeException e) { // the client has not switched to the new master yet
              refused++;
              assertTrue(System.nanoTime() < deadline, "no enqueue within 15 s of the failover: " + e);
              Thread.sleep(50);
            }
          }
        }
        Await.until(Duration.ofSeconds(30), () -> runs.size() == 500,
            () -> runs.size() + " of 500 after the failover; " + metrics.summary());
        QueueCounts empty = new QueueCounts(0, 0, 0, 0);
        Await.until(Duration.ofSeconds(10), () -> empty.equals(RedwireNumbers.admin(redwire).counts()),
            () -> "queue empty: " + RedwireNumbers.admin(redwire).counts());

        Set<Integer> twice = new HashSet<>();
        runs.forEach((n, r) -> {
          if (r.get() > 1) {
            twice.add(n);
          }
        });
        System.out.printf("sentinel failover: 500 jobs ran, %d twice %s (held at the kill: %s);"
            + " %d enqueues refused while the client switched%n", twice.size(), twice, heldAtTheKill, refused);
        for (int n = 0; n < 500; n++) {
          assertTrue(runs.containsKey(n), "job " + n + " never ran");
        }
        assertTrue(heldAtTheKill.containsAll(twice), "only jobs running at the kill may run twice: " + twice);
      }
    }
  }

  /** Waits until the replica has everything the master wrote (a kill loses only what had not replicated). */
  private static void awaitReplicated(RedisSentinel deployment) {
    RedisServer master = deployment.master();
    RedisServer replica = deployment.replica();
    long target = offset(MASTER_OFFSET, master.command("INFO", "replication"));
    Await.until(Duration.ofSeconds(10),
        () -> offset(REPLICA_OFFSET, replica.command("INFO", "replication")) >= target,
        () -> "the replica to reach offset " + target);
  }

  private static long offset(Pattern p, String info) {
    Matcher m = p.matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
