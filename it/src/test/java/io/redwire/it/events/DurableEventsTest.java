package io.redwire.it.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.codec.Codecs;
import io.redwire.runtime.codec.Values;
import io.redwire.runtime.events.Channels;
import io.redwire.runtime.events.DeadLetter;
import io.redwire.runtime.events.DeadLetters;
import io.redwire.runtime.events.EventPublishException;
import io.redwire.runtime.events.SubscribeOptions;
import io.redwire.runtime.events.Subscription;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.XAddParams;

/**
 * Durable events through the generated {@code RedwireOrders} (publisher) and {@code RedwireInventory}
 * (listener, consumer group "inventory") against a real redis-server with append-only persistence;
 * faults are injected by the fixture (a Redwire closed mid-flight, a server restart).
 */
class DurableEventsTest {

  RedisServer server;
  final List<Redwire> redwires = new ArrayList<>();
  final List<Subscription> subscriptions = new ArrayList<>();
  static int namespaces;
  String namespace;

  @BeforeEach
  void start() {
    server = RedisServer.start("--appendonly", "yes");
    namespace = "ev" + (++namespaces);
  }

  @AfterEach
  void stop() {
    subscriptions.forEach(Subscription::close);
    redwires.forEach(Redwire::close);
    server.close();
  }

  Redwire redwire(CountingMetrics metrics) {
    Redwire r = Redwire.builder().uri(server.uri()).namespace(namespace).metrics(metrics).build();
    redwires.add(r);
    return r;
  }

  /** Effects applied per order id, and by which consumer. */
  static final class Effects {
    final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    final AtomicInteger total = new AtomicInteger();

    void apply(String orderId) {
      applied.computeIfAbsent(orderId, k -> new AtomicInteger()).incrementAndGet();
      total.incrementAndGet();
    }

    int distinct() {
      return applied.size();
    }
  }

  @Test
  void tenThousandEventsThreeConsumersOneClosedMidFlightAndARestartEachHandledExactlyOnce() throws Exception {
    int n = 10_000;
    Effects effects = new Effects();
    AtomicInteger byVictim = new AtomicInteger();
    AtomicInteger victimStuck = new AtomicInteger();
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    // the victim handles 50 events, then hangs on every further one until it is closed (interrupted
    // before its effect), so it holds entries in flight when it closes
    Inventory victimHandler = event -> {
      try {
        if (byVictim.get() >= 50) {
          victimStuck.incrementAndGet();
          never.await();
        }
        Thread.sleep(5); // the work
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      effects.apply(event.orderId());
      byVictim.incrementAndGet();
    };
    Inventory survivorHandler = event -> effects.apply(event.orderId());
    CountingMetrics victimMetrics = new CountingMetrics();
    CountingMetrics survivorMetrics = new CountingMetrics();
    Redwire victim = redwire(victimMetrics);
    RedwireInventory.subscribe(victimHandler, victim,
        SubscribeOptions.DEFAULTS.consumer("victim").closeWait(Duration.ZERO));
    for (int i = 1; i <= 2; i++) {
      subscriptions.add(RedwireInventory.subscribe(survivorHandler, redwire(survivorMetrics),
          SubscribeOptions.DEFAULTS.consumer("survivor-" + i)));
    }
    CountingMetrics publisherMetrics = new CountingMetrics();
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire(publisherMetrics));

    for (int i = 0; i < n / 2; i++) {
      orders.place("o" + i, i);
    }
    Await.until(Duration.ofSeconds(30), () -> victimStuck.get() >= 1,
        () -> "victim handled " + byVictim + ", holds " + victimStuck);

    // close the victim without acking what it holds: its in-flight handlers are interrupted
    victim.close();
    long closedAt = System.nanoTime();
    List<String> leftByVictim = pendingOf("victim");
    assertTrue(!leftByVictim.isEmpty(), "the victim left entries pending");
    Set<String> orphanIds = orderIdsOf(leftByVictim);
    Await.until(Duration.ofSeconds(10), () -> orphanIds.stream().allMatch(effects.applied::containsKey),
        () -> "orphans not handled: " + orphanIds);
    long reclaimMillis = (System.nanoTime() - closedAt) / 1_000_000;
    // reclaimAfter = 2 s, checked every 500 ms: handled by the survivors within the idle time plus a poll
    assertTrue(reclaimMillis <= 2_000 + 500 + 1_000, "reclaimed after " + reclaimMillis + " ms");
    assertTrue(survivorMetrics.count("eventReclaimed") >= orphanIds.size());

    // publish the rest while the server restarts (append-only file on: nothing is lost)
    Thread publisher = new Thread(() -> {
      for (int i = n / 2; i < n; i++) {
        orders.place("o" + i, i);
      }
    });
    publisher.start();
    Await.until(Duration.ofSeconds(30), () -> effects.distinct() >= n / 2 + 1000, () -> "progress " + effects.distinct());
    server.restart();
    publisher.join(60_000);

    Await.until(Duration.ofSeconds(60), () -> effects.distinct() == n,
        () -> effects.distinct() + " of " + n + " handled");
    Await.until(Duration.ofSeconds(20), () -> pendingCount() == 0, () -> pendingCount() + " still pending");
    List<String> twice = new ArrayList<>();
    effects.applied.forEach((id, count) -> {
      if (count.get() != 1) {
        twice.add(id + "=" + count.get());
      }
    });
    Map<String, List<String>> copies = streamCopies();
    assertEquals(List.of(), twice, "every effect applied exactly once; event ids in more than one stream"
        + " entry: " + copies);
    assertEquals(n, effects.total.get());
    assertEquals(n, publisherMetrics.count("eventPublished", "orders"));
    assertEquals(0, publisherMetrics.count("eventPublishFailed"));
    System.out.printf("10k events: victim handled %d, %d orphans reclaimed in %d ms, outboxed during the"
        + " restart %d, skipped (already handled, or a copy of a pending entry) %d, event ids added twice"
        + " %d%n", byVictim.get(), orphanIds.size(), reclaimMillis, publisherMetrics.count("eventOutboxed"),
        survivorMetrics.count("eventSkipped"), copies.size());
  }

