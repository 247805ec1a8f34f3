package io.redwire.runtime.pubsub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The shared pub/sub connection's health check, against a real redis-server that is frozen (SIGSTOP). */
class SubscriberHealthTest {

  /**
   * The health check fires while the connection is still being opened (the server is frozen, so the
   * handshake waits for its socket timeout, longer than the pong timeout). It must not give up on that
   * session: once the server answers and later freezes again, the silent connection is still noticed.
   */
  @Test
  void aCheckThatFiresWhileTheConnectionOpensStillWatchesItAfterwards() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      server.freeze();
      try (Redwire redwire = Redwire.builder().uri(server.uri())
          .socketTimeout(Duration.ofSeconds(3))
          .pubSubHealthCheck(Duration.ofMillis(200), Duration.ofMillis(500))
          .startupCheck(false)
          .build()) {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger inactive = new AtomicInteger();
        subscribeCounting(redwire, "health", active, inactive);
        long frozenUntil = System.nanoTime() + Duration.ofMillis(1200).toNanos();
        while (System.nanoTime() < frozenUntil) {
          Thread.onSpinWait(); // the fault lasts longer than the pong timeout while the connection opens
        }
        server.thaw();
        await(() -> active.get() >= 1, Duration.ofSeconds(15), "subscribed once the server answers");
        int before = inactive.get();
        server.freeze();
        long frozenAt = System.nanoTime();
        await(() -> inactive.get() > before, Duration.ofSeconds(5),
            "a connection that went silent is noticed within the pong timeout plus an interval");
        long ms = Duration.ofNanos(System.nanoTime() - frozenAt).toMillis();
        assertTrue(ms < 3000, "noticed after " + ms + " ms");
        server.thaw();
        int activeBefore = active.get();
        await(() -> active.get() > activeBefore, Duration.ofSeconds(15), "subscribed again after the thaw");
      } finally {
        server.thaw();
      }
    }
  }

  /**
   * On a client given to Redwire, the subscription's connection is made by the client's factory, outside
   * its pool: with Jedis' default pool of 8, a pooled one would leave 7 for 8 request threads, which
   * would then park on every command (0.82x the throughput of the same client without Redwire at 8
   * threads in CacheInterleaved).
   */
  @Test
  void theSubscriptionTakesNoConnectionFromAGivenClientsPool() throws Exception {
    try (RedisServer server = RedisServer.start();
        redis.clients.jedis.RedisClient client = redis.clients.jedis.RedisClient.create(server.host(), server.port());
        Redwire redwire = Redwire.builder().client(client).build()) {
      AtomicInteger active = new AtomicInteger();
      subscribeCounting(redwire, "pool", active, new AtomicInteger());
      await(() -> active.get() >= 1, Duration.ofSeconds(10), "subscribed");
      assertTrue(client.getPool().getNumActive() == 0,
          "connections borrowed from the client's pool while subscribed: " + client.getPool().getNumActive());
      client.set("k", "v"); // the pool still serves
      assertTrue("v".equals(client.get("k")));
    }
  }

  /** Subscribes to {@code channel} with a listener that counts its confirmations and its drops. */
  private static void subscribeCounting(Redwire redwire, String channel, AtomicInteger active,
      AtomicInteger inactive) {
    Subscriber.of(redwire).subscribe(channel.getBytes(StandardCharsets.UTF_8), new Subscriber.Listener() {
      @Override
      public void onMessage(byte[] ch, byte[] message) {}

      @Override
      public void onActive() {
        active.incrementAndGet();
      }

      @Override
      public void onInactive() {
        inactive.incrementAndGet();
      }
    });
  }

  private static void await(BooleanSupplier condition, Duration bound, String what) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out: " + what);
      Thread.sleep(10); // polling for a condition
    }
  }
}
