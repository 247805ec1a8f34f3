package io.redwire.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did, from three independent sources that must agree: what the customers saw over HTTP
 * ({@link Load.Tally}), what the backends and the service's own code counted, and what each instance's
 * {@code /metrics} says (scraped over HTTP, as Prometheus would). {@link #invariants()} are the checks;
 * the run passes only if every one holds.
 */
final class Report {

  /** The cache names: {@code Catalog.lookup} is named "lookup"; {@code Pricing.price} has the default name. */
  static final String CATALOG = "lookup";
  static final String PRICES = "Pricing.price";

  /** One instance's numbers: scraped from its /metrics, and counted by the service itself. */
  record Instance(String name, Scrape scrape, long catalogCalls, long priceCalls, long limitedSent,
      long ordersPlaced, long lockedCalls, long emailsHandled, long serverErrors) {

    long gets(String cache, String result) {
      return scrape.sum("redwire_cache_gets_total", "name", cache, "result", result);
    }

    long loads(String cache) {
      return scrape.sum("redwire_cache_loads_seconds_count", "name", cache);
    }

    long limited() {
      return scrape.sum("redwire_ratelimit_decisions_total", "result", "limited");
    }

    long admitted() {
      return scrape.sum("redwire_ratelimit_decisions_total", "result", "admitted");
    }

    long lockAcquired() {
      return scrape.sum("redwire_lock_acquisitions_seconds_count", "name", "stock");
    }

    long checkoutLocks() {
      return scrape.sum("redwire_lock_acquisitions_seconds_count", "name", "checkout");
    }

    long checkoutsAdmitted() {
      return scrape.sum("redwire_ratelimit_decisions_total", "name", "Checkout.placeOrder-1m", "result", "admitted");
    }

    long lockWaits() {
      return scrape.sum("redwire_lock_waits_total", "name", "stock");
    }

    long published() {
      return scrape.sum("redwire_event_published_total", "name", "orders");
    }

    long delivered() {
      return scrape.sum("redwire_event_delivered_total", "name", "orders", "group", "email");
    }

    long handled() {
      return scrape.sum("redwire_event_handled_seconds_count", "name", "orders", "group", "email", "result",
          "success");
    }
  }

  /** One check: what it says, whether it held, and the numbers behind it. */
  record Invariant(String what, boolean holds, String detail) {}

  final Load.Tally tally;
  final List<Instance> instances;
  final Map<String, Integer> initialStock;
  final Map<String, Integer> stock;
  final int staleWritesRefused;
  final Map<String, Long> catalogLoadsPerKey;
  final Map<String, Long> priceLoadsPerKey;
  final List<Mailbox.Email> emails;
  final Map<String, List<Map<String, Object>>> bestSellers;
  final long millis;

  Report(Load.Tally tally, List<Instance> instances, Backends backends, Map<String, List<Map<String, Object>>> bestSellers,
      long millis) {
    this.tally = tally;
    this.instances = instances;
    this.initialStock = backends.stock.initial();
    this.stock = backends.stock.levels();
    this.staleWritesRefused = backends.stock.staleWritesRefused.get();
    this.catalogLoadsPerKey = backends.catalog.lookupsPerSku();
    this.priceLoadsPerKey = backends.pricing.quotesPerKey();
    this.emails = backends.mailbox.sent();
    this.bestSellers = bestSellers;
    this.millis = millis;
  }

  private long sum(java.util.function.ToLongFunction<Instance> f) {
    return instances.stream().mapToLong(f).sum();
  }

  List<Invariant> invariants() {
    List<Invariant> checks = new ArrayList<>();
    checks.add(check("no 5xx answers", tally.serverErrors.isEmpty() && sum(Instance::serverErrors) == 0,
        tally.serverErrors.size() + " seen by customers, " + sum(Instance::serverErrors) + " counted by the instances"
            + (tally.serverErrors.isEmpty() ? "" : ": " + tally.serverErrors.peek())));
    checks.add(check("every answer as the script expected", tally.unexpected.isEmpty(),
        tally.unexpected.isEmpty() ? "yes" : tally.unexpected.size() + ", e.g. " + tally.unexpected.peek()));
    for (Instance i : instances) {
      checks.add(check("instance " + i.name + ": catalog hits + misses in /metrics == catalog calls",
          i.gets(CATALOG, "hit") + i.gets(CATALOG, "miss") == i.catalogCalls(),
          i.gets(CATALOG, "hit") + " + " + i.gets(CATALOG, "miss") + " vs " + i.catalogCalls()));
      checks.add(check("instance " + i.name + ": price hits + misses in /metrics == price calls",
          i.gets(PRICES, "hit") + i.gets(PRICES, "miss") == i.priceCalls(),
          i.gets(PRICES, "hit") + " + " + i.gets(PRICES, "miss") + " vs " + i.priceCalls()));
      checks.add(check("instance " + i.name + ": limited in /metrics == 429s it sent == 429s customers got from it",
          i.limited() == i.limitedSent() && i.limitedSent() == tally.count(tally.limited, i.name()),
          i.limited() + " / " + i.limitedSent() + " / " + tally.count(tally.limited, i.name())));
      checks.add(check("instance " + i.name + ": lock acquisitions in /metrics == stock calls it made",
          i.lockAcquired() == i.lockedCalls(), i.lockAcquired() + " vs " + i.lockedCalls()));
      checks.add(check("instance " + i.name + ": checkouts admitted by the rate limit == cart locks taken (limit, then lock)",
          i.checkoutsAdmitted() == i.checkoutLocks(), i.checkoutsAdmitted() + " vs " + i.checkoutLocks()));
      checks.add(check("instance " + i.name + ": published in /metrics == orders it confirmed (201)",
          i.published() == i.ordersPlaced() && i.ordersPlaced() == tally.count(tally.placed, i.name()),
          i.published() + " / " + i.ordersPlaced() + " / " + tally.count(tally.placed, i.name())));
      checks.add(check("instance " + i.name + ": handled in /metrics == email jobs its listener enqueued <= delivered",
          i.handled() == i.emailsHandled() && i.handled() <= i.delivered(),
          i.handled() + " vs " + i.emailsHandled() + ", " + i.delivered() + " delivered"));
    }
    long catalogLoads = catalogLoadsPerKey.values().stream().mapToLong(Long::longValue).sum();
    checks.add(check("catalog: loads in /metrics == database lookups", sum(i -> i.loads(CATALOG)) == catalogLoads,
        sum(i -> i.loads(CATALOG)) + " vs " + catalogLoads));
    long priceLoads = priceLoadsPerKey.values().stream().mapToLong(Long::longValue).sum();
    checks.add(check("prices: loads in /metrics == price quotes", sum(i -> i.loads(PRICES)) == priceLoads,
        sum(i -> i.loads(PRICES)) + " vs " + priceLoads));
    checks.add(check("updates evicted on every instance", tally.evictionFailures.isEmpty() && tally.evictionChecks.get() > 0,
        tally.evictionChecks.get() + " reads after the updates" + (tally.evictionFailures.isEmpty() ? ""
            : ", stale: " + tally.evictionFailures)));
    Map<String, Long> sold = tally.unitsSold();
    boolean exact = staleWritesRefused == 0;
    StringBuilder stockDetail = new StringBuilder();
    for (Map.Entry<String, Integer> e : initialStock.entrySet()) {
      long expected = e.getValue() - sold.getOrDefault(e.getKey(), 0L);
      int level = stock.getOrDefault(e.getKey(), 0);
      exact &= level == expected && level >= 0;
      stockDetail.append(e.getKey()).append(' ').append(e.getValue()).append(" - ").append(sold.getOrDefault(e.getKey(), 0L))
          .append(" = ").append(level).append(level == expected ? "" : " (expected " + expected + ")").append("; ");
    }
    checks.add(check("stock exact: initial - units ordered == level, never negative, no stale write", exact,
        stockDetail.toString() + staleWritesRefused + " stale writes refused"));
    long orders = tally.orders.size();
    Map<String, Integer> perOrder = new TreeMap<>();
    for (Mailbox.Email e : emails) {
      perOrder.merge(e.orderId(), 1, Integer::sum);
    }
    boolean eachOnce = perOrder.size() == orders && perOrder.values().stream().allMatch(n -> n == 1)
        && tally.orders.stream().allMatch(o -> perOrder.containsKey(o.orderId()));
    checks.add(check("orders == events published == events handled == emails sent, one email per order",
        orders == sum(Instance::published) && orders == sum(Instance::handled) && orders == emails.size() && eachOnce,
        orders + " == " + sum(Instance::published) + " == " + sum(Instance::handled) + " == " + emails.size()
            + (eachOnce ? "" : "; emails per order: " + perOrder)));
    checks.add(check("sessions intact: every cart read matched, across instances", tally.cartMismatches.isEmpty(),
        tally.cartChecks.get() + " cart reads (" + tally.crossInstanceChecks.get() + " while two instances served)"
            + (tally.cartMismatches.isEmpty() ? "" : ", mismatches: " + tally.cartMismatches)));
    checks.add(check("bad input: a 4xx JSON error, no cookie, cart unchanged", tally.badInputFailures.isEmpty(),
        tally.badInputChecks.get() + " bad requests" + (tally.badInputFailures.isEmpty() ? ""
            : ", failures: " + tally.badInputFailures)));
    boolean boards = true;
    for (Map.Entry<String, List<Map<String, Object>>> e : bestSellers.entrySet()) {
      Map<String, Long> board = new TreeMap<>();
      for (Map<String, Object> r : e.getValue()) {
        board.put((String) r.get("sku"), ((Number) r.get("units")).longValue());
      }
      boards &= board.equals(sold);
    }
    checks.add(check("best sellers (every instance) == units in the confirmed orders", boards,
        "sold " + sold + ", boards " + bestSellersText()));
    return checks;
  }

  /**
   * Observations that are reported but do not decide the run. One load per key across instances is
   * what the cache aims for, but a miss that races another instance's store can load once more (the
   * entry is not read again after the lease is taken): counted here, not failed on.
   */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    notes.add(loadsNote("catalog", catalogLoadsPerKey, "B-1"));
    notes.add(loadsNote("prices", priceLoadsPerKey, "B-1:USD"));
    return notes;
  }

  private static String loadsNote(String what, Map<String, Long> loads, String updated) {
    long extra = 0;
    for (Map.Entry<String, Long> e : loads.entrySet()) {
      extra += Math.max(0, e.getValue() - (e.getKey().equals(updated) ? 2 : 1));
    }
    return what + ": loads per key across both instances " + loads + " (" + updated + " once more after its update)"
        + (extra == 0 ? ": one load per key" : ": " + extra + " extra load(s), a miss that raced another load's store");
  }

  /** Extra loads beyond one per key (and one more for the updated key). */
  long extraLoads() {
    long extra = 0;
    for (Map.Entry<String, Long> e : catalogLoadsPerKey.entrySet()) {
      extra += Math.max(0, e.getValue() - (e.getKey().equals("B-1") ? 2 : 1));
    }
    for (Map.Entry<String, Long> e : priceLoadsPerKey.entrySet()) {
      extra += Math.max(0, e.getValue() - (e.getKey().equals("B-1:USD") ? 2 : 1));
    }
    return extra;
  }

  boolean passed() {
    return invariants().stream().allMatch(Invariant::holds);
  }

  private static Invariant check(String what, boolean holds, String detail) {
    return new Invariant(what, holds, detail);
  }

  private String bestSellersText() {
    Map<String, String> text = new LinkedHashMap<>();
    bestSellers.forEach((instance, rows) -> {
      StringBuilder b = new StringBuilder();
      for (Map<String, Object> r : rows) {
        b.append(b.length() == 0 ? "" : ", ").append('#').append(r.get("rank")).append(' ').append(r.get("sku"))
            .append(" (").append(r.get("units")).append(')');
      }
      text.put(instance, b.toString());
    });
    return text.toString();
  }

  private static String rate(long hits, long misses) {
    return hits + misses == 0 ? "-" : String.format("%.1f%%", 100.0 * hits / (hits + misses));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("Checkout service: %d instances on one Redis, %d customers, %d requests in %.1f s%n",
        instances.size(), tally.customers.get(), tally.requests(), millis / 1000.0));
    b.append(String.format("%-9s %9s %14s %14s %8s %8s %7s %7s %10s %9s %9s%n", "instance", "requests",
        "catalog h/m", "prices h/m", "limited", "locks", "waits", "orders", "published", "delivered", "handled"));
    for (Instance i : instances) {
      b.append(String.format("%-9s %9d %14s %14s %8d %8d %7d %7d %10d %9d %9d%n", i.name(),
          tally.count(tally.requests, i.name()),
          i.gets(CATALOG, "hit") + "/" + i.gets(CATALOG, "miss"),
          i.gets(PRICES, "hit") + "/" + i.gets(PRICES, "miss"), i.limited(), i.lockAcquired(),
          i.lockWaits(), i.ordersPlaced(), i.published(), i.delivered(), i.handled()));
    }
    long ch = sum(i -> i.gets(CATALOG, "hit"));
    long cm = sum(i -> i.gets(CATALOG, "miss"));
    long ph = sum(i -> i.gets(PRICES, "hit"));
    long pm = sum(i -> i.gets(PRICES, "miss"));
    b.append(String.format("hit rates: catalog %s (%d database lookups), prices %s (%d quotes)%n", rate(ch, cm),
        catalogLoadsPerKey.values().stream().mapToLong(Long::longValue).sum(), rate(ph, pm),
        priceLoadsPerKey.values().stream().mapToLong(Long::longValue).sum()));
    b.append(String.format("checkouts: %d orders, %d sold out (409), %d rate limited (429); lock waits %d%n",
        tally.orders.size(), tally.soldOut.get(), tally.total(tally.limited), sum(Instance::lockWaits)));
    b.append("stock: ").append(stock).append(" (from ").append(initialStock).append(")\n");
    b.append("best sellers this week: ").append(bestSellersText()).append('\n');
    if (!emails.isEmpty()) {
      b.append("an email: \"").append(emails.get(0).text()).append("\" (sent by instance ")
          .append(emails.get(0).sentBy()).append(")\n");
    }
    for (String note : notes()) {
      b.append(note).append('\n');
    }
    b.append("invariants:\n");
    for (Invariant inv : invariants()) {
      b.append(inv.holds() ? "  ok    " : "  FAIL  ").append(inv.what()).append(": ").append(inv.detail()).append('\n');
    }
    b.append(passed() ? "PASS: every invariant holds" : "FAIL: an invariant does not hold");
    return b.toString();
  }
}
