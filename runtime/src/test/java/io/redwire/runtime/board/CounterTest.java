package io.redwire.runtime.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.key.KeyWriter;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Counters and distinct counts against a real redis-server. */
class CounterTest {

  static RedisServer server;
  static RedisClient plain;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    plain = RedisClient.create(server.host(), server.port());
  }

  @AfterAll
  static void stop() {
    plain.close();
    server.close();
  }

  static Counter counter(Redwire redwire, String name, String part) {
    CounterRegion region = CounterRegion.counter(redwire, name, Duration.ofMinutes(1), Duration.ofHours(1));
    return region.counter(KeyWriter.begin(region.prefix()).part(part).end());
  }

  @Test
  void sixteenThreadsOnFourInstancesCountExactly() throws Exception {
    List<Redwire> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(Redwire.builder().uri(server.uri()).namespace("exact").build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        Counter c = counter(instances.get(t % 4), "views", "home");
        done.add(pool.submit(() -> {
          for (int i = 0; i < 6_250; i++) {
            c.increment();
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      Counter c = counter(instances.get(0), "views", "home");
      // the test may straddle a window boundary: the sum over the last two windows holds every increment
      assertEquals(100_000, c.sum(Duration.ofMinutes(2)));
    } finally {
      pool.shutdownNow();
      instances.forEach(Redwire::close);
    }
  }

  @Test
  void bucketsExpireAfterRetainAndSumsCoverOnlyTheAskedWindows() {
    try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("buckets").build()) {
      CounterRegion region = CounterRegion.counter(redwire, "hits", Duration.ofMinutes(1), Duration.ofMinutes(10));
      byte[] key = KeyWriter.begin(region.prefix()).part("p").end();
      Counter c = region.counter(key);
      assertEquals(3, c.increment(3));
      assertEquals(3, c.get());
      long window = System.currentTimeMillis() / 60_000;
      // an older window, written as the counter would have written it 5 minutes ago
      String base = new String(key, StandardCharsets.UTF_8);
      plain.set(base + ":" + (window - 5), "7");
      plain.set(base + ":" + (window - 30), "1000"); // beyond retain: never summed
      long sum5 = c.sum(Duration.ofMinutes(5));
      long sum6 = c.sum(Duration.ofMinutes(6));
      assertTrue(sum5 == 3 || sum5 == 10, "5 minutes reach back 5 windows at most: " + sum5);
      assertEquals(10, sum6);
      assertEquals(10, c.sum(Duration.ofDays(1)), "capped at retain");
      for (String k : plain.keys("buckets:counter:hits:*")) {
        if (k.endsWith(":" + window) || k.endsWith(":" + (window + 1))) {
          long pttl = plain.pttl(k);
          assertTrue(pttl > 10 * 60_000 - 1000 && pttl <= 11 * 60_000, k + " pttl " + pttl);
        }
      }
    }
  }

  @Test
  void distinctCountsAreWithinOnePercentAtAMillionMembers() {
    try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("hll").build()) {
      CounterRegion region = CounterRegion.distinct(redwire, "visitors", Duration.ofDays(1), Duration.ofDays(7));
      byte[] key = KeyWriter.begin(region.prefix()).part("home").end();
      Uniques u = region.uniques(key);
      assertTrue(u.add("first"));
      assertTrue(!u.add("first"), "a member seen before does not change the estimate");
      // the same key the handle writes, filled a batch at a time (a million single round trips would
      // take minutes); the handle's count reads it
      long window = System.currentTimeMillis() / Duration.ofDays(1).toMillis();
      byte[] bucket = (new String(key, StandardCharsets.UTF_8) + ":" + window).getBytes(StandardCharsets.UTF_8);
      int n = 1_000_000;
      for (int from = 0; from < n; from += 10_000) {
        byte[][] batch = new byte[10_000][];
        for (int i = 0; i < batch.length; i++) {
          batch[i] = ("member-" + (from + i)).getBytes(StandardCharsets.UTF_8);
        }
        plain.pfadd(bucket, batch);
      }
      long estimate = u.count();
      double error = Math.abs(estimate - (n + 1)) / (double) (n + 1);
      assertTrue(error < 0.01, "estimate " + estimate + " for " + (n + 1) + ": " + error);
      assertEquals(estimate, u.count(Duration.ofDays(2)), "a second, empty window adds nothing");
      assertTrue(plain.pttl(bucket) > 0, "expires");
    }
  }

  @Test
  void nullsAreRefusedWithAMessage() {
    try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("nulls").build()) {
      Counter c = CounterRegion.counter(redwire, "n", Duration.ofMinutes(1), Duration.ofHours(1))
          .counter(KeyWriter.begin(CounterRegion.counter(redwire, "n", Duration.ofMinutes(1), Duration.ofHours(1))
              .prefix()).part("k").end());
      Uniques u = CounterRegion.distinct(redwire, "u", Duration.ofMinutes(1), Duration.ofHours(1))
          .uniques(KeyWriter.begin(CounterRegion.distinct(redwire, "u", Duration.ofMinutes(1), Duration.ofHours(1))
              .prefix()).part("k").end());
      assertEquals("last", assertThrows(NullPointerException.class, () -> c.sum(null)).getMessage());
      assertEquals("last", assertThrows(NullPointerException.class, () -> u.count(null)).getMessage());
      assertEquals("member", assertThrows(NullPointerException.class, () -> u.add((String) null)).getMessage());
      assertEquals("member", assertThrows(NullPointerException.class, () -> u.add((byte[]) null)).getMessage());
    }
  }
}
