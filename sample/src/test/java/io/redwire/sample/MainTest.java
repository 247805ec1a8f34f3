package io.redwire.sample;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.testing.RedisServer;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The checkout service end to end over HTTP: two instances on one redis-server started for the test,
 * the scripted customers, and the report's invariants; then one instance stopped while its customers
 * are mid-way, the other serving their sessions and carts.
 */
class MainTest {

  private static RedisServer redis;

  @BeforeAll
  static void redis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void twoInstancesServeTheScriptedCustomersAndEveryInvariantHolds() {
    try (Shop shop = Shop.start(redis.uri(), Backends.standard(), 0, 0)) {
      Report report = Main.run(shop, Main.CUSTOMERS, Main.PARALLEL);
      assertInvariants(report);
      Load.Tally t = report.tally;
      // the script exercises every outcome, so the invariants are not met by doing nothing
      assertTrue(t.orders.size() >= 20, report.toString());
      assertTrue(t.total(t.limited) > 0, "some hurried customers were rate limited\n" + report);
      assertTrue(t.soldOut.get() > 0, "G-1 sold out\n" + report);
      assertEquals(0, shop.backends.stock.level("G-1"), report.toString());
      assertTrue(t.badInputChecks.get() >= 70, report.toString());
      assertTrue(t.crossInstanceChecks.get() >= 200, report.toString());
      for (Service s : shop.instances) {
        assertTrue(t.count(t.placed, s.name) > 0, "both instances placed orders\n" + report);
        assertTrue(s.emails.handled.get() > 0, "both instances' listeners sent emails\n" + report);
      }
      assertTrue(report.toString().endsWith("PASS: every invariant holds"), report.toString());

      // a fresh scrape of each instance's /metrics, read independently, agrees with the report
      Shopper ops = new Shopper("test", Shopper.client());
      for (Report.Instance i : report.instances) {
        Service s = shop.instance(i.name());
        Scrape now = new Scrape(ops.get(s.url(), "/metrics").body());
        String where = "instance " + i.name() + "\n" + now.text;
        assertAll(
            () -> assertEquals(i.gets(Report.CATALOG, "hit"), now.sum("redwire_cache_gets_total", "instance", i.name(),
                "name", "lookup", "result", "hit"), where),
            () -> assertEquals(s.counts.catalogCalls.get(), now.sum("redwire_cache_gets_total", "name", "lookup"), where),
            () -> assertEquals(s.counts.priceCalls.get(), now.sum("redwire_cache_gets_total", "name", "Pricing.price"),
                where),
            () -> assertEquals(i.gets(Report.PRICES, "miss"), now.sum("redwire_cache_gets_total", "name", "Pricing.price",
                "result", "miss"), where),
            () -> assertEquals(t.count(t.limited, i.name()), now.sum("redwire_ratelimit_decisions_total", "result",
                "limited"), where),
            () -> assertEquals(i.lockWaits(), now.sum("redwire_lock_waits_total", "name", "stock"), where),
            () -> assertEquals(s.clerk.calls.get(), now.sum("redwire_lock_acquisitions_seconds_count", "name", "stock"),
                where),
            () -> assertEquals(t.count(t.placed, i.name()), now.sum("redwire_event_published_total", "name", "orders"),
                where),
            () -> assertEquals(i.delivered(), now.sum("redwire_event_delivered_total", "name", "orders"), where),
            () -> assertEquals(s.emails.handled.get(), now.sum("redwire_event_handled_seconds_count", "name", "orders",
                "result", "success"), where));
      }
      long delivered = report.instances.stream().mapToLong(Report.Instance::delivered).sum();
      assertTrue(delivered >= t.orders.size(), report.toString());

      // and the report can fail: one order the events never saw breaks "orders == events == emails"
      t.orders.add(new Load.Order("not-published", "nobody", Map.of("B-1", 1), "a"));
      assertFalse(report.passed());
    }
  }

