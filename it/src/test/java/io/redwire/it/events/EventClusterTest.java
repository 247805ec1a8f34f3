package io.redwire.it.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.codec.Codecs;
import io.redwire.runtime.codec.Values;
import io.redwire.runtime.events.Channels;
import io.redwire.runtime.events.DeadLetters;
import io.redwire.runtime.events.SubscribeOptions;
import io.redwire.runtime.events.Subscription;
import io.redwire.runtime.pubsub.ShardedSubscriber;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.XAddParams;

/** Durable and pub/sub events on a three-master Redis Cluster, two instances in one consumer group. */
class EventClusterTest {

  static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  static RedisClusterClient client(int seed) {
    RedisServer node = cluster.nodes().get(seed % 3);
    return RedisClusterClient.builder().nodes(Set.of(new HostAndPort(node.host(), node.port()))).build();
  }

  @Test
  void durableEventsFlowThroughAGroupAndAChannelsKeysShareOneSlot() throws Exception {
    List<RedisClusterClient> clients = new ArrayList<>();
    List<Redwire> redwires = new ArrayList<>();
    List<Subscription> subs = new ArrayList<>();
    try {
      DurableEventsTest.Effects effects = new DurableEventsTest.Effects();
      CountingMetrics metrics = new CountingMetrics();
      for (int i = 0; i < 3; i++) {
        clients.add(client(i));
        redwires.add(Redwire.builder().client(clients.get(i)).namespace("cl").metrics(metrics).build());
      }
      for (int i = 0; i < 2; i++) {
        subs.add(RedwireInventory.subscribe(event -> effects.apply(event.orderId()), redwires.get(i),
            SubscribeOptions.DEFAULTS.consumer("node-" + i)));
      }
      Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwires.get(2));
      int n = 1_000;
      for (int i = 0; i < n; i++) {
        orders.place("o" + i, i);
      }
      Await.until(Duration.ofSeconds(30), () -> effects.distinct() == n, () -> effects.distinct() + " of " + n);
      assertEquals(n, effects.total.get());

      // an undecodable entry goes through the dead-letter script: stream and dead letters in one slot
      Redwire r = redwires.get(2);
      byte[] stream = Channels.stream(r, "orders");
      clients.get(2).xadd(stream, XAddParams.xAddParams(), DurableEventsTest.envelope("bad",
          Values.encode(0x99L, Codecs.STRING, "x")));
      DeadLetters<Orders.OrderPlaced> dead = RedwireInventory.deadLetters(r);
      Await.until(Duration.ofSeconds(10), () -> dead.count() == 1, () -> "dead letters " + dead.count());
      assertNull(dead.list(1).get(0).event());

      long slot = slot(stream);
      assertEquals(slot, slot(Channels.deadLetters(r, "orders", "inventory")));
      assertEquals(slot, slot(Channels.handled(r, "orders", "inventory")));
      // another channel lands elsewhere in general: its own tag
      assertEquals(slot(utf8("{orders}")), slot);
    } finally {
      subs.forEach(Subscription::close);
      redwires.forEach(Redwire::close);
      clients.forEach(RedisClusterClient::close);
    }
  }

  @Test
  void pubSubEventsReachAListenerOnAnotherNode() throws Exception {
    try (RedisClusterClient a = client(0); RedisClusterClient b = client(1);
        Redwire listener = Redwire.builder().client(a).namespace("cp").build();
        Redwire publisher = Redwire.builder().client(b).namespace("cp").build()) {
      BlockingQueue<Orders.OrderPlaced> received = new LinkedBlockingQueue<>();
      Subscription sub = RedwireFlash.subscribe(received::add, listener);
      Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), publisher);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Orders.OrderPlaced got = null;
      while (got == null && System.nanoTime() < deadline) {
        orders.flash(new Orders.OrderPlaced("cluster", 1));
        got = received.poll(20, TimeUnit.MILLISECONDS);
      }
      assertEquals("cluster", got == null ? null : got.orderId());
      byte[] channel = Channels.pubsub(listener, "flash");
      RedisServer owner = cluster.nodes().get((int) (slot(channel) * 3 / RedisCluster.SLOTS));
      String name = new String(channel, StandardCharsets.UTF_8);
      if (sharded()) {
        // SSUBSCRIBE on the master that owns the channel's slot, and nothing classic anywhere
        assertEquals(name, owner.command("PUBSUB", "SHARDCHANNELS").trim());
        assertEquals(List.of(owner.host() + ":" + owner.port()), ShardedSubscriber.of(listener).shards());
        for (RedisServer node : cluster.nodes()) {
          assertEquals("", node.command("PUBSUB", "CHANNELS", "*events*").trim(), "no classic subscription");
        }
      } else { // Redis 6.2: classic pub/sub, which the cluster forwards to every node
        assertEquals(List.of(), ShardedSubscriber.of(listener).shards());
      }
      sub.close();
    }
  }

  @Test
  void pubSubDeliveryResumesByItselfAfterTheMasterThatOwnsTheChannelRestarts() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    try (RedisClusterClient a = client(0); RedisClusterClient b = client(1);
        Redwire listener = Redwire.builder().client(a).namespace("cr").metrics(metrics).build();
        Redwire publisher = Redwire.builder().client(b).namespace("cr").build()) {
      BlockingQueue<Orders.OrderPlaced> received = new LinkedBlockingQueue<>();
      Subscription sub = RedwireFlash.subscribe(received::add, listener);
      Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), publisher);
      assertEquals("before", firstReceived(orders, received, "before", 10));

      byte[] channel = Channels.pubsub(listener, "flash");
      RedisServer owner = cluster.nodes().get((int) (slot(channel) * 3 / RedisCluster.SLOTS));
      owner.restart();
      cluster.awaitFormed();
      received.clear();
      // published until one arrives: the listener is subscribed again on the restarted master by itself
      assertEquals("after", firstReceived(orders, received, "after", 30));
      if (sharded()) { // (classic pub/sub is on a random node, not necessarily the one restarted)
        Await.until(Duration.ofSeconds(10), () -> metrics.count("eventListenerRecovered") >= 1,
            () -> "recovery reported: " + metrics.summary());
        Await.until(Duration.ofSeconds(10),
            () -> owner.command("PUBSUB", "SHARDCHANNELS").trim().equals(new String(channel, StandardCharsets.UTF_8)),
            () -> "subscribed on the restarted master");
      }
      sub.close();
    }
  }

  @Test
  void aShardedListenerFollowsItsChannelWhenTheSlotMovesToAnotherMaster() throws Exception {
    if (!sharded()) {
      return; // Redis 6.2: classic pub/sub, which every node forwards; nothing to follow
    }
    RedisServer seed = cluster.nodes().get(0);
    try (RedisClusterClient a = client(0); RedisClusterClient b = client(0);
        Redwire listener = Redwire.builder().client(a).namespace("mv").build();
        Redwire publisher = Redwire.builder().client(b).namespace("mv").build()) {
      BlockingQueue<Orders.OrderPlaced> received = new LinkedBlockingQueue<>();
      Subscription sub = RedwireFlash.subscribe(received::add, listener);
      Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), publisher);
      assertEquals("before", firstReceived(orders, received, "before", 10));
      String name = new String(Channels.pubsub(listener, "flash"), StandardCharsets.UTF_8);
      String slot = seed.command("CLUSTER", "KEYSLOT", name).trim();
      RedisServer source = null;
      for (RedisServer n : cluster.nodes()) {
        if (n.command("PUBSUB", "SHARDCHANNELS").contains(name)) {
          source = n;
        }
      }
      // the slot moves to the next master (it holds no keys): the server unsubscribes the channel, and
      // the listener's client still has the old owner in its slot cache
      RedisServer target = cluster.nodes().get((cluster.nodes().indexOf(source) + 1) % 3);
      String sourceId = source.command("CLUSTER", "MYID").trim();
      String targetId = target.command("CLUSTER", "MYID").trim();
      target.command("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
      source.command("CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
      for (RedisServer n : cluster.nodes()) {
        n.command("CLUSTER", "SETSLOT", slot, "NODE", targetId);
      }
      received.clear();
      assertEquals("after", firstReceived(orders, received, "after", 20), "listener shards "
          + ShardedSubscriber.of(listener).shards());
      assertEquals(name, target.command("PUBSUB", "SHARDCHANNELS").trim(), "subscribed where the slot is now");
      sub.close();
    }
  }

  @Test
  void closingRightAfterSubscribingLeavesNoShardThreadAndNoSubscription() {
    for (int i = 0; i < 10; i++) {
      try (RedisClusterClient client = client(i)) {
        Redwire r = Redwire.builder().client(client).namespace("leak" + i).build();
        RedwireFlash.subscribe(e -> {}, r);
        r.close();
      }
    }
    Await.until(Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("redwire-spubsub-")), () -> "sharded threads alive");
    String list = sharded() ? "SHARDCHANNELS" : "CHANNELS"; // Redis 6.2: the classic subscriber
    Await.until(Duration.ofSeconds(10), () -> cluster.nodes().stream()
        .allMatch(n -> !n.command("PUBSUB", list).contains("leak")), () -> "subscriptions left");
  }

  /** Publishes {@code id} every 20 ms until the listener receives it (or the time runs out). */
  static String firstReceived(Orders orders, BlockingQueue<Orders.OrderPlaced> received, String id, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      orders.flash(new Orders.OrderPlaced(id, 1));
      Orders.OrderPlaced got = received.poll(20, TimeUnit.MILLISECONDS);
      if (got != null && got.orderId().equals(id)) {
        return id;
      }
    }
    return null;
  }

  /** Whether the cluster's servers have sharded pub/sub (Redis 7.0+, Valkey). */
  static boolean sharded() {
    String reply = cluster.nodes().get(0).command("COMMAND", "INFO", "SSUBSCRIBE");
    return reply.contains("ssubscribe");
  }

  @Test
  void durableDeliveryResumesByItselfAfterTheMasterOfTheChannelIsRestarted() {
    List<RedisClusterClient> clients = new ArrayList<>();
    List<Redwire> redwires = new ArrayList<>();
    Subscription sub = null;
    try {
      DurableEventsTest.Effects effects = new DurableEventsTest.Effects();
      CountingMetrics metrics = new CountingMetrics();
      for (int i = 0; i < 2; i++) {
        clients.add(client(i + 1));
        redwires.add(Redwire.builder().client(clients.get(i)).namespace("rs").metrics(metrics).build());
      }
      sub = RedwireInventory.subscribe(event -> effects.apply(event.orderId()), redwires.get(0));
      Orders orders = RedwireOrders.wrap(new PlacedOrdersForTests(), redwires.get(1));
      for (int i = 0; i < 100; i++) {
        orders.place("a" + i, i);
      }
      Await.until(Duration.ofSeconds(20), () -> effects.distinct() == 100, () -> effects.distinct() + " of 100");

      // the master that holds the channel's slot restarts (no persistence: the stream and group are gone)
      long slot = slot(Channels.stream(redwires.get(0), "orders"));
      RedisServer master = cluster.nodes().get((int) (slot * 3 / RedisCluster.SLOTS));
      master.restart();
      for (int i = 0; i < 100; i++) {
        orders.place("b" + i, i); // into the stream, or the outbox while the master is away
      }
      cluster.awaitFormed();
      Await.until(Duration.ofSeconds(60), () -> effects.distinct() == 200, () -> effects.distinct() + " of 200");
      assertEquals(200, effects.total.get());
      assertEquals(200, metrics.count("eventPublished", "orders"));
    } finally {
      if (sub != null) {
        sub.close();
      }
      redwires.forEach(Redwire::close);
      clients.forEach(RedisClusterClient::close);
    }
  }

  static long slot(byte[] key) {
    return Long.parseLong(cluster.nodes().get(0).command("CLUSTER", "KEYSLOT",
        new String(key, StandardCharsets.UTF_8)));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
