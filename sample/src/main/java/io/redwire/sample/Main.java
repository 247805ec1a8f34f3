package io.redwire.sample;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.board.Ranked;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.runtime.session.SessionStore;
import io.redwire.testing.RedisServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample: a checkout that reads the catalog and prices through Redwire proxies, counts page views
 * and units sold (a weekly best-seller board), reserves stock under a per-SKU lock on two instances,
 * runs a nightly report on one worker out of three, publishes every placed order as an event that
 * the email service's listener turns into one confirmation email, queues confirmation emails and
 * the nightly report as background jobs, and keeps a visitor's cart in a session. Uses
 * {@code REDIS_URL} when set, otherwise starts an embedded redis-server for the run.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    String url = System.getenv("REDIS_URL");
    RedisServer embedded = url == null || url.isBlank() ? RedisServer.start() : null;
    try {
      String uri = embedded != null ? embedded.uri() : url;
      System.out.println("Redis: " + (embedded != null ? "embedded redis-server at " + uri : uri));
      System.out.println(run(uri, 200));
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** Runs {@code orders} checkouts and returns the report. Also the end-to-end test's entry point. */
  static Report run(String uri, int orders) {
    CountingMetrics metrics = new CountingMetrics();
    String namespace = "sample-" + Long.toHexString(System.nanoTime());
    try (Redwire redwire = Redwire.builder().uri(uri).namespace(namespace).metrics(metrics).build()) {
      InMemoryCatalog db = new InMemoryCatalog();
      ListPricing priceList = new ListPricing();
      Catalog catalog = RedwireCatalog.wrap(db, redwire);
      Pricing pricing = RedwirePricing.wrap(priceList, redwire);
      Stats stats = RedwireStats.of(redwire);

      List<String> skus = List.of("B-1", "B-2", "G-1", "T-1");
      List<String> currencies = List.of("USD", "EUR");
      StringBuilder receipt = new StringBuilder();
      for (int order = 0; order < orders; order++) {
        String sku = skus.get(order % skus.size());
        String currency = currencies.get(order / skus.size() % currencies.size());
        stats.pageViews(sku).increment();
        Product p = catalog.product(sku);
        Price price = pricing.price(sku, currency);
        stats.bestSellers().add(sku, 1 + order % skus.size()); // units sold
        if (order < skus.size() * currencies.size()) {
          receipt.append(String.format("  order %3d: %-40s %8s %s%n", order, p.name(), price.amount(),
              price.currency()));
        }
      }
      Optional<Product> unknown = catalog.lookup("X-404");
      catalog.lookup("X-404");
      Product renamed = new Product("B-1", "The Pragmatic Programmer, 20th anniversary",
          Product.Category.BOOKS, List.of("classic"));
      catalog.update(renamed);
      String afterUpdate = catalog.product("B-1").name();

      // the checkout API is rate limited per user: alice places orders until she is refused
      AtomicLong placed = new AtomicLong();
      Checkout checkout = RedwireCheckout.wrap((userId, sku) -> "order-" + placed.incrementAndGet(), redwire);
      int admitted = 0;
      RateLimitedException refused = null;
      while (refused == null) {
        try {
          checkout.placeOrder("alice", "B-2");
          admitted++;
        } catch (RateLimitedException e) {
          refused = e;
        }
      }
      String bob = checkout.placeOrder("bob", "G-1"); // another user has his own limit
      LockRun locks = runLocks(redwire, uri, namespace, metrics);
      EventRun events = runEvents(redwire, uri, namespace, metrics);
      JobRun jobs = runJobs(redwire, uri, namespace, metrics);
      CartRun cart = runCart(redwire);
      List<Ranked<String>> bestSellers = stats.bestSellers().top(3);
      long viewsOfB1 = stats.pageViews("B-1").sum(java.time.Duration.ofMinutes(5));
      return new Report(orders, db.queries.get(), priceList.quotes.get(),
          metrics.count("cacheHit", "Catalog.product"), metrics.count("cacheMiss", "Catalog.product"),
          metrics.count("cacheHit", "Pricing.price"), metrics.count("cacheMiss", "Pricing.price"),
          unknown.isPresent(), afterUpdate, receipt.toString(), admitted, refused, bob, locks, bestSellers,
          viewsOfB1, events, jobs, cart);
    }
  }

  /**
   * The checkout enqueues 10 confirmation emails as jobs (one of them twice: the unique key drops the
   * second, as the first is still pending), and schedules the nightly report 200 ms ahead; then three
   * worker instances start and run them: each email is sent once (j-2 after one retry), the report runs
   * once, on time.
   */
  static JobRun runJobs(Redwire shop, String uri, String namespace, CountingMetrics metrics) {
    int n = 10;
    JobRoom room = new JobRoom(n);
    MailJobs jobs = RedwireMailJobs.client(shop);
    List<Redwire> workers = new java.util.ArrayList<>();
    try {
      for (int i = 1; i <= n; i++) {
        jobs.confirmation("j-" + i, i % 2 == 0 ? "alice" : "bob", "G-1", i);
      }
      jobs.confirmation("j-1", "bob", "G-1", 1); // a double click: dropped, the email is pending
      jobs.nightlyReport(java.time.LocalDate.of(2024, 3, 1), java.time.Instant.now().plusMillis(200));
      for (int i = 0; i < 3; i++) { // the worker instances start after the checkout
        Redwire worker = Redwire.builder().uri(uri).namespace(namespace).metrics(metrics).build();
        workers.add(worker);
        RedwireMailJobs.work(room, worker, 2);
      }
      if (!room.done.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("jobs done: " + room.sent.size() + " emails, " + room.reports.get()
            + " reports");
      }
      return new JobRun(metrics.count("jobEnqueued", "mail"), metrics.count("jobDuplicate", "mail"),
          room.sent.size(), metrics.count("jobRetried", "mail"), room.sent.get("j-2"), room.reports.get(),
          room.reportLateMillis >= 0 && room.reportLateMillis < 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      workers.forEach(Redwire::close);
    }
  }

  /** What the jobs part of a run did. */
  record JobRun(long emailsQueued, long duplicatesDropped, int emailsSent, long retries, String emailForJ2,
      int reportsRun, boolean reportOnTime) {}

  /**
   * The order service publishes 20 {@code OrderPlaced} events (durable); the email service, another
   * instance, handles them in its consumer group: one email each, the one whose first SMTP call failed
   * retried once.
   */
  static EventRun runEvents(Redwire orderService, String uri, String namespace, CountingMetrics metrics) {
    int n = 20;
    Mailroom mailroom = new Mailroom(n);
    try (Redwire emailService = Redwire.builder().uri(uri).namespace(namespace).metrics(metrics).build();
        io.redwire.runtime.events.Subscription emails = RedwireOrderEmails.subscribe(mailroom, emailService)) {
      AtomicLong ids = new AtomicLong();
      Orders orders = RedwireOrders.wrap((userId, sku, quantity) ->
          new Orders.OrderPlaced("o-" + ids.incrementAndGet(), userId, sku, quantity), orderService);
      for (int i = 0; i < n; i++) {
        orders.place(i % 2 == 0 ? "alice" : "bob", "B-" + (1 + i % 2), 1 + i % 3);
      }
      if (!mailroom.allSent.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("emails sent: " + mailroom.sent.size() + " of " + n);
      }
      return new EventRun(metrics.count("eventPublished", "orders"), mailroom.sent.size(),
          metrics.count("eventRetried", "orders/email"), mailroom.sent.get("o-3"),
          RedwireOrderEmails.deadLetters(emailService).count());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What the events part of a run did. */
  record EventRun(long published, int emailsSent, long retries, String emailForO3, long deadLetters) {}

  /**
   * A visitor fills a cart in a session, applies a coupon once (a second try is refused by
   * compare-and-set), signs in (the session moves to a new id against fixation, then names its user),
   * signs in on two more devices (the oldest cart is evicted: at most 2 per user) and logs out
   * everywhere.
   */
  static CartRun runCart(Redwire redwire) {
    SessionStore<CartSession> carts = RedwireCartSession.store(redwire);
    CartSession cart = carts.create();
    String anonymous = cart.id();
    List<CartSession.Line> lines = new java.util.ArrayList<>();
    for (String sku : List.of("B-1", "G-1", "G-1")) {
      cart.addItems(1);
      lines.add(new CartSession.Line(sku, 1));
    }
    cart.lines(lines);
    boolean couponApplied = cart.compareAndSetCoupon(null, "WELCOME10");
    boolean couponAgain = cart.compareAndSetCoupon(null, "WELCOME10");
    // signing in: a new id for the same cart, then the user
    CartSession signedIn = carts.rotate(anonymous).orElseThrow();
    signedIn.userId("alice");
    boolean anonymousFound = carts.find(anonymous).isPresent();
    CartSession.Summary summary = carts.find(signedIn.id()).orElseThrow().summary();
    CartSession phone = carts.create();
    phone.userId("alice");
    CartSession tablet = carts.create();
    tablet.userId("alice");
    boolean firstCartEvicted = carts.find(signedIn.id()).isEmpty();
    List<String> devices = carts.sessionsOf("alice");
    int loggedOut = carts.invalidateAll("alice");
    return new CartRun(anonymous.length(), summary, couponApplied, couponAgain, anonymousFound,
        firstCartEvicted, devices.size(), loggedOut, carts.sessionsOf("alice").size());
  }

  /** What the cart part of a run did. */
  record CartRun(int idLength, CartSession.Summary summary, boolean couponApplied, boolean couponAppliedTwice,
      boolean anonymousIdFound, boolean firstCartEvicted, int devices, int loggedOut, int devicesAfterLogout) {}

  /**
   * Two instances of the service (two Redwires on one Redis) share a stock database: 8 threads reserve
   * 100 units of B-1 one at a time under the per-SKU lock, and a restock runs in between; then three
   * workers start the nightly report at once, and one of them runs it.
   */
  static LockRun runLocks(Redwire first, String uri, String namespace, CountingMetrics metrics) {
    try (Redwire second = Redwire.builder().uri(uri).namespace(namespace).metrics(metrics).build()) {
      StockRoom db = new StockRoom(java.util.Map.of("B-1", 120));
      List<Inventory> instances = List.of(RedwireInventory.wrap(db, first), RedwireInventory.wrap(db, second));
      SalesReports sales = new SalesReports();
      List<Reports> workers = List.of(RedwireReports.wrap(sales, first), RedwireReports.wrap(sales, second),
          RedwireReports.wrap(sales, second));
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
          Inventory inventory = instances.get(t % 2);
          boolean restocker = t == 0;
          done.add(pool.submit(() -> {
            for (int i = 0; i < 15; i++) {
              granted.addAndGet(inventory.reserve("B-1", 1).quantity());
              if (restocker && i == 5) {
                inventory.restock("B-1", 40);
              }
            }
            return null;
          }));
        }
        await(done);
        java.time.LocalDate day = java.time.LocalDate.of(2024, 3, 1);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(workers.size());
        List<java.util.concurrent.Future<Optional<String>>> reports = new java.util.ArrayList<>();
        for (Reports worker : workers) {
          reports.add(pool.submit(() -> {
            start.await();
            return worker.nightlyReport(day);
          }));
        }
        int skipped = 0;
        for (java.util.concurrent.Future<Optional<String>> f : reports) {
          skipped += f.get().isPresent() ? 0 : 1;
        }
        return new LockRun(120, granted.get(), db.level("B-1"), db.staleWritesRefused.get(),
            sales.runs.get(), skipped);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static void await(List<? extends java.util.concurrent.Future<?>> futures) {
    for (java.util.concurrent.Future<?> f : futures) {
      try {
        f.get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** What the locking part of a run did. */
  record LockRun(int requested, int granted, int stockLeft, int staleWritesRefused, int reportsRun,
      int reportsSkipped) {}

  /** What one run did. */
  record Report(int orders, long catalogQueries, long priceQuotes, long productHits, long productMisses,
      long priceHits, long priceMisses, boolean unknownFound, String nameAfterUpdate, String receipt,
      int checkoutsAdmitted, RateLimitedException checkoutRefused, String otherUserOrder,
      LockRun locks, List<Ranked<String>> bestSellers, long viewsOfB1, EventRun events, JobRun jobs,
      CartRun cart) {

    @Override
    public String toString() {
      return String.format("""
          Checkout of %d orders
          %s
          catalog: %d hits, %d misses, hit rate %.1f%%  (database queries: %d)
          pricing: %d hits, %d misses, hit rate %.1f%%  (price quotes: %d)
          unknown SKU X-404 found: %s (the second lookup was a cached null)
          after update, B-1 reads: %s
          checkout: alice placed %d orders, then was refused: %s
            HTTP 429, Retry-After: %s, %s
          checkout: bob still orders: %s
          inventory: %d reservations of B-1 (stock 120, restocked by 40) on 2 instances:
            %d granted, %d left, %d stale writes refused
          nightly report: started by 3 workers, run %d time(s), skipped %d time(s)
          best sellers this week: %s
          page views of B-1 in the last 5 minutes: %d
          events: %d orders published on "orders"; the email service sent %d confirmations (%d retried
            after an SMTP error, %d dead letters), e.g. "%s"
          jobs: %d confirmation emails queued (%d double click dropped), %d sent by 3 workers (%d retried
            after an SMTP error), e.g. "%s"; nightly report job run %d time(s), on time: %s
          cart session (%d-character id): %s
            coupon applied: %s, applied again: %s; after sign-in the anonymous id finds a cart: %s
            alice signed in on 2 more devices: first cart evicted: %s; %d carts, %d logged out everywhere,
            %d left
          """, orders, receipt.stripTrailing(), productHits, productMisses,
          rate(productHits, productMisses), catalogQueries, priceHits, priceMisses,
          rate(priceHits, priceMisses), priceQuotes, unknownFound, nameAfterUpdate, checkoutsAdmitted,
          checkoutRefused.getMessage(), checkoutRefused.retryAfterHeader(), checkoutRefused.headers(),
          otherUserOrder, locks.requested(), locks.granted(), locks.stockLeft(),
          locks.staleWritesRefused(), locks.reportsRun(), locks.reportsSkipped(),
          bestSellers.stream().map(r -> "#" + r.rank() + " " + r.member() + " (" + r.score() + " units)")
              .collect(java.util.stream.Collectors.joining(", ")), viewsOfB1, events.published(),
          events.emailsSent(), events.retries(), events.deadLetters(), events.emailForO3(), jobs.emailsQueued(),
          jobs.duplicatesDropped(), jobs.emailsSent(), jobs.retries(), jobs.emailForJ2(), jobs.reportsRun(),
          jobs.reportOnTime(), cart.idLength(),
          cart.summary(), cart.couponApplied(), cart.couponAppliedTwice(), cart.anonymousIdFound(),
          cart.firstCartEvicted(), cart.devices(), cart.loggedOut(), cart.devicesAfterLogout());
    }

    private static double rate(long hits, long misses) {
      return hits + misses == 0 ? 0 : 100.0 * hits / (hits + misses);
    }
  }
}
