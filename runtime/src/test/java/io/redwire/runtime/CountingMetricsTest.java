package io.redwire.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountingMetricsTest {

  @Test
  void countsEveryEventPerName() {
    CountingMetrics m = new CountingMetrics();
    m.cacheHit("product");
    m.cacheHit("product");
    m.cacheHit("user");
    m.cacheMiss("product");
    m.cacheLoad("product", 1_500_000);
    m.cacheLoad("product", 500_000);
    m.cacheEarlyRefresh("product");
    m.cacheStampedeWait("product");
    m.redisError("product", "get", new RuntimeException("x"));
    m.circuitOpened("product");
    m.circuitClosed("product");

    assertEquals(2, m.count("cacheHit", "product"));
    assertEquals(1, m.count("cacheHit", "user"));
    assertEquals(0, m.count("cacheHit", "nobody"));
    assertEquals(1, m.count("cacheMiss", "product"));
    assertEquals(2, m.count("cacheLoad", "product"));
    assertEquals(2_000_000, m.totalNanos("cacheLoad", "product"));
    assertEquals(1, m.count("cacheEarlyRefresh", "product"));
    assertEquals(1, m.count("cacheStampedeWait", "product"));
    assertEquals(1, m.count("redisError", "product"));
    assertEquals(1, m.count("circuitOpened", "product"));
    assertEquals(1, m.count("circuitClosed", "product"));

    String summary = m.summary();
    assertTrue(summary.contains("cacheHit[product]=2"), summary);
    assertTrue(summary.contains("cacheHit[user]=1"), summary);
    assertTrue(summary.contains("cacheLoad[product]=2 (2.000 ms)"), summary);

    m.reset();
    assertEquals(0, m.count("cacheHit", "product"));
    assertEquals("", m.summary());
  }

  @Test
  void countsExactlyUnderConcurrency() throws Exception {
    CountingMetrics m = new CountingMetrics();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  m.cacheHit("c");
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(80_000, m.count("cacheHit", "c"));
  }

  @Test
  void noneIgnoresEverything() {
    RedwireMetrics.NONE.cacheHit("x");
    RedwireMetrics.NONE.redisError("x", "get", new RuntimeException());
  }
}