  @Test
  void aPoisonEventIsTriedExactlyMaxDeliveriesTimesWithGrowingGapsThenDeadLetteredAndReplayable() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    AtomicBoolean poisoned = new AtomicBoolean(true);
    List<Long> attempts = new CopyOnWriteArrayList<>();
    Effects effects = new Effects();
    Inventory handler = event -> {
      if (event.orderId().equals("poison")) {
        attempts.add(System.nanoTime());
        if (poisoned.get()) {
          throw new IllegalStateException("cannot reserve stock for poison");
        }
      }
      effects.apply(event.orderId());
    };
    subscriptions.add(RedwireInventory.subscribe(handler, redwire));
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    orders.place("poison", 0);
    for (int i = 1; i <= 200; i++) {
      orders.place("o" + i, i);
    }
    DeadLetters<Orders.OrderPlaced> dead = RedwireInventory.deadLetters(redwire);
    Await.until(Duration.ofSeconds(20), () -> dead.count() == 1, () -> "dead letters: " + dead.count());
    Await.until(Duration.ofSeconds(20), () -> effects.distinct() == 200, () -> effects.distinct() + " of 200");

    assertEquals(4, attempts.size(), "maxDeliveries = 4 attempts");
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < attempts.size(); i++) {
      gaps.add((attempts.get(i) - attempts.get(i - 1)) / 1_000_000);
    }
    // backoff 100 ms, doubled each time, plus up to 25 % jitter: 100-125, 200-250, 400-500 ms
    assertTrue(gaps.get(0) >= 100 && gaps.get(1) > gaps.get(0) && gaps.get(2) > gaps.get(1), "gaps " + gaps);
    assertTrue(gaps.get(2) >= 400, "gaps " + gaps);
    DeadLetter<Orders.OrderPlaced> letter = dead.list(10).get(0);
    assertEquals(new Orders.OrderPlaced("poison", 0), letter.event());
    assertEquals(4, letter.deliveries());
    assertTrue(letter.error().contains("cannot reserve stock for poison"), letter.error());
    assertNotNull(letter.eventId());
    assertEquals(3, metrics.count("eventRetried", "orders/inventory"));
    assertEquals(1, metrics.count("eventDeadLettered", "orders/inventory"));

    // replay from the typed API: delivered again (the same event id), and handled this time
    poisoned.set(false);
    assertTrue(dead.replay(letter.id()));
    Await.until(Duration.ofSeconds(10), () -> effects.applied.containsKey("poison"), () -> "replayed");
    assertEquals(5, attempts.size());
    assertEquals(0, dead.count());
  }

  @Test
  void anAsynchronousListenersFailedStageIsRetriedAndDeadLetteredWithItsOwnErrorNotAWrapper() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    Effects effects = new Effects();
    AtomicInteger failures = new AtomicInteger();
    AsyncInventory handler = event -> {
      if (event.orderId().equals("bad")) {
        failures.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> {
          throw new IllegalStateException("async stock service refused bad");
        });
      }
      return CompletableFuture.runAsync(() -> effects.apply(event.orderId()));
    };
    subscriptions.add(RedwireAsyncInventory.subscribe(handler, redwire));
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    orders.place("bad", 0);
    for (int i = 1; i <= 50; i++) {
      orders.place("o" + i, i);
    }
    DeadLetters<Orders.OrderPlaced> dead = RedwireAsyncInventory.deadLetters(redwire);
    Await.until(Duration.ofSeconds(20), () -> dead.count() == 1, () -> "dead letters: " + dead.count());
    Await.until(Duration.ofSeconds(20), () -> effects.distinct() == 50, () -> effects.distinct() + " of 50");
    assertEquals(2, failures.get(), "maxDeliveries = 2");
    DeadLetter<Orders.OrderPlaced> letter = dead.list(10).get(0);
    assertTrue(letter.error().startsWith("java.lang.IllegalStateException: async stock service refused bad"),
        letter.error());
    assertEquals(50, metrics.count("eventAcked", "orders/async-inventory"), metrics.summary());
  }

  @Test
  void anUndecodableEntryIsDeadLetteredAtOnceWithTheReasonAndTheConsumerGoesOn() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    Effects effects = new Effects();
    List<Long> attempts = new CopyOnWriteArrayList<>();
    Inventory handler = event -> {
      attempts.add(System.nanoTime());
      effects.apply(event.orderId());
    };
    subscriptions.add(RedwireInventory.subscribe(handler, redwire));
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    orders.place("before", 1);
    Await.until(Duration.ofSeconds(10), () -> effects.distinct() == 1, () -> "first event");

    // a build where the event had another shape (another fingerprint), and damaged bytes
    try (RedisClient raw = RedisClient.create(server.host(), server.port())) {
      byte[] stream = Channels.stream(redwire, "orders");
      raw.xadd(stream, XAddParams.xAddParams(), envelope("other-shape",
          Values.encode(0x1234L, Codecs.STRING, "an OrderPlaced of another shape")));
      raw.xadd(stream, XAddParams.xAddParams(), envelope("damaged", new byte[] {'R', 1, 7}));
    }
    long start = System.nanoTime();
    DeadLetters<Orders.OrderPlaced> dead = RedwireInventory.deadLetters(redwire);
    Await.until(Duration.ofSeconds(5), () -> dead.count() == 2, () -> "dead letters " + dead.count());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 1_000, "dead-lettered at once, not after retries (100 ms backoff): " + millis + " ms");
    orders.place("after", 2);
    Await.until(Duration.ofSeconds(10), () -> effects.distinct() == 2, () -> "the consumer goes on");
    assertEquals(2, attempts.size(), "the handler never saw the undecodable entries");

    // handled on concurrent threads: find each by its event id, not by position
    Map<String, DeadLetter<Orders.OrderPlaced>> letters = new LinkedHashMap<>();
    dead.list(10).forEach(d -> letters.put(d.eventId(), d));
    DeadLetter<Orders.OrderPlaced> otherShape = letters.get("other-shape");
    assertNull(otherShape.event());
    assertTrue(otherShape.error().startsWith("undecodable: "), otherShape.error());
    assertTrue(otherShape.error().contains("fingerprint"), otherShape.error());
    assertEquals(1, otherShape.deliveries());
    assertTrue(letters.get("damaged").error().startsWith("undecodable: "), letters.get("damaged").error());
    assertEquals(0, metrics.count("eventRetried"));
    assertEquals(2, dead.purgeAll());
    assertEquals(0, dead.count());
  }

  @Test
  void anEventTheGroupAlreadyHandledIsAckedWithoutRunningTheHandler() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    Effects effects = new Effects();
    subscriptions.add(RedwireInventory.subscribe(event -> effects.apply(event.orderId()), redwire));
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    orders.place("once", 1);
    Await.until(Duration.ofSeconds(10), () -> effects.distinct() == 1, () -> "handled");
    // the same envelope (same event id) added again, as an outbox retry or a replay would
    try (RedisClient raw = RedisClient.create(server.host(), server.port())) {
      byte[] stream = Channels.stream(redwire, "orders");
      Map<String, byte[]> first = first(raw.xrange(stream, bytes("-"), bytes("+"), 1));
      Map<byte[], byte[]> again = new LinkedHashMap<>();
      first.forEach((k, v) -> again.put(bytes(k), v));
      raw.xadd(stream, XAddParams.xAddParams(), again);
    }
    Await.until(Duration.ofSeconds(10), () -> metrics.count("eventSkipped") == 1, () -> "skipped");
    assertEquals(1, effects.total.get());
  }

  @Test
  void aCopyOfAnEventStillBeingHandledIsAckedWithoutRunningTheHandlerAndTheOriginalStillCompletes()
      throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    Effects effects = new Effects();
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Inventory slowOnce = event -> {
      if (runs.incrementAndGet() == 1) {
        entered.countDown();
        try {
          if (!finish.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      effects.apply(event.orderId());
    };
    // several handler threads: without the ownership check the copy would run beside the original
    subscriptions.add(RedwireInventory.subscribe(slowOnce, redwire, SubscribeOptions.DEFAULTS.concurrency(4)));
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    orders.place("copied", 1);
    assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS), "the original is being handled");
    // a copy with the same event id, as a publisher adds when it retries an add whose reply it lost
    try (RedisClient raw = RedisClient.create(server.host(), server.port())) {
      byte[] stream = Channels.stream(redwire, "orders");
      Map<String, byte[]> first = first(raw.xrange(stream, bytes("-"), bytes("+"), 1));
      Map<byte[], byte[]> again = new LinkedHashMap<>();
      first.forEach((k, v) -> again.put(bytes(k), v));
      raw.xadd(stream, XAddParams.xAddParams(), again);
    }
    Await.until(Duration.ofSeconds(10), () -> metrics.count("eventSkipped") == 1, () -> "the copy skipped");
    assertEquals(1, pendingCount(), "only the original is pending");
    assertEquals(1, runs.get(), "the handler did not run for the copy");
    finish.countDown();
    Await.until(Duration.ofSeconds(10), () -> pendingCount() == 0, () -> "the original acknowledged");
    assertEquals(1, effects.total.get());
    assertEquals(1, runs.get());
    assertEquals("0", server.command("EXISTS", namespace + ":events:orders:{orders}:handled:inventory:owners"),
        "no ownership left once handled");

    // after it was handled, a third copy is skipped as already handled
    orders.place("later", 2);
    Await.until(Duration.ofSeconds(10), () -> effects.distinct() == 2, () -> "later");
    assertEquals(2, effects.total.get());
  }

  @Test
  void copiesReadInOneBatchRunOnceAndTheOthersOfTheBatchAllRun() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    orders.place("a", 1);
    orders.place("b", 2);
    orders.place("c", 3);
    // two copies of b's entry, added before any consumer exists: the first read takes all five at once,
    // so the admission decides the copies against an owner recorded in the same script run
    try (RedisClient raw = RedisClient.create(server.host(), server.port())) {
      byte[] stream = Channels.stream(redwire, "orders");
      Map<String, byte[]> b = first(raw.xrange(stream, bytes("-"), bytes("+"), 3).subList(1, 2));
      Map<byte[], byte[]> again = new LinkedHashMap<>();
      b.forEach((k, v) -> again.put(bytes(k), v));
      raw.xadd(stream, XAddParams.xAddParams(), again);
      raw.xadd(stream, XAddParams.xAddParams(), again);
    }
    Effects effects = new Effects();
    subscriptions.add(RedwireInventory.subscribe(event -> effects.apply(event.orderId()), redwire,
        SubscribeOptions.DEFAULTS.concurrency(4)));
    Await.until(Duration.ofSeconds(10), () -> metrics.count("eventSkipped") == 2 && pendingCount() == 0,
        () -> "the copies skipped and everything acknowledged");
    assertEquals(3, effects.distinct());
    assertEquals(3, effects.total.get(), "each order applied once: " + effects.applied);
    assertEquals("0", server.command("EXISTS", namespace + ":events:orders:{orders}:handled:inventory:owners"),
        "no ownership left once handled");
  }

  @Test
  void theGroupsLagIsReportedWhereTheServerCountsIt() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Effects effects = new Effects();
    Inventory stuck = event -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      effects.apply(event.orderId());
    };
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    for (int i = 0; i < 30; i++) {
      orders.place("o" + i, i);
    }
    // one handler thread, stuck on the first event: the entries it did not read (it reads a few ahead of
    // its handler, all still pending) stay undelivered to the group
    subscriptions.add(RedwireInventory.subscribe(stuck, redwire, SubscribeOptions.DEFAULTS.concurrency(1)));
    String info = server.command("INFO", "server");
    int major = Integer.parseInt(info.replaceAll("(?s).*redis_version:(\\d+)\\..*", "$1"));
    if (major >= 7) { // Redis 7.0+ and Valkey (which reports 7.2) count the lag
      String stream = namespace + ":events:orders:{orders}";
      Await.until(Duration.ofSeconds(15), () -> {
        long read = Long.parseLong(server.command("XPENDING", stream, "inventory").split("\n")[0].trim());
        return read >= 1 && read < 30 && metrics.last("eventGroupLag", "orders/inventory") == 30 - read;
      }, () -> "lag " + metrics.last("eventGroupLag", "orders/inventory"));
    }
    release.countDown();
    Await.until(Duration.ofSeconds(10), () -> effects.distinct() == 30, () -> effects.distinct() + " of 30");
    if (major >= 7) {
      Await.until(Duration.ofSeconds(15), () -> metrics.last("eventGroupLag", "orders/inventory") == 0,
          () -> "lag " + metrics.last("eventGroupLag", "orders/inventory"));
    } else {
      assertEquals(-1, metrics.last("eventGroupLag", "orders/inventory"), "Redis 6.2 has no lag to report");
    }
  }

  @Test
  void durableEventsPublishedWhileRedisIsDownWaitInTheOutboxInOrderAndAFullOutboxRefuses() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    orders.place("up", 0);
    server.stop();
    int n = 10_000; // the outbox's capacity
    for (int i = 1; i <= n; i++) {
      orders.place("o" + i, i); // no exception: kept in the outbox
    }
    EventPublishException full = assertThrows(EventPublishException.class, () -> orders.place("one-too-many", 0));
    assertTrue(full.getMessage().contains("outbox of channel orders is full"), full.getMessage());
    assertEquals(1, metrics.count("eventPublishFailed", "orders"));
    assertEquals(n, metrics.count("eventOutboxed", "orders"));

    assertEquals(n, metrics.last("eventOutboxDepth", "orders"));
    server.restart();
    Await.until(Duration.ofSeconds(30), () -> metrics.count("eventPublished", "orders") == n + 1,
        () -> metrics.count("eventPublished", "orders") + " published");
    Await.until(Duration.ofSeconds(5), () -> metrics.last("eventOutboxDepth", "orders") == 0,
        () -> "the outbox depth follows the drain: " + metrics.last("eventOutboxDepth", "orders"));
    Effects effects = new Effects();
    List<Integer> order = new CopyOnWriteArrayList<>();
    subscriptions.add(RedwireInventory.subscribe(event -> {
      order.add(event.seq());
      effects.apply(event.orderId());
    }, redwire, SubscribeOptions.DEFAULTS.concurrency(1)));
    Await.until(Duration.ofSeconds(30), () -> effects.distinct() == n + 1, () -> effects.distinct() + " handled");
    for (int i = 0; i <= n; i++) {
      assertEquals(i, order.get(i), "stream order is publish order");
    }
  }

  @Test
  void anEventHandledLongerThanTheReclaimTimeIsNotTakenOverWhileItsConsumerLives() {
    Effects effects = new Effects();
    AtomicInteger starts = new AtomicInteger();
    Inventory slow = event -> {
      starts.incrementAndGet();
      try {
        Thread.sleep(3_500); // reclaimAfter is 2 s
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      effects.apply(event.orderId());
    };
    for (int i = 0; i < 2; i++) {
      subscriptions.add(RedwireInventory.subscribe(slow, redwire(new CountingMetrics()),
          SubscribeOptions.DEFAULTS.consumer("c" + i)));
    }
    RedwireOrders.wrap(new PlacedOrdersForTests(), redwire(new CountingMetrics())).place("slow", 1);
    Await.until(Duration.ofSeconds(10), () -> effects.distinct() == 1, () -> "handled");
    // a takeover after 2 s would have started a second run before the first one ended (3.5 s)
    assertEquals(1, starts.get());
    Await.until(Duration.ofSeconds(5), () -> pendingCount() == 0, () -> "acked");
  }

  @Test
  void aConsumerWhoseStreamWasDeletedCreatesItsGroupAgainAndSaysSo() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(metrics);
    Effects effects = new Effects();
    subscriptions.add(RedwireInventory.subscribe(event -> effects.apply(event.orderId()), redwire));
    Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwire);
    orders.place("before", 1);
    Await.until(Duration.ofSeconds(10), () -> effects.distinct() == 1, () -> "first");
    server.command("DEL", namespace + ":events:orders:{orders}");
    orders.place("after", 2);
    Await.until(Duration.ofSeconds(10), () -> effects.distinct() == 2, () -> "after the stream was deleted");
    assertTrue(metrics.count("eventListenerRecovered", "orders/inventory") >= 1, metrics.summary());
  }

  /** The entry ids pending with {@code consumer} in group "inventory". */
  List<String> pendingOf(String consumer) {
    String reply = server.command("XPENDING", namespace + ":events:orders:{orders}", "inventory", "-", "+",
        "100000", consumer);
    List<String> ids = new ArrayList<>();
    String[] lines = reply.split("\n");
    for (int i = 0; i + 3 < lines.length; i += 4) {
      ids.add(lines[i]);
    }
    return ids;
  }

  /** The order ids in the data of these entries: after the 10-byte header, the first 'o' starts it. */
  Set<String> orderIdsOf(List<String> entryIds) {
    Set<String> out = ConcurrentHashMap.newKeySet();
    try (RedisClient raw = RedisClient.create(server.host(), server.port())) {
      byte[] stream = bytes(namespace + ":events:orders:{orders}");
      for (String id : entryIds) {
        Map<String, byte[]> fields = first(raw.xrange(stream, bytes(id), bytes(id)));
        byte[] data = fields.get("data");
        int at = 10;
        while (data[at] != 'o') {
          at++;
        }
        int end = at + 1;
        while (end < data.length && Character.isDigit(data[end])) {
          end++;
        }
        out.add(new String(data, at, end - at, StandardCharsets.US_ASCII));
      }
    }
    return out;
  }

  /** The event ids that occur in more than one entry of the stream, with their entry ids. */
  Map<String, List<String>> streamCopies() {
    Map<String, List<String>> byEvent = new LinkedHashMap<>();
    try (RedisClient raw = RedisClient.create(server.host(), server.port())) {
      byte[] stream = bytes(namespace + ":events:orders:{orders}");
      for (Object o : raw.xrange(stream, bytes("-"), bytes("+"))) {
        List<?> entry = (List<?>) o;
        String entryId = new String((byte[]) entry.get(0), StandardCharsets.US_ASCII);
        List<?> flat = (List<?>) entry.get(1);
        String eventId = new String((byte[]) flat.get(1), StandardCharsets.UTF_8);
        byEvent.computeIfAbsent(eventId, k -> new ArrayList<>()).add(entryId);
      }
    }
    byEvent.values().removeIf(l -> l.size() < 2);
    return byEvent;
  }

  /** The fields of the first entry of a raw XRANGE reply. */
  static Map<String, byte[]> first(List<Object> reply) {
    List<?> entry = (List<?>) reply.get(0);
    List<?> flat = (List<?>) entry.get(1);
    Map<String, byte[]> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8), (byte[]) flat.get(i + 1));
    }
    return fields;
  }

  long pendingCount() {
    String reply = server.command("XPENDING", namespace + ":events:orders:{orders}", "inventory");
    return Long.parseLong(reply.split("\n")[0]);
  }

  static Map<byte[], byte[]> envelope(String id, byte[] data) {
    Map<byte[], byte[]> fields = new LinkedHashMap<>();
    fields.put(bytes("id"), bytes(id));
    fields.put(bytes("at"), bytes(Long.toString(System.currentTimeMillis())));
    fields.put(bytes("data"), data);
    return fields;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

}
