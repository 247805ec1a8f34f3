package io.redwire.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scripted customer load over HTTP. Every customer's requests alternate between the live instances
 * (as a round-robin load balancer without sticky sessions would send them); after every change to the
 * cart the customer reads it back from the other instance and compares it with what it expects.
 */
final class Load {

  static final List<String> SKUS = List.of("B-1", "B-2", "G-1", "T-1");

  /** An order the service confirmed ({@code 201}): id, user, lines and who placed it. */
  record Order(String orderId, String user, Map<String, Integer> lines, String placedBy) {}

  /** What the customers saw. Thread-safe. */
  static final class Tally {
    final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> limited = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> placed = new ConcurrentHashMap<>();
    final Queue<Order> orders = new ConcurrentLinkedQueue<>();
    final AtomicLong soldOut = new AtomicLong();
    final Queue<String> serverErrors = new ConcurrentLinkedQueue<>();
    final AtomicLong cartChecks = new AtomicLong();
    final AtomicLong crossInstanceChecks = new AtomicLong();
    final Queue<String> cartMismatches = new ConcurrentLinkedQueue<>();
    final AtomicLong badInputChecks = new AtomicLong();
    final Queue<String> badInputFailures = new ConcurrentLinkedQueue<>();
    final AtomicLong evictionChecks = new AtomicLong();
    final Queue<String> evictionFailures = new ConcurrentLinkedQueue<>();
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    final AtomicInteger customers = new AtomicInteger();

    long count(Map<String, AtomicLong> m, String instance) {
      AtomicLong n = m.get(instance);
      return n == null ? 0 : n.get();
    }

    long total(Map<String, AtomicLong> m) {
      return m.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long requests() {
      return total(requests);
    }

    /** Units sold per SKU, from the confirmed orders. */
    Map<String, Long> unitsSold() {
      Map<String, Long> units = new TreeMap<>();
      for (Order o : orders) {
        o.lines().forEach((sku, q) -> units.merge(sku, (long) q, Long::sum));
      }
      return units;
    }
  }

  private final Shop shop;
  private final HttpClient http = Shopper.client();
  final Tally tally = new Tally();

  Load(Shop shop) {
    this.shop = shop;
  }

  /** Runs {@code customers} customers, {@code parallel} at a time, then the catalog updates. */
  Tally run(int customers, int parallel) {
    customers(0, customers, parallel);
    updates();
    return tally;
  }

