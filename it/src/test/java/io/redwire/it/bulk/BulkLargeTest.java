package io.redwire.it.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.CommandCounter;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Large bulks and bulks of many unservable entries: what they cost the server and the wire. */
class BulkLargeTest {

  static RedisServer server;
  static CommandCounter counter;
  static int namespaces;

  String namespace;
  Redwire redwire;
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
    namespace = "large" + (++namespaces);
    redwire = Redwire.builder().uri(counter.uri()).namespace(namespace).build();
    delegate = new CountingProducts();
    products = RedwireProducts.wrap(delegate, redwire);
  }

  @AfterEach
  void close() {
    counter.release();
    redwire.close();
  }

  List<String> entries(String name) {
    String all = server.command("KEYS", namespace + ":c:" + name + ":*}");
    return all == null || all.isEmpty() ? List.of() : List.of(all.split("\n"));
  }

  static Set<Long> ids(long from, long to) {
    Set<Long> ids = new LinkedHashSet<>();
    for (long id = from; id < to; id++) {
      ids.add(id);
    }
    return ids;
  }

  @Test
  void aBulkOfTenThousandIdsIsReadInBoundedMgets() {
    List<Integer> mgetSizes = new CopyOnWriteArrayList<>();
    counter.hold(c -> {
      if (c.get(0).equalsIgnoreCase("MGET")) {
        mgetSizes.add(c.size() - 1);
      }
      return false;
    });
    assertEquals(10_000, products.products(ids(0, 10_000)).size());
    assertEquals(10_000, mgetSizes.stream().mapToInt(Integer::intValue).sum(), mgetSizes.toString());
    assertTrue(mgetSizes.stream().allMatch(s -> s <= 1000),
        "no MGET of more than 1000 keys blocks the server: " + mgetSizes);
    Await.until(Duration.ofSeconds(10), () -> entries("products").size() == 10_000,
        () -> "10000 entries, found " + entries("products").size());
    assertEquals(10_000, products.products(ids(0, 10_000)).size());
    assertEquals(1, delegate.asked.size(), "all hits the second time");
  }

  @Test
  void entriesThatCannotBeServedAreReplacedInOnePipelineNotOneRoundTripEach() {
    products.products(ids(0, 50));
    Await.until(Duration.ofSeconds(5), () -> entries("products").size() == 50, () -> "50 entries");
    for (String key : entries("products")) {
      server.command("SET", key, "not an entry"); // as after a deploy that changed the value's shape
    }
    counter.latency(Duration.ofMillis(100)); // a round trip of 100 ms: fifty of them would take 5 s
    long started = System.nanoTime();
    assertEquals(50, products.products(ids(0, 50)).size());
    Await.until(Duration.ofMillis(2000),
        () -> entries("products").stream().noneMatch(k -> "not an entry".equals(server.command("GET", k))),
        () -> "every damaged entry replaced within a few round trips, not fifty");
    counter.latency(Duration.ZERO);
    assertTrue(System.nanoTime() - started < 2_500_000_000L);
  }
}
