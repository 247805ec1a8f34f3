package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.pubsub.Subscriber;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/** The generated {@code RedwireLockWork} on a three-master Redis Cluster, on two Redwire instances. */
class LockClusterTest {

  static RedisCluster cluster;
  static int namespaces;

  String namespace;
  RedisClusterClient data;
  LockWorker worker;
  final List<RedisClusterClient> clients = new ArrayList<>();
  final List<Redwire> redwires = new ArrayList<>();
  final List<CountingMetrics> metrics = new ArrayList<>();
  final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void setUp() {
    namespace = "lc" + (++namespaces);
    data = newClient();
    worker = new LockWorker(data);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    redwires.forEach(Redwire::close);
    clients.forEach(RedisClusterClient::close);
  }

  RedisClusterClient newClient() {
    // seeded with a different node each time: the instances do not share a view of the cluster
    RedisServer seed = cluster.nodes().get(clients.size() % 3);
    RedisClusterClient c = RedisClusterClient.builder()
        .nodes(Set.of(new HostAndPort(seed.host(), seed.port()))).build();
    clients.add(c);
    return c;
  }

  /** A proxy on a Redwire (with a cluster client) of its own: another instance of the service. */
  LockWork instance() {
    CountingMetrics m = new CountingMetrics();
    Redwire r = Redwire.builder().client(newClient()).namespace(namespace).metrics(m).build();
    assertTrue(r.isCluster());
    redwires.add(r);
    metrics.add(m);
    return RedwireLockWork.wrap(worker, r);
  }

  long count(String event, String name) {
    return metrics.stream().mapToLong(m -> m.count(event, name)).sum();
  }

  String key(String lock, String part) {
    return namespace + ":lock:" + lock + ":{" + part + "}";
  }

  static int slot(String key) {
    return Integer.parseInt(cluster.nodes().get(0).command("CLUSTER", "KEYSLOT", key));
  }

  /** The index of the master owning {@code key}'s slot (the fixture splits slots evenly, in order). */
  static int node(String key) {
    int slot = slot(key);
    int n = cluster.nodes().size();
    for (int i = 0; i < n; i++) {
      if (slot < (i + 1) * RedisCluster.SLOTS / n) {
        return i;
      }
    }
    throw new AssertionError(slot);
  }

  // ------------------------------------------------------------------------------------------

  @Test
  void eightThreadsOnTwoInstancesIncrementExactlyWithIncreasingFencingTokens() throws Exception {
    List<LockWork> proxies = List.of(instance(), instance());
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      LockWork proxy = proxies.get(t % 2);
      done.add(threads.submit(() -> {
        for (int i = 0; i < 40; i++) {
          proxy.increment("counter");
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    assertEquals("320", data.get("counter"));
    assertFalse(data.exists(key("counter", "counter")), "released");
    assertEquals(320, count("lockAcquired", "counter"));
    assertTrue(metrics.get(0).count("lockAcquired", "counter") > 0
        && metrics.get(1).count("lockAcquired", "counter") > 0, "both instances took the lock");
    assertTrue(count("lockWait", "counter") > 0, "callers contended");
    assertEquals(0, count("lockLost", "counter"));

    // tokens are recorded under the lock, so in acquisition order: each larger than the last
    List<Long> tokens;
    synchronized (worker.tokens) {
      tokens = new ArrayList<>(worker.tokens);
    }
    assertEquals(320, tokens.size());
    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(tokens.get(i) > tokens.get(i - 1), "token " + i + ": " + tokens.get(i - 1) + " then "
          + tokens.get(i));
    }
    // the fencing counter lives next to the lock, in its slot
    String fence = key("counter", "counter") + ":fence";
    assertEquals(slot(key("counter", "counter")), slot(fence));
    assertEquals(String.valueOf(tokens.get(tokens.size() - 1)), data.get(fence));
  }

  @Test
  void keysOfDifferentLockKeysSpreadOverTheMasters() throws Exception {
    LockWork a = instance();
    LockWork b = instance();
    for (int i = 0; i < 30; i++) {
      (i % 2 == 0 ? a : b).increment("spread-" + i);
      assertEquals("1", data.get("spread-" + i));
    }
    Set<Integer> slots = new HashSet<>();
    Set<Integer> nodes = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      String lock = key("counter", "spread-" + i);
      String fence = lock + ":fence";
      assertEquals(slot(lock), slot(fence), "lock and fence share a slot");
      int owner = node(lock);
      RedisServer server = cluster.nodes().get(owner);
      assertEquals("1", server.command("EXISTS", fence), "the fence of " + lock + " is on its master");
      assertEquals("0", server.command("EXISTS", lock), "released");
      slots.add(slot(lock));
      nodes.add(owner);
    }
    assertTrue(slots.size() > 25, "lock keys spread over slots: " + slots.size());
    assertEquals(3, nodes.size(), "and over all three masters");
  }

  @Test
  void aWaiterOnTheOtherInstanceIsWokenByTheReleaseFromAnyMaster() throws Exception {
    LockWork holder = instance();
    LockWork waiter = instance();
    Redwire waiterRedwire = redwires.get(1);
    byte[] channel = (namespace + ":lock:gate").getBytes(StandardCharsets.UTF_8);
    // jobs whose locks live on each of the three masters: releases published on every node must
    // reach the waiter's one subscriber connection, wherever it is
    List<String> jobs = new ArrayList<>();
    Set<Integer> covered = new HashSet<>();
    for (int i = 0; covered.size() < 3 || jobs.size() < 9; i++) {
      String job = "job-" + i;
      if (covered.add(node(key("gate", job))) || jobs.size() < 9) {
        jobs.add(job);
      }
    }
    List<Long> delays = new ArrayList<>();
    for (String job : jobs) {
      LockWork.Gate first = new LockWork.Gate();
      LockWork.Gate second = new LockWork.Gate();
      Future<Long> h = threads.submit(() -> holder.gate(job, first));
      assertTrue(first.entered.await(10, TimeUnit.SECONDS), "the holder entered");
      long waitsBefore = metrics.get(1).count("lockWait", "gate");
      Future<Long> w = threads.submit(() -> waiter.gate(job, second));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (metrics.get(1).count("lockWait", "gate") == waitsBefore
          || !Subscriber.of(waiterRedwire).isActive(channel)) {
        assertTrue(System.nanoTime() < deadline, "the second instance waits, subscribed");
        Thread.sleep(1);
      }
      assertEquals(1, second.entered.getCount(), "still waiting");
      first.finish.countDown();
      second.finish.countDown();
      long firstToken = h.get(10, TimeUnit.SECONDS);
      long secondToken = w.get(10, TimeUnit.SECONDS);
      assertTrue(secondToken > firstToken, "fencing tokens increase");
      delays.add(TimeUnit.NANOSECONDS.toMillis(second.enteredAt - first.leavingAt));
    }
    System.out.println("handoff delays across the cluster (ms) for jobs on masters "
        + jobs.stream().map(j -> node(key("gate", j))).toList() + ": " + delays);
    for (int i = 0; i < delays.size(); i++) {
      // the watchdog lease is 30 s; without the publish the waiter would sleep until it ends
      assertTrue(delays.get(i) < 1000, "job " + jobs.get(i) + " on master " + node(key("gate", jobs.get(i)))
          + " woken " + delays.get(i) + " ms after the release");
    }
    long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
    assertTrue(sorted[sorted.length / 2] < 50, "median handoff ms: " + delays);
  }
}