  /** Runs customers {@code first} to {@code first + count - 1}, {@code parallel} at a time. */
  void customers(int first, int count, int parallel) {
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "customer");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int c = first + i;
        done.add(pool.submit(() -> {
          customer(c);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("a customer failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------------------------------- script

  /** A customer: browse, fill a cart, sign in, add more, check out; some hurry, some send bad input. */
  void customer(int c) {
    tally.customers.incrementAndGet();
    Shopper s = shopper("customer-" + c);
    Route route = new Route(c);
    String a = SKUS.get(c % SKUS.size());
    String b = SKUS.get((c + 1) % SKUS.size());
    expect(s, route, "GET", "/products/" + a, null, 200);
    expect(s, route, "GET", "/prices/" + a + "?currency=" + (c % 2 == 0 ? "USD" : "EUR"), null, 200);
    expect(s, route, "GET", "/products/" + b, null, 200);
    add(s, route, a, 1 + c % 3);
    login(s, route);
    add(s, route, b, 1);
    checkout(s, route);
    if (c % 3 == 0) { // in a hurry: five more orders back to back; the rate limit refuses some
      for (int i = 0; i < 5; i++) {
        add(s, route, "B-2", 1, false);
        checkout(s, route, false);
      }
      checkCart(s, route);
    }
    if (c % 8 == 1) { // and some send bad input
      add(s, route, "T-1", 2);
      badInput(s, route);
    }
    checkCart(s, route);
  }

  /**
   * The load balancer's view of one customer: each request goes to the next live instance in turn,
   * starting at the customer's own, and is counted as routed to that instance until it is answered,
   * so that {@link Shop#stop} can drain an instance before stopping it.
   */
  final class Route {
    private int step;

    Route(int start) {
      this.step = start;
    }

    Shopper.Response send(Shopper s, String method, String path, String body, String cookie) {
      while (true) {
        List<Service> live = shop.live();
        if (live.isEmpty()) {
          throw new IllegalStateException("no instance is serving");
        }
        Service to = live.get(step % live.size());
        to.routed.incrementAndGet();
        if (to.isDraining()) { // it began to drain after we looked: pick again
          to.routed.decrementAndGet();
          continue;
        }
        step++;
        try {
          return s.send(to.url(), method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), cookie);
        } finally {
          to.routed.decrementAndGet();
        }
      }
    }
  }

  Shopper shopper(String name) {
    return new Shopper(name, http);
  }

  void add(Shopper s, Route route, String sku, int quantity) {
    add(s, route, sku, quantity, true);
  }

  /** Adds to the cart, then (when {@code check}) reads the cart back from the next instance. */
  void add(Shopper s, Route route, String sku, int quantity, boolean check) {
    Shopper.Response r = expect(s, route, "POST", "/cart/items",
        "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}", 200);
    if (r.status() == 200) {
      s.cart.merge(sku, quantity, Integer::sum);
    }
    if (check) {
      checkCart(s, route);
    }
  }

  void login(Shopper s, Route route) {
    String before = s.session();
    Shopper.Response r = expect(s, route, "POST", "/login", "{\"user\":\"" + s.name + "\"}", 200);
    if (r.status() == 200) {
      s.user = s.name;
      if (before != null && before.equals(s.session())) {
        tally.unexpected.add(s.name + ": the session kept its id at sign-in");
      }
    }
    checkCart(s, route);
  }

  /** Places the cart's order: 201 empties the cart, 409 (sold out) and 429 (rate limited) keep it. */
  Shopper.Response checkout(Shopper s, Route route) {
    return checkout(s, route, true);
  }

  /** As {@link #checkout(Shopper, Route)}, reading the cart back only when {@code check}. */
  Shopper.Response checkout(Shopper s, Route route, boolean check) {
    Shopper.Response r = route.send(s, "POST", "/checkout", null, s.session());
    count(r);
    switch (r.status()) {
      case 201 -> {
        Map<String, Integer> lines = new TreeMap<>();
        for (Object o : (List<?>) r.object().get("lines")) {
          Map<?, ?> line = (Map<?, ?>) o;
          lines.put((String) line.get("sku"), ((Number) line.get("quantity")).intValue());
        }
        if (!lines.equals(s.cart)) {
          tally.unexpected.add(s.name + ": ordered " + lines + " but the cart held " + s.cart);
        }
        tally.orders.add(new Order((String) r.object().get("orderId"), s.user, lines, r.instance()));
        tally.placed.computeIfAbsent(r.instance(), k -> new AtomicLong()).incrementAndGet();
        s.cart.clear();
      }
      case 409 -> tally.soldOut.incrementAndGet();
      case 429 -> {
        tally.limited.computeIfAbsent(r.instance(), k -> new AtomicLong()).incrementAndGet();
        // 3 at once, then one every 2 s: the wait is 1 or 2 whole seconds, and RateLimit's reset says the same
        String retry = r.header("Retry-After").orElse("");
        if (!(retry.equals("1") || retry.equals("2")) || !r.header("RateLimit").orElse("").endsWith("reset=" + retry)
            || !r.header("RateLimit-Policy").orElse("").equals("30;w=60")) {
          tally.unexpected.add(s.name + ": a 429 without the expected Retry-After and RateLimit headers: " + r.headers());
        }
      }
      default -> tally.unexpected.add(s.name + ": checkout answered " + r);
    }
    if (check) {
      checkCart(s, route);
    }
    return r;
  }

  /** Reads the cart (from the next instance: not the one of the last write) and compares it. */
  void checkCart(Shopper s, Route route) {
    Shopper.Response r = route.send(s, "GET", "/cart", null, s.session());
    count(r);
    tally.cartChecks.incrementAndGet();
    if (shop.live().size() > 1) {
      tally.crossInstanceChecks.incrementAndGet();
    }
    Map<String, Integer> seen = Shopper.lines(r);
    Object user = r.object().get("user");
    if (r.status() != 200 || !seen.equals(s.cart) || (s.user != null && !s.user.equals(user))) {
      tally.cartMismatches.add(s.name + " expected " + s.cart + " for " + s.user + ", " + r);
    }
  }

  /**
   * Bad requests, each answered by a 4xx with a JSON error, no new cookie, and the cart unchanged.
   * Also sent once without a session: no session may be created by a refused request.
   */
  void badInput(Shopper s, Route route) {
    String session = s.session();
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"X-404\",\"quantity\":1}", session, 404, "unknown_sku");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"X-404\",\"quantity\":1}", null, 404, "unknown_sku");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":-2}", session, 400, "invalid_quantity");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":-2}", null, 400, "invalid_quantity");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":0}", session, 400, "invalid_quantity");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":1.5}", session, 400, "invalid_quantity");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":\"2\"}", session, 400, "invalid_quantity");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"T-1\",\"quantity\":98}", session, 400, "invalid_quantity");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"b 1\",\"quantity\":1}", session, 400, "invalid_sku");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":1,\"price\":0}", session, 400,
        "unknown_field");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":1", session, 400, "malformed_json");
    bad(s, route, "POST", "/cart/items", "[1,2]", session, 400, "malformed_json");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":1,\"pad\":\"" + "x".repeat(10_000) + "\"}",
        session, 413, "body_too_large");
    bad(s, route, "POST", "/cart/items", "{\"sku\":\"B-1\",\"quantity\":1}", "not-a-session-id", 400,
        "malformed_session");
    bad(s, route, "GET", "/cart", null, "not-a-session-id", 400, "malformed_session");
    bad(s, route, "POST", "/checkout", null, session + "x", 400, "malformed_session");
    bad(s, route, "POST", "/login", "{\"user\":\"Robert'); DROP TABLE\"}", session, 400, "invalid_field");
    bad(s, route, "DELETE", "/cart/items/X-9", null, session, 404, "not_in_cart");
    bad(s, route, "GET", "/products/X-404", null, session, 404, "unknown_sku");
    bad(s, route, "GET", "/prices/B-1?currency=XYZ", null, session, 400, "invalid_currency");
    bad(s, route, "PUT", "/cart", "{}", session, 405, "method_not_allowed");
    bad(s, route, "GET", "/nothing-here", null, session, 404, "not_found");
    bad(s, route, "GET", "/best-sellers?n=-1", null, session, 400, "invalid_parameter");
    bad(s, route, "POST", "/checkout", null, null, 401, "no_session");
  }

  private void bad(Shopper s, Route route, String method, String path, String body, String cookie, int status,
      String code) {
    Shopper probe = cookie == null || !cookie.equals(s.session()) ? shopper(s.name + "-probe") : s;
    String before = s.session();
    Shopper.Response r = route.send(probe, method, path, body, cookie);
    count(r);
    tally.badInputChecks.incrementAndGet();
    String what = method + " " + path + " (" + (cookie == null ? "no cookie" : "cookie") + ")";
    if (r.status() != status || !code.equals(r.object().get("error")) || !(r.object().get("message") instanceof String)
        || !r.header("Content-Type").orElse("").startsWith("application/json")) {
      tally.badInputFailures.add(what + ": expected " + status + " " + code + ", got " + r);
    }
    if (r.header("Set-Cookie").isPresent() || probe.session() != null && probe != s || !java.util.Objects.equals(before, s.session())) {
      tally.badInputFailures.add(what + ": a refused request set a cookie: " + r.headers());
    }
    checkCart(s, route);
  }

  /**
   * The catalog changes once the customers are done: a product is renamed on one instance and a price
   * set on the other; both instances must serve the new values at once (the caches were evicted).
   */
  void updates() {
    List<Service> live = shop.live();
    Shopper admin = shopper("admin");
    URI first = live.get(0).url();
    URI last = live.get(live.size() - 1).url();
    for (Service svc : live) { // warm: both instances have the old values cached
      expect(admin, svc.url(), "GET", "/products/B-1", null, 200);
      expect(admin, svc.url(), "GET", "/prices/B-1?currency=USD", null, 200);
    }
    String name = "The Pragmatic Programmer, 20th anniversary";
    expect(admin, first, "PUT", "/products/B-1", "{\"name\":\"" + name + "\",\"category\":\"BOOKS\",\"tags\":[\"classic\"]}",
        200);
    expect(admin, last, "PUT", "/prices/B-1", "{\"currency\":\"USD\",\"amount\":\"39.99\"}", 200);
    bad(admin, new Route(0), "PUT", "/products/X-404", "{\"name\":\"x\",\"category\":\"BOOKS\"}", null, 404,
        "unknown_sku");
    bad(admin, new Route(1), "PUT", "/products/B-1", "{\"name\":\"\",\"category\":\"BOOKS\"}", null, 400,
        "invalid_field");
    bad(admin, new Route(0), "PUT", "/prices/B-1", "{\"currency\":\"USD\",\"amount\":\"-1\"}", null, 400,
        "invalid_field");
    for (Service svc : live) {
      tally.evictionChecks.incrementAndGet();
      Shopper.Response p = expect(admin, svc.url(), "GET", "/products/B-1", null, 200);
      if (!name.equals(p.object().get("name"))) {
        tally.evictionFailures.add("instance " + svc.name + " still serves " + p);
      }
      tally.evictionChecks.incrementAndGet();
      Shopper.Response q = expect(admin, svc.url(), "GET", "/prices/B-1?currency=USD", null, 200);
      if (!(q.object().get("amount") instanceof java.math.BigDecimal amount) || amount.compareTo(new java.math.BigDecimal("39.99")) != 0) {
        tally.evictionFailures.add("instance " + svc.name + " still serves " + q);
      }
    }
  }

  private Shopper.Response expect(Shopper s, Route route, String method, String path, String body, int status) {
    return check(s, route.send(s, method, path, body, s.session()), method, path, status);
  }

  private Shopper.Response expect(Shopper s, URI at, String method, String path, String body, int status) {
    return check(s, s.send(at, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), s.session()),
        method, path, status);
  }

  private Shopper.Response check(Shopper s, Shopper.Response r, String method, String path, int status) {
    count(r);
    if (r.status() != status) {
      tally.unexpected.add(s.name + ": " + method + " " + path + " expected " + status + ", got " + r);
    }
    return r;
  }

  private void count(Shopper.Response r) {
    tally.requests.computeIfAbsent(r.instance(), k -> new AtomicLong()).incrementAndGet();
    if (r.status() >= 500) {
      tally.serverErrors.add(r.toString());
    }
  }
}
