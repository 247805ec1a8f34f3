package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The safety-net re-read of a cache's generation while the announcement channel is down (a
 * clear-all whose announcement this instance missed) must still happen about once a second: it is the
 * once-a-second tick on renewals() that marks it due now.
 */
class GenerationSafetyNetTest {
  static RedisServer server;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aMissedClearAllIsPickedUpWithinSecondsWhilePubSubIsDown() throws Exception {
    try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("gen").build()) {
      CountingCatalog delegate = new CountingCatalog();
      Catalog catalog = RedwireCatalog.wrap(delegate, redwire);
      for (int i = 0; i < 10; i++) {
        catalog.product(1);
        Thread.sleep(100);
      }
      assertTrue(delegate.calls("product") == 1, "cached: " + delegate.calls("product"));
      try {
        try {
          server.command("ACL", "SETUSER", "default", "-subscribe", "-psubscribe", "-ssubscribe");
        } catch (RedisServer.ErrorReply noShardedPubSub) { // Redis 6.2 has no SSUBSCRIBE
          server.command("ACL", "SETUSER", "default", "-subscribe", "-psubscribe");
        }
        server.command("CLIENT", "KILL", "TYPE", "pubsub");
        Thread.sleep(300);
        String key = server.command("KEYS", "gen:c:*generation").split("\n")[0];
        server.command("SET", key, "missedclear"); // a clear-all whose announcement was missed
        long start = System.nanoTime();
        long seenAfter = -1;
        while (System.nanoTime() - start < 6_000_000_000L) {
          catalog.product(1);
          if (delegate.calls("product") > 1) {
            seenAfter = (System.nanoTime() - start) / 1_000_000;
            break;
          }
          Thread.sleep(20);
        }
        System.out.println("missed clear-all picked up after " + seenAfter + " ms");
        assertTrue(seenAfter >= 0 && seenAfter < 3_000, "re-read within ~2 s, got " + seenAfter);
      } finally {
        server.command("ACL", "SETUSER", "default", "+@all");
      }
    }
  }
}
