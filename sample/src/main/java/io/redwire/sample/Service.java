package io.redwire.sample;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redwire.micrometer.MicrometerMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.events.SubscribeOptions;
import io.redwire.runtime.events.Subscription;
import io.redwire.runtime.queue.WorkOptions;
import io.redwire.runtime.queue.Worker;
import io.redwire.runtime.session.SessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance of the checkout service: its own {@link Redwire} (with Micrometer metrics on a
 * Prometheus registry), the generated proxies around the shared backends, the {@code OrderPlaced}
 * listener, and an HTTP server on 127.0.0.1 ({@link Api} has the routes).
 */
final class Service implements AutoCloseable {

  static {
    // the JDK server never times a request out by itself: 16 clients that send headers and then stall
    // would hold every handler thread. Read by the server's configuration when it is first used.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "10"); // seconds to read a whole request
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", "30"); // seconds to write a response
    }
  }

  /** What this instance did, counted by the service's own code: the truth its metrics are checked against. */
  static final class Counts {
    final AtomicLong catalogCalls = new AtomicLong();
    final AtomicLong priceCalls = new AtomicLong();
    final AtomicLong limited = new AtomicLong();
    final AtomicLong ordersPlaced = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();
  }

  final String name;
  final Redwire redwire;
  final PrometheusMeterRegistry registry;
  final Counts counts = new Counts();
  final StockRoom.Clerk clerk;
  final ConfirmationEmails emails;
  final Worker mailWorker;
  final Catalog catalog;
  final Pricing pricing;
  final Checkout checkout;
  final Stats stats;
  final SessionStore<CartSession> carts;
  private final Subscription subscription;
  private final HttpServer server;
  private final ExecutorService threads;
  private volatile boolean closed;
  private volatile boolean draining;
  /** Requests the load balancer ({@link Load.Route}) sent here that have not been answered yet. */
  final AtomicInteger routed = new AtomicInteger();

  private Service(String name, String redisUri, String namespace, int port, Backends backends) {
    this.name = name;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.redwire = Redwire.builder().uri(redisUri).namespace(namespace)
        .metrics(new MicrometerMetrics(registry, Tags.of("instance", name))).build();
    boolean started = false;
    try {
      this.clerk = backends.stock.new Clerk();
      this.catalog = RedwireCatalog.wrap(backends.catalog, redwire);
      Pricing cachedPricing = RedwirePricing.wrap(backends.pricing, redwire);
      this.pricing = new Pricing() { // counts the calls, for the report to check the cache metrics against
        @Override
        public Price price(String sku, String currency) {
          counts.priceCalls.incrementAndGet();
          return cachedPricing.price(sku, currency);
        }

        @Override
        public void setPrice(String sku, String currency, java.math.BigDecimal amount) {
          cachedPricing.setPrice(sku, currency, amount);
        }
      };
      this.stats = RedwireStats.of(redwire);
      Orders orders = RedwireOrders.wrap((id, user, lines, total) -> new Orders.OrderPlaced(id, user, lines, total),
          redwire);
      this.carts = RedwireCartSession.store(redwire);
      this.checkout = RedwireCheckout.wrap(
          new CheckoutDesk(RedwireInventory.wrap(clerk, redwire), pricing, orders, stats, carts), redwire);
      this.emails = new ConfirmationEmails(RedwireMailer.client(redwire));
      // this instance's mail workers; a stopped instance's running job is run again after its 5 s lease
      this.mailWorker = RedwireMailer.work(backends.mailbox.mailer(name), redwire,
          WorkOptions.concurrency(2).lease(Duration.ofSeconds(5)).consumer("mail-" + name));
      // a stopped instance's unfinished deliveries are taken over by the others after 2 s
      this.subscription = RedwireOrderEmails.subscribe(emails, redwire,
          SubscribeOptions.DEFAULTS.consumer("checkout-" + name).reclaimAfter(Duration.ofSeconds(2))
              .closeWait(Duration.ofSeconds(5)));
      AtomicInteger n = new AtomicInteger();
      this.threads = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "http-" + name + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      server.createContext("/", new Api(this));
      server.setExecutor(threads);
      server.start();
      started = true;
    } catch (IOException e) {
      throw new UncheckedIOException("instance " + name + " cannot listen on port " + port, e);
    } finally {
      if (!started) {
        redwire.close();
      }
    }
  }

  /** Starts instance {@code name} on {@code port} (0: a free port). */
  static Service start(String name, String redisUri, String namespace, int port, Backends backends) {
    return new Service(name, redisUri, namespace, port, backends);
  }

  URI url() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
  }

  boolean isClosed() {
    return closed;
  }

  /** Whether the load balancer stopped sending requests here (it drains, then stops). */
  boolean isDraining() {
    return draining || closed;
  }

  void drain() {
    draining = true;
  }

  /**
   * Stops the instance: no new connections, running requests finish (up to 1 s), then the listener
   * stops reading (its running handlers finish) and the Redwire closes.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(1);
    threads.shutdown();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      subscription.close(); // stops enqueuing
      mailWorker.close(); // finishes its running jobs (or leaves them to the others after the lease)
    } finally {
      redwire.close();
    }
  }

  @Override
  public String toString() {
    return "instance " + name + " at " + url();
  }
}
