package io.redwire.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class RedwireTest {

  static RedisServer server;
  static RedisClient client;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    client = RedisClient.create(server.host(), server.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  private static Redwire.Builder builder() {
    return Redwire.builder().client(client);
  }

  @Test
  void validatesTheNamespaceNamingTheBadCharacter() {
    assertEquals("shop-prod_1.eu", builder().namespace("shop-prod_1.eu").build().namespace());
    assertEquals("ünïcødé", builder().namespace("ünïcødé").build().namespace());
    String[][] cases = {
      {"a:b", "':' (U+003A at index 1)"},
      {"{tag}", "'{' (U+007B at index 0)"},
      {"tag}", "'}' (U+007D at index 3)"},
      {"50%", "'%' (U+0025 at index 2)"},
      {"a b", "whitespace (U+0020 at index 1)"},
      {"a\tb", "whitespace (U+0009 at index 1)"},
      {"a\nb", "whitespace (U+000A at index 1)"},
      {"a\u0007", "a control character (U+0007 at index 1)"},
      {"a\u00a0b", "whitespace (U+00A0 at index 1)"},
      {"a\u2003b", "whitespace (U+2003 at index 1)"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> builder().namespace(c[0]));
      assertEquals("namespace \"" + c[0] + "\" must not contain " + c[1], e.getMessage());
    }
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> builder().namespace(""));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder().namespace(null));
  }

  @Test
  void prefixIsNamespaceKindName() {
    Redwire redwire = builder().namespace("shop").build();
    assertArrayEquals(
        "shop:cache:product:".getBytes(StandardCharsets.UTF_8), redwire.prefix("cache", "product"));
    assertArrayEquals(
        "redwire:lock:jöb:".getBytes(StandardCharsets.UTF_8),
        builder().build().prefix("lock", "jöb"));
    IllegalArgumentException kind =
        assertThrows(IllegalArgumentException.class, () -> redwire.prefix("ca:che", "product"));
    assertTrue(kind.getMessage().startsWith("kind \"ca:che\" must not contain ':'"), kind.getMessage());
    IllegalArgumentException name =
        assertThrows(IllegalArgumentException.class, () -> redwire.prefix("cache", "{p}"));
    assertTrue(name.getMessage().startsWith("name \"{p}\" must not contain '{'"), name.getMessage());
    assertThrows(IllegalArgumentException.class, () -> redwire.prefix("", "x"));
  }

  @Test
  void operatorOverridesWinOverCompiledValues() {
    Redwire redwire =
        builder()
            .ttl("product", Duration.ofMinutes(2))
            .limit("api", 5, Duration.ofSeconds(1))
            .lease("nightly", Duration.ofMinutes(30))
            .build();
    Duration compiled = Duration.ofMinutes(10);
    assertEquals(Duration.ofMinutes(2), redwire.ttl("product", compiled));
    assertSame(compiled, redwire.ttl("other", compiled));
    Limit compiledLimit = new Limit(100, Duration.ofMinutes(1));
    assertEquals(new Limit(5, Duration.ofSeconds(1)), redwire.limit("api", compiledLimit));
    assertSame(compiledLimit, redwire.limit("other", compiledLimit));
    assertEquals(Duration.ofMinutes(30), redwire.lease("nightly", compiled));
    assertSame(compiled, redwire.lease("product", compiled), "ttl and lease are separate");
  }

  @Test
  void rejectsInvalidOverrides() {
    Redwire.Builder b = builder();
    assertThrows(IllegalArgumentException.class, () -> b.ttl("p", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.ttl("p", Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> b.ttl("p", null));
    assertThrows(IllegalArgumentException.class, () -> b.ttl("a:b", Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> b.lease("p", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.limit("p", 0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> b.limit("p", 1, Duration.ZERO));
    assertThrows(NullPointerException.class, () -> b.metrics(null));
  }

  @Test
  void claimsShareOnPurposeAcrossInterfacesAndKinds() {
    try (Redwire redwire = builder().build()) {
      // A's method is cached and locked under its default name; B shares the cache on purpose
      redwire.claim("cache", "Catalog.product", "A", "value=P#1;key=long");
      redwire.claim("lock", "Catalog.product", "A", "key=long");
      redwire.claim("cache", "Catalog.product", "B", "value=P#1;key=long");
      redwire.claim("lock", "Catalog.product", "C", "key=long");
      // the same, in the other order
      redwire.claim("cache", "p", "B", "value=P#1;key=long");
      redwire.claim("cache", "p", "A", "value=P#1;key=long");
      redwire.claim("lock", "p", "A", "key=long");
      redwire.claim("cache", "p", "A", "value=P#1;key=long"); // a second wrap of A
      // one kind with two shapes
      IllegalStateException shape = assertThrows(IllegalStateException.class,
          () -> redwire.claim("cache", "p", "D", "value=Q#2;key=long"));
      assertTrue(shape.getMessage().contains("used by B as a cache") && shape.getMessage().contains("by D"),
          shape.getMessage());
      // a name another interface uses only as other kinds
      IllegalStateException kind = assertThrows(IllegalStateException.class,
          () -> redwire.claim("rate-limit", "p", "E", "algorithm=GCRA;key=long"));
      assertTrue(kind.getMessage().contains("by E as a rate-limit"), kind.getMessage());
      redwire.claim("rate-limit", "p", "A", "algorithm=GCRA;key=long"); // A itself may
    }
  }

  @Test
  void renewalSchedulerIsLazyDaemonNamedAndStoppedOnClose() throws Exception {
    Redwire redwire = builder().build();
    ScheduledExecutorService renewals = redwire.renewals();
    assertSame(renewals, redwire.renewals());
    Thread thread = renewals.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
    assertTrue(thread.isDaemon());
    assertTrue(thread.getName().startsWith("redwire-renewal-"), thread.getName());
    redwire.close();
    assertTrue(renewals.isShutdown());
    assertTrue(renewals.awaitTermination(5, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, redwire::renewals);
  }

  @Test
  void workersAreBoundedDaemonsSeparateFromRenewals() throws Exception {
    Redwire redwire = builder().build();
    java.util.concurrent.CompletableFuture<Thread> ran = new java.util.concurrent.CompletableFuture<>();
    redwire.workers().execute(() -> ran.complete(Thread.currentThread()));
    Thread thread = ran.get(5, TimeUnit.SECONDS);
    assertTrue(thread.isDaemon());
    assertTrue(thread.getName().startsWith("redwire-worker-"), thread.getName());
    // a full pool refuses instead of queueing without bound
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> {
      for (int i = 0; i < 2000; i++) {
        redwire.workers().execute(() -> {
          try {
            hold.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
    });
    hold.countDown();
    redwire.close();
    assertThrows(IllegalStateException.class, redwire::workers);
  }

  @Test
  void closesRegisteredResourcesInReverseOrderAndSwallowsTheirErrors() {
    List<String> closed = new CopyOnWriteArrayList<>();
    Redwire redwire = builder().build();
    redwire.onClose(() -> closed.add("first"));
    redwire.onClose(
        () -> {
          closed.add("failing");
          throw new IllegalStateException("boom (expected by the test)");
        });
    redwire.onClose(() -> closed.add("last"));
    redwire.close();
    assertEquals(List.of("last", "failing", "first"), closed);
    redwire.close();
    assertEquals(3, closed.size(), "close is idempotent");
    redwire.onClose(() -> closed.add("late"));
    assertEquals("late", closed.get(3), "registered after close: closed at once");
    assertEquals("PONG", client.ping(), "a client we were given stays open");
  }

  @Test
  void closeFromABackgroundThreadDoesNotDeadlock() throws Exception {
    Redwire redwire = builder().build();
    redwire.renewals().submit(redwire::close).get(5, TimeUnit.SECONDS);
    assertTrue(redwire.isClosed());
  }

  @Test
  void usesTheConfiguredMetrics() {
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = builder().metrics(metrics).build();
    assertSame(metrics, redwire.metrics());
    assertTrue(redwire.toString().contains("namespace=redwire"), redwire.toString());
  }

  @Test
  void startupCheckReadsTheEvictionPolicy() {
    server.command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
    try (Redwire r = builder().build()) {
      assertEquals("allkeys-lru", r.checkEvictionPolicy());
    } finally {
      server.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
    }
    try (Redwire r = builder().build()) {
      assertEquals("noeviction", r.checkEvictionPolicy());
    }
  }

  @Test
  void startupCheckToleratesAnUnreachableServer() {
    try (Redwire r = Redwire.builder().uri("redis://127.0.0.1:1").build()) {
      assertNull(r.checkEvictionPolicy());
    }
  }
}