  @Test
  void anInstanceStopsMidRunAndTheOtherKeepsServingTheSameSessionsAndCarts() {
    try (Shop shop = Shop.start(redis.uri(), Backends.standard(), 0, 0)) {
      long start = System.nanoTime();
      Load load = new Load(shop);
      Load.Tally t = load.tally;
      List<Shopper> shoppers = new ArrayList<>();
      List<Load.Route> routes = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        shoppers.add(load.shopper("early-" + c));
        routes.add(load.new Route(c));
        t.customers.incrementAndGet();
      }
      inParallel(shoppers.size(), c -> { // carts filled and users signed in, alternating a and b
        Shopper s = shoppers.get(c);
        Load.Route route = routes.get(c);
        load.add(s, route, Load.SKUS.get(c % 4), 1 + c % 2);
        load.login(s, route);
        load.add(s, route, "B-1", 1);
        if (c % 2 == 0) {
          load.checkout(s, route); // some orders before the stop
          load.add(s, route, "T-1", 1);
        }
      });
      long crossChecksBefore = t.crossInstanceChecks.get();
      // more customers arrive; a is stopped while they are mid-way (drained first, as a deployment does)
      java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor();
      java.util.concurrent.Future<?> running = background.submit(() -> load.customers(200, 8, 8));
      long before = t.requests();
      assertTrue(Main.waitFor(() -> t.requests() >= before + 150 || running.isDone(), java.time.Duration.ofSeconds(60)));
      assertFalse(running.isDone(), "the customers were still running when a stopped");
      URI a = shop.instance("a").url();
      long requestsAtStop = t.requests();
      shop.stop("a");
      try {
        running.get();
      } catch (Exception e) {
        throw new AssertionError(e);
      } finally {
        background.shutdown();
      }
      assertTrue(t.requests() > requestsAtStop, "the customers went on (against b)");
      assertThrows(UncheckedIOException.class, () -> shoppers.get(0).get(a, "/health"), "instance a is down");
      assertEquals(List.of(shop.instance("b")), shop.live());

      long checksBefore = t.cartChecks.get();
      inParallel(shoppers.size(), c -> { // the same cookies, now all answered by b
        Shopper s = shoppers.get(c);
        Load.Route route = routes.get(c);
        load.checkCart(s, route);
        load.add(s, route, "B-2", 1);
        load.checkout(s, route);
      });
      load.updates();
      Report report = Main.report(shop, load, start);
      assertInvariants(report);
      assertTrue(crossChecksBefore > 0, report.toString());
      assertTrue(t.cartChecks.get() - checksBefore >= 3L * shoppers.size(), report.toString());
      long placedByB = t.count(t.placed, "b");
      assertTrue(placedByB >= shoppers.size() / 2, "b placed the carts' orders after the stop\n" + report);
      assertTrue(t.count(t.placed, "a") > 0, report.toString());
      assertEquals(0, shop.backends.mailbox.perOrder().values().stream().filter(n -> n > 1).count(), report.toString());
    }
  }

  @Test
  void aDoubleSubmittedCheckoutOnBothInstancesPlacesTheCartsOrderOnce() throws Exception {
    try (Shop shop = Shop.start(redis.uri(), Backends.standard(), 0, 0)) {
      URI a = shop.instance("a").url();
      URI b = shop.instance("b").url();
      for (int round = 0; round < 3; round++) {
        Shopper s = new Shopper("double-" + round, Shopper.client());
        assertEquals(200, s.post(a, "/cart/items", "{\"sku\":\"T-1\",\"quantity\":2}").status());
        assertEquals(200, s.post(b, "/login", "{\"user\":\"double-" + round + "\"}").status());
        java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
          List<java.util.concurrent.Future<Shopper.Response>> submits = new ArrayList<>();
          for (URI to : List.of(a, b)) {
            submits.add(two.submit(() -> {
              go.await();
              return s.post(to, "/checkout", null);
            }));
          }
          List<Integer> statuses = new ArrayList<>();
          for (java.util.concurrent.Future<Shopper.Response> f : submits) {
            Shopper.Response r = f.get();
            statuses.add(r.status());
            if (r.status() != 201) {
              assertEquals("empty_cart", r.object().get("error"), r.toString());
            }
          }
          assertEquals(1, statuses.stream().filter(st -> st == 201).count(), statuses.toString());
        } finally {
          two.shutdownNow();
        }
        assertEquals(60 - 2 * (round + 1), shop.backends.stock.level("T-1"), "the cart's order was placed once");
        assertEquals(List.of(), Shopper.lines(s.get(a, "/cart")).entrySet().stream().toList());
      }
      assertTrue(shop.backends.mailbox.await(3, 30_000));
      assertEquals(3, shop.backends.mailbox.perOrder().size());
    }
  }

  @Test
  void withRedisDownTheCatalogStillAnswersAndStatefulRoutesAnswer503NeverA500() {
    try (RedisServer own = RedisServer.start();
        Shop shop = Shop.start(own.uri(), Backends.standard(), 0)) {
      URI a = shop.instance("a").url();
      Shopper s = new Shopper("offline", Shopper.client());
      assertEquals(200, s.post(a, "/cart/items", "{\"sku\":\"B-1\",\"quantity\":1}").status());
      assertEquals(200, s.post(a, "/login", "{\"user\":\"offline\"}").status());
      own.stop();
      Shopper.Response product = s.get(a, "/products/B-1"); // fail-open: the catalog answers
      assertEquals(200, product.status(), product.toString());
      assertEquals("The Pragmatic Programmer", product.object().get("name"));
      for (Shopper.Response r : List.of(s.get(a, "/cart"), s.post(a, "/checkout", null),
          s.post(a, "/cart/items", "{\"sku\":\"B-2\",\"quantity\":1}"))) {
        assertEquals(503, r.status(), r.toString());
        assertEquals("1", r.header("Retry-After").orElse(null), r.toString());
        assertTrue(r.object().get("error") instanceof String, r.toString());
      }
      assertEquals(0, shop.instance("a").counts.serverErrors.get());
      assertEquals(500, shop.backends.stock.level("B-1"), "nothing was reserved");
    }
  }

  /** Runs {@code body} for 0 to {@code n - 1} on {@code n} threads and waits for all of them. */
  private static void inParallel(int n, java.util.function.IntConsumer body) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int c = i;
        done.add(pool.submit(() -> body.accept(c)));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertInvariants(Report report) {
    List<Executable> checks = new ArrayList<>();
    for (Report.Invariant inv : report.invariants()) {
      checks.add(() -> assertTrue(inv.holds(), inv.what() + ": " + inv.detail() + "\n\n" + report));
    }
    assertAll(checks);
  }
}
