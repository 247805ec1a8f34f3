package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.it.events.Flash;
import io.redwire.it.events.Orders;
import io.redwire.it.events.RedwireFlash;
import io.redwire.it.events.RedwireOrders;
import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.events.Subscription;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Non-durable events (pub/sub) through the generated {@code RedwireOrders.flash} and {@code
 * RedwireFlash}: the listener resubscribes after its connection is killed, and notices a frozen
 * (half-open) connection within the health-check bound.
 */
class PubSubEventsTest {

  RedisServer server;
  Redwire publisherSide;
  Redwire listenerSide;
  Subscription subscription;
  TcpProxy proxy;
  final BlockingQueue<Orders.OrderPlaced> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    server = RedisServer.start();
    publisherSide = Redwire.builder().uri(server.uri()).namespace("ps").build();
  }

  @AfterEach
  void stop() throws Exception {
    if (subscription != null) {
      subscription.close();
    }
    if (listenerSide != null) {
      listenerSide.close();
    }
    publisherSide.close();
    if (proxy != null) {
      proxy.close();
    }
    server.close();
  }

  Flash handler() {
    return received::add;
  }

  /** Publishes until the listener receives one (a subscription is confirmed asynchronously). */
  void awaitSubscribed(Orders orders) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.poll(20, TimeUnit.MILLISECONDS) == null) {
      assertTrue(System.nanoTime() < deadline, "the listener never received a message");
      orders.flash(new Orders.OrderPlaced("warm-up", 0));
    }
    received.clear();
  }

  @Test
  void afterClientKillMessagesPublished200MillisecondsLaterAreReceived() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    listenerSide = Redwire.builder().uri(server.uri()).namespace("ps").metrics(metrics).build();
    subscription = RedwireFlash.subscribe(handler(), listenerSide);
    Orders orders = RedwireOrders.wrap(new io.redwire.it.events.PlacedOrdersForTests(), publisherSide);
    awaitSubscribed(orders);

    String killed = server.command("CLIENT", "KILL", "TYPE", "pubsub");
    assertTrue(Long.parseLong(killed) >= 1, "killed " + killed);
    Thread.sleep(200); // the scenario itself: the next message is published 200 ms after the kill
    orders.flash(new Orders.OrderPlaced("after-kill", 1));
    Orders.OrderPlaced got = received.poll(5, TimeUnit.SECONDS);
    while (got != null && !got.orderId().equals("after-kill")) { // a late warm-up message
      got = received.poll(5, TimeUnit.SECONDS);
    }
    assertNotNull(got, "the message published 200 ms after the kill was lost");
    assertEquals("after-kill", got.orderId());
    assertTrue(metrics.count("eventListenerRecovered") >= 1, metrics.summary());
  }

  @Test
  void aFrozenConnectionIsNoticedWithinTheHealthCheckBoundAndResubscribed() throws Exception {
    proxy = new TcpProxy(server.host(), server.port());
    listenerSide = Redwire.builder().uri(proxy.uri()).namespace("ps")
        .pubSubHealthCheck(Duration.ofMillis(200), Duration.ofMillis(600)).build();
    subscription = RedwireFlash.subscribe(handler(), listenerSide);
    Orders orders = RedwireOrders.wrap(new io.redwire.it.events.PlacedOrdersForTests(), publisherSide);
    awaitSubscribed(orders);

    assertEquals(1, proxy.blackholeSubscribers());
    long frozenAt = System.nanoTime();
    Orders.OrderPlaced got = null;
    int seq = 0;
    while (got == null && System.nanoTime() - frozenAt < TimeUnit.SECONDS.toNanos(10)) {
      orders.flash(new Orders.OrderPlaced("after-freeze", ++seq));
      got = received.poll(50, TimeUnit.MILLISECONDS);
      while (got != null && !got.orderId().equals("after-freeze")) { // a late warm-up message
        got = received.poll(50, TimeUnit.MILLISECONDS);
      }
    }
    long millis = (System.nanoTime() - frozenAt) / 1_000_000;
    assertNotNull(got, "never resubscribed");
    // silent for 600 ms -> replaced; reconnect and resubscribe; a generous bound over that
    assertTrue(millis < 600 + 200 + 1_500, "resubscribed after " + millis + " ms");
    System.out.printf("pub/sub: frozen connection replaced and resubscribed after %d ms%n", millis);
  }
}
