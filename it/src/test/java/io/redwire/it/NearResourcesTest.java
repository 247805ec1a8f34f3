package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redwire.it.near.NearShop;
import io.redwire.it.near.RedwireNearShop;
import io.redwire.it.near.RedwireTrio;
import io.redwire.it.near.Trio;
import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;

/** What near caches take from the application's client. */
class NearResourcesTest {

  static RedisServer server;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  static int nearConnections() {
    String list = String.valueOf(server.command("CLIENT", "LIST"));
    int n = 0;
    for (String line : list.split("\n")) {
      if (line.contains("name=redwire-near ")) {
        n++;
      }
    }
    return n;
  }

  /**
   * A tracking connection is held for as long as the near cache lives: taken from the user's pool it
   * would never come back, and as many near caches as the pool has connections leave nothing for
   * anything else (Jedis' default pool has 8; Redwire's own from a URI 32).
   */
  @Test
  void nearCachesDoNotHoldTheConnectionsOfTheClientsPool() {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(3);
    pool.setMaxIdle(3);
    pool.setMaxWait(Duration.ofSeconds(1));
    try (RedisClient data = RedisClient.builder().hostAndPort(server.host(), server.port()).poolConfig(pool)
        .build()) {
      CountingMetrics m = new CountingMetrics();
      Redwire redwire = Redwire.builder().client(data).namespace("nearpool").metrics(m).build();
      try {
        Trio trio = RedwireTrio.wrap(new Trio() {
          @Override
          public String a(String id) {
            return "a" + id;
          }

          @Override
          public String b(String id) {
            return "b" + id;
          }

          @Override
          public String c(String id) {
            return "c" + id;
          }
        }, redwire);
        trio.a("1");
        trio.b("1");
        trio.c("1");
        Await.until(Duration.ofSeconds(10), () -> nearConnections() == 3,
            () -> "tracking connections: " + server.command("CLIENT", "LIST"));
        // the application's own commands (and Redwire's) still get a connection
        data.set("nearpool:plain", "x");
        assertEquals("x", data.get("nearpool:plain"));
        Await.until(Duration.ofSeconds(10), () -> {
          trio.a("2");
          return m.count("nearHit", "Trio.a") > 0;
        }, m::summary);
        assertEquals(0, m.count("redisError", "Trio.a"), m.summary());
      } finally {
        redwire.close();
      }
      Await.until(Duration.ofSeconds(10), () -> nearConnections() == 0,
          () -> "tracking connections after close: " + server.command("CLIENT", "LIST"));
      assertEquals("x", data.get("nearpool:plain"));
    }
  }

  /** A FLUSHDB by another client: tracking sends a null invalidation, which must empty the near cache. */
  @Test
  void aFlushByAnotherClientEmptiesTheNearCache() {
    AtomicLong version = new AtomicLong();
    CountingMetrics m = new CountingMetrics();
    try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("nearflush").metrics(m).build()) {
      NearShop shop = RedwireNearShop.wrap(new NearShop() {
        @Override
        public Item item(long id) {
          return new Item(id, "v" + version.get());
        }

        @Override
        public Item save(Item i) {
          return i;
        }

        @Override
        public void delete(long id) {}

        @Override
        public void clearAll() {}
      }, redwire);
      Await.until(Duration.ofSeconds(10), () -> {
        shop.item(1);
        return m.count("nearHit", "NearShop.item") > 0;
      }, m::summary);
      assertEquals("v0", shop.item(1).name());
      version.set(1);
      long clears = m.count("nearClear", "NearShop.item");
      server.command("FLUSHDB");
      Await.until(Duration.ofSeconds(2), () -> "v1".equals(shop.item(1).name()),
          () -> "still " + shop.item(1) + " after FLUSHDB; " + m.summary());
      System.out.println("near clears before/after the flush: " + clears + "/" + m.count("nearClear", "NearShop.item"));
    }
  }

  /**
   * An ACL user that may not run CLIENT (a common least-privilege setup: +@read +@write +@pubsub, or
   * -client) cannot have tracking: the near cache falls back to Redwire's own messages and serves,
   * rather than retrying the tracking connection forever while bypassing itself.
   */
  @Test
  void aUserWithoutTheClientCommandStillGetsANearCache() {
    server.command("ACL", "SETUSER", "noclient", "on", ">pw", "~*", "&*", "+@all", "-client");
    CountingMetrics m = new CountingMetrics();
    String uri = "redis://noclient:pw@" + server.host() + ":" + server.port();
    try (Redwire redwire = Redwire.builder().uri(uri).namespace("nearacl").metrics(m).build()) {
      Trio trio = RedwireTrio.wrap(new Trio() {
        @Override
        public String a(String id) {
          return "a" + id;
        }

        @Override
        public String b(String id) {
          return "b" + id;
        }

        @Override
        public String c(String id) {
          return "c" + id;
        }
      }, redwire);
      Await.until(Duration.ofSeconds(10), () -> {
        trio.a("1");
        return m.count("nearHit", "Trio.a") > 0;
      }, m::summary);
    } finally {
      server.command("ACL", "DELUSER", "noclient");
    }
  }
}
