package io.redwire.sample;

import io.redwire.testing.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The checkout service, run as two instances on one Redis: starts an embedded redis-server (or uses
 * {@code REDIS_URL}), two instances on free ports, a scripted customer load over HTTP against both, and
 * prints the report; exits with 1 unless every invariant holds. With {@code --serve} the instances stay
 * up for curl (ports 8080 and 8081, or {@code --ports=P1,P2}).
 */
public final class Main {

  static final int CUSTOMERS = 24;
  static final int PARALLEL = 8;

  private Main() {}

  public static void main(String[] args) {
    boolean serve = false;
    int[] ports = null;
    for (String arg : args) {
      if (arg.equals("--serve")) {
        serve = true;
      } else if (arg.startsWith("--ports=")) {
        ports = java.util.Arrays.stream(arg.substring(8).split(",")).mapToInt(Integer::parseInt).toArray();
      } else {
        System.err.println("usage: Main [--serve [--ports=8080,8081]]");
        System.exit(2);
      }
    }
    if (ports == null) {
      ports = serve ? new int[] {8080, 8081} : new int[] {0, 0};
    }
    String url = System.getenv("REDIS_URL");
    RedisServer embedded = url == null || url.isBlank() ? RedisServer.start() : null;
    boolean passed;
    try {
      String uri = embedded != null ? embedded.uri() : url;
      System.out.println("Redis: " + (embedded != null ? "embedded redis-server at " + uri : uri));
      try (Shop shop = Shop.start(uri, Backends.standard(), ports)) {
        for (Service s : shop.instances) {
          System.out.println("instance " + s.name + ": " + s.url());
        }
        if (serve) {
          serve(shop);
          return;
        }
        Report report = run(shop, CUSTOMERS, PARALLEL);
        System.out.println(report);
        System.out.println();
        for (Report.Instance i : report.instances) {
          System.out.println("GET " + shop.instance(i.name()).url() + "/metrics (the lines the report reads):");
          System.out.println(metricsExcerpt(i.scrape()));
        }
        passed = report.passed();
      }
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
    if (!passed) {
      System.exit(1);
    }
  }

  private static void serve(Shop shop) {
    URI a = shop.instances.get(0).url();
    URI b = shop.instances.get(shop.instances.size() - 1).url();
    System.out.println("""
        Serving until Ctrl-C. Try (the cookie jar carries the session from one instance to the other):
          curl -s %1$s/products/B-1
          curl -s '%1$s/prices/B-1?currency=EUR'
          curl -s -c jar -b jar -H 'Content-Type: application/json' -d '{"sku":"G-1","quantity":2}' %1$s/cart/items
          curl -s -c jar -b jar -H 'Content-Type: application/json' -d '{"user":"alice"}' %2$s/login
          curl -s -c jar -b jar %1$s/cart
          curl -si -c jar -b jar -X POST %2$s/checkout
          curl -s %1$s/best-sellers
          curl -s %2$s/metrics | grep ^redwire_""".formatted(a, b));
    try {
      Thread.currentThread().join(); // until the JVM is stopped; the shutdown hook stops redis-server
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs the scripted load against the shop's instances, waits for the emails, and reports. */
  static Report run(Shop shop, int customers, int parallel) {
    long start = System.nanoTime();
    Load load = new Load(shop);
    load.run(customers, parallel);
    return report(shop, load, start);
  }

  /**
   * Waits until every confirmed order was emailed (and the listeners recorded it), then scrapes every
   * instance's /metrics over HTTP (a stopped instance's registry is read directly) and reads the best
   * sellers from each live instance.
   */
  static Report report(Shop shop, Load load, long startNanos) {
    int orders = load.tally.orders.size();
    Backends backends = shop.backends;
    waitFor(() -> backends.mailbox.sent().size() >= orders && handledByListeners(shop) >= orders,
        Duration.ofSeconds(30));
    Shopper ops = load.shopper("ops");
    List<Report.Instance> instances = new ArrayList<>();
    // the listener counts an email before the runtime records the handler's time: wait for the metrics too
    waitFor(() -> scrapes(shop, ops).stream().mapToLong(s -> s.sum("redwire_event_handled_seconds_count",
        "name", "orders", "group", "email", "result", "success")).sum() >= orders, Duration.ofSeconds(10));
    List<Scrape> scrapes = scrapes(shop, ops);
    for (int i = 0; i < shop.instances.size(); i++) {
      Service s = shop.instances.get(i);
      instances.add(new Report.Instance(s.name, scrapes.get(i), s.counts.catalogCalls.get(), s.counts.priceCalls.get(),
          s.counts.limited.get(), s.counts.ordersPlaced.get(), s.clerk.calls.get(), s.emails.handled.get(),
          s.counts.serverErrors.get()));
    }
    Map<String, List<Map<String, Object>>> boards = new LinkedHashMap<>();
    for (Service s : shop.live()) {
      Shopper.Response r = ops.get(s.url(), "/best-sellers?n=10");
      List<Map<String, Object>> rows = new ArrayList<>();
      if (r.object().get("week") instanceof List<?> week) {
        for (Object o : week) {
          @SuppressWarnings("unchecked")
          Map<String, Object> row = (Map<String, Object>) o;
          rows.add(row);
        }
      }
      boards.put(s.name, rows);
    }
    return new Report(load.tally, instances, backends, boards, (System.nanoTime() - startNanos) / 1_000_000);
  }

  private static long handledByListeners(Shop shop) {
    return shop.instances.stream().mapToLong(s -> s.emails.handled.get()).sum();
  }

  private static List<Scrape> scrapes(Shop shop, Shopper ops) {
    List<Scrape> scrapes = new ArrayList<>();
    for (Service s : shop.instances) {
      scrapes.add(new Scrape(s.isClosed() ? s.registry.scrape() : ops.get(s.url(), "/metrics").body()));
    }
    return scrapes;
  }

  /** Checks {@code condition} every 10 ms until it holds or {@code timeout} passed; whether it held. */
  static boolean waitFor(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(10_000_000L);
    }
    return true;
  }

  /** The sample lines of a scrape that the report's columns come from. */
  static String metricsExcerpt(Scrape scrape) {
    List<String> wanted = List.of("redwire_cache_gets_total", "redwire_cache_loads_seconds_count",
        "redwire_ratelimit_decisions_total", "redwire_lock_acquisitions_seconds_count", "redwire_lock_waits_total",
        "redwire_event_published_total", "redwire_event_delivered_total", "redwire_event_handled_seconds_count");
    StringBuilder b = new StringBuilder();
    for (String line : scrape.text.split("\n")) {
      for (String w : wanted) {
        if (line.startsWith(w + "{")) {
          b.append("  ").append(line).append('\n');
        }
      }
    }
    return b.toString().stripTrailing();
  }
}
