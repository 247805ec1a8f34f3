package io.redwire.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.testing.Await;
import io.redwire.testing.CommandCounter;
import io.redwire.testing.RedisServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

class RedwireConnectTest {

  static RedisServer open;
  static RedisServer secured;

  @BeforeAll
  static void startServers() {
    open = RedisServer.start();
    secured = RedisServer.start("--requirepass", "secret");
    // ACL user whose password needs percent-encoding in a URI
    secured.command("ACL", "SETUSER", "alice", "on", ">p@ss:w/rd", "~*", "+@all");
  }

  @AfterAll
  static void stopServers() {
    open.close();
    secured.close();
  }

  @Test
  void aRedwireFromAUriServesMoreConcurrentCallersThanJedisDefaultPoolOf8() throws Exception {
    try (CommandCounter counter = new CommandCounter(open.port());
        Redwire redwire = Redwire.connect(counter.uri() + "?socketTimeout=10s")) {
      counter.hold(c -> c.get(0).equalsIgnoreCase("GET"));
      ExecutorService callers = Executors.newFixedThreadPool(40);
      try {
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          calls.add(callers.submit(() -> redwire.client().get("pool:k")));
        }
        // each held GET is a connection in use: 32 at once, the other 8 callers wait for one
        Await.until(Duration.ofSeconds(10), () -> counter.holding() == Redwire.MAX_CONNECTIONS,
            () -> counter.holding() + " GETs in flight at once");
        counter.release();
        for (Future<String> f : calls) {
          assertEquals(null, f.get(10, TimeUnit.SECONDS));
        }
      } finally {
        counter.release();
        callers.shutdownNow();
      }
    }
  }

  @Test
  void connectsWithoutPassword() {
    try (Redwire redwire = Redwire.connect(open.uri())) {
      assertEquals("PONG", redwire.client().ping());
      redwire.client().set("connect:k", "v");
      assertEquals("v", open.command("GET", "connect:k"));
      assertFalse(redwire.isCluster());
      assertEquals("redwire", redwire.namespace());
      assertSame(RedwireMetrics.NONE, redwire.metrics());
    } finally {
      open.command("DEL", "connect:k");
    }
  }

  @Test
  void selectsTheDatabaseFromThePath() {
    try (Redwire redwire = Redwire.connect(open.uri() + "/3")) {
      redwire.client().set("db:k", "v");
      assertTrue(open.command("INFO", "keyspace").contains("db3:keys=1"));
      assertNull(open.command("GET", "db:k"), "not in db 0");
    } finally {
      open.command("FLUSHALL");
    }
  }

  @Test
  void authenticatesWithPassword() {
    String hostPort = "127.0.0.1:" + secured.port();
    try (Redwire redwire = Redwire.connect("redis://:secret@" + hostPort)) {
      assertEquals("PONG", redwire.client().ping());
    }
    try (Redwire redwire = Redwire.connect("redis://secret@" + hostPort)) {
      assertEquals("PONG", redwire.client().ping(), "a lone user info is the password");
    }
  }

  // ------------------------------------------------------------------ errors no retry can fix

  /** Connects, expecting a failure at once; returns its message, checked for the password. */
  static String refused(String uri, String secret) {
    long started = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Redwire.connect(uri));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(ms < 1500, "failed after " + ms + " ms");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(secret), t.getMessage());
    }
    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void aWrongPasswordFailsConnectNamingTheCauseButNeverThePassword() {
    String hostPort = "127.0.0.1:" + secured.port();
    String m = refused("redis://:hunter2@" + hostPort, "hunter2");
    assertTrue(m.contains("WRONGPASS") && m.contains("password"), m);
    m = refused("redis://alice:hunter2@" + hostPort + "/0", "hunter2");
    assertTrue(m.contains("WRONGPASS") && m.contains("alice"), m);
    m = refused("redis://nobody:hunter2@" + hostPort, "hunter2");
    assertTrue(m.contains("WRONGPASS"), m);
  }

  @Test
  void aMissingPasswordFailsConnect() {
    String m = refused("redis://127.0.0.1:" + secured.port(), "secret");
    assertTrue(m.contains("NOAUTH") && m.contains("requires a password"), m);
  }

  @Test
  void anUnknownDatabaseFailsConnect() {
    String m = refused(open.uri() + "/99", "never");
    assertTrue(m.contains("DB index is out of range") && m.contains("database"), m);
    m = refused("redis://:secret@127.0.0.1:" + secured.port() + "/99", "secret");
    assertTrue(m.contains("DB index is out of range"), m);
  }

  @Test
  void aFailingTlsHandshakeFailsConnect() {
    // rediss:// to a server that speaks plain RESP
    String m = refused("rediss://:hunter2@127.0.0.1:" + open.port(), "hunter2");
    assertTrue(m.contains("TLS handshake"), m);
  }

  // ------------------------------------------------------------------ down or silent: fail open

  @Test
  void aServerThatIsDownDoesNotFailConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    } // closed: connections to the port are refused
    long started = System.nanoTime();
    try (Redwire redwire = Redwire.connect("redis://:pw@127.0.0.1:" + port)) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(ms < 2000, "returned after " + ms + " ms");
      assertFalse(redwire.isClosed());
      assertThrows(JedisException.class, () -> redwire.client().ping());
    }
  }

  @Test
  void aServerThatNeverAnswersDoesNotFailConnectAndCostsAtMostTheConnectTimeout() throws Exception {
    // accepts connections (the kernel completes them) and never says a word
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String uri = "redis://127.0.0.1:" + silent.getLocalPort();
      long ms = timeMillis(() -> Redwire.connect(uri + "?connectTimeout=300ms").close());
      assertTrue(ms >= 250 && ms < 1500, "the URI's 300 ms: returned after " + ms + " ms");
      ms = timeMillis(() -> Redwire.builder().uri(uri + "?connectTimeout=10s")
          .connectTimeout(Duration.ofMillis(300)).build().close());
      assertTrue(ms >= 250 && ms < 1500, "the builder's 300 ms wins: returned after " + ms + " ms");
      ms = timeMillis(() -> Redwire.connect(uri).close());
      assertTrue(ms >= 1800 && ms < 4000, "the default 2 s: returned after " + ms + " ms");
    }
  }

  @Test
  void aFrozenServerDoesNotFailConnectNorMakeTheEvictionCheckSlow() {
    RedisServer frozen = RedisServer.start();
    try {
      frozen.freeze();
      long ms = timeMillis(() -> {
        try (Redwire redwire = Redwire.builder().uri(frozen.uri())
            .connectTimeout(Duration.ofMillis(400)).socketTimeout(Duration.ofMillis(400)).build()) {
          long cmd = timeMillis(() -> assertThrows(JedisException.class, () -> redwire.client().ping()));
          assertTrue(cmd < 2000, "a command waited " + cmd + " ms for the 400 ms socket timeout");
        }
      });
      assertTrue(ms < 3000, "connect, one command and close took " + ms + " ms");
      // a client of the user's: the start-up check is bounded by the connect timeout as well
      try (RedisClient mine = RedisClient.builder().hostAndPort(frozen.host(), frozen.port())
          .clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(10_000)
              .protocol(redis.clients.jedis.RedisProtocol.RESP3).build()).build()) { // no I/O while built
        ms = timeMillis(() -> Redwire.builder().client(mine).connectTimeout(Duration.ofMillis(300)).build());
        assertTrue(ms < 1500, "the check of a given client took " + ms + " ms");
      }
      frozen.thaw();
      try (Redwire redwire = Redwire.connect(frozen.uri())) {
        assertEquals("PONG", redwire.client().ping(), "works once the server answers");
      }
    } finally {
      frozen.close();
    }
  }

  @Test
  void timeoutsComeFromTheUriAndTheBuilder() {
    DefaultJedisClientConfig c = Redwire.clientConfig(
        RedisUri.parse("redis://:pw@h:1/2?connectTimeout=500ms&socketTimeout=3s"));
    assertEquals(500, c.getConnectionTimeoutMillis());
    assertEquals(3000, c.getSocketTimeoutMillis());
    assertEquals(2, c.getDatabase());
    RedisUri u = RedisUri.parse("redis://h?socketTimeout=PT1M&connectTimeout=250");
    assertEquals(Duration.ofMinutes(1), u.socketTimeout());
    assertEquals(Duration.ofMillis(250), u.connectTimeout());
    assertEquals("redis://h:6379/0?connectTimeout=250ms&socketTimeout=60000ms", u.toString());
    for (String bad : new String[] {
        "redis://u:hunter2@h:1?timeout=1s", "redis://u:hunter2@h:1?connectTimeout=fast",
        "redis://u:hunter2@h:1?socketTimeout=-1s", "redis://u:hunter2@h:1?connectTimeout=0"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Redwire.connect(bad));
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
      assertTrue(e.getMessage().contains("Timeout") || e.getMessage().contains("timeout"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Redwire.builder().connectTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Redwire.builder().socketTimeout(Duration.ofMillis(-1)));
  }

  @Test
  void thePubSubHealthCheckIsConfigurable() {
    try (Redwire defaults = Redwire.builder().uri(open.uri()).build();
        Redwire tuned = Redwire.builder().uri(open.uri())
            .pubSubHealthCheck(Duration.ofMillis(200), Duration.ofMillis(700)).build()) {
      assertEquals(Duration.ofSeconds(1), defaults.pubSubPingInterval());
      assertEquals(Duration.ofSeconds(3), defaults.pubSubPongTimeout());
      assertEquals(Duration.ofMillis(200), tuned.pubSubPingInterval());
      assertEquals(Duration.ofMillis(700), tuned.pubSubPongTimeout());
    }
    assertThrows(IllegalArgumentException.class,
        () -> Redwire.builder().pubSubHealthCheck(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> Redwire.builder().pubSubHealthCheck(Duration.ZERO, Duration.ofSeconds(1)));
  }

  static long timeMillis(Runnable r) {
    long started = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  @Test
  void authenticatesAnAclUser() {
    String uri = "redis://alice:p%40ss%3Aw%2Frd@127.0.0.1:" + secured.port() + "/0";
    try (Redwire redwire = Redwire.connect(uri)) {
      Object whoami = redwire.client().sendCommand(Protocol.Command.ACL, "WHOAMI");
      assertEquals("alice", new String((byte[]) whoami, StandardCharsets.UTF_8));
    }
  }

  @Test
  void rejectsOtherSchemesNamingThemButNeverThePassword() {
    for (String uri :
        new String[] {
          "http://user:hunter2@127.0.0.1:1",
          "redis-sentinel://user:hunter2@127.0.0.1:1",
          "unix:///tmp/redis.sock",
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Redwire.connect(uri));
      String scheme = uri.substring(0, uri.indexOf("://"));
      assertTrue(e.getMessage().contains("'" + scheme + "'"), e.getMessage());
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
    IllegalArgumentException noScheme =
        assertThrows(IllegalArgumentException.class, () -> Redwire.connect("hunter2@localhost:1"));
    assertFalse(noScheme.getMessage().contains("hunter2"), noScheme.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Redwire.connect(""));
  }

  @Test
  void malformedUrisNeverEchoThePassword() {
    for (String uri :
        new String[] {
          "redis://u:hunter2@127.0.0.1:notaport",
          "redis://u:hunter2@127.0.0.1:1/notadb",
          "redis://u:hun/ter2@127.0.0.1:1",
          "redis://u:hunter2@127.0.0.1:1/0?ssl=true",
          "redis://u:hunter2@127.0.0.1:1/0#frag",
          "redis://u:hunter 2@127.0.0.1:1",
          "redis://u:hunter2@",
          "redis://u:hunter2@127.0.0.1:70000",
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RedisUri.parse(uri), uri);
      assertFalse(e.getMessage().contains("hunter"), e.getMessage());
    }
  }

  @Test
  void parsesUris() {
    RedisUri plain = RedisUri.parse("redis://localhost");
    assertEquals(new RedisUri(false, "localhost", 6379, null, null, 0), plain);
    assertEquals(
        new RedisUri(true, "cache.internal", 6380, "app", "s3cr:et", 2),
        RedisUri.parse("REDISS://app:s3cr%3Aet@cache.internal:6380/2"));
    assertEquals(
        new RedisUri(false, "redis_cache", 7000, null, "pw", 0),
        RedisUri.parse("redis://:pw@redis_cache:7000"));
    assertEquals(
        new RedisUri(false, "redis_cache", 6379, "app", "p@ss:wörd", 0),
        RedisUri.parse("redis://app:p%40ss%3Aw%C3%B6rd@redis_cache"));
    assertEquals(
        new RedisUri(false, "::1", 6379, null, null, 1), RedisUri.parse("redis://[::1]/1"));
    String shown = RedisUri.parse("redis://app:s3cret@h:1/0").toString();
    assertFalse(shown.contains("s3cret"), shown);
    assertEquals("redis://app:***@h:1/0", shown);
  }

  @Test
  void redissTurnsOnTls() {
    DefaultJedisClientConfig tls =
        Redwire.clientConfig(RedisUri.parse("rediss://u:p@example.com:6380/4"));
    assertTrue(tls.isSsl());
    assertEquals("u", tls.getUser());
    assertEquals("p", tls.getPassword());
    assertEquals(4, tls.getDatabase());
    assertEquals(2000, tls.getConnectionTimeoutMillis());
    assertEquals(2000, tls.getSocketTimeoutMillis());
    assertFalse(Redwire.clientConfig(RedisUri.parse("redis://h")).isSsl());
  }

  @Test
  void closesTheClientItOwnsButNotOneItWasGiven() {
    Redwire owning = Redwire.connect(open.uri());
    assertEquals("PONG", owning.client().ping());
    owning.close();
    owning.close(); // idempotent
    assertTrue(owning.isClosed());
    assertThrows(RuntimeException.class, () -> owning.client().ping());

    try (RedisClient mine = RedisClient.create(open.host(), open.port())) {
      Redwire borrowing = Redwire.builder().client(mine).build();
      assertSame(mine, borrowing.client());
      borrowing.close();
      assertEquals("PONG", mine.ping());
    }
  }

  @Test
  void buildRequiresExactlyOneOfClientAndUri() {
    IllegalStateException neither =
        assertThrows(IllegalStateException.class, () -> Redwire.builder().build());
    assertTrue(neither.getMessage().contains("neither"), neither.getMessage());
    try (RedisClient mine = RedisClient.create(open.host(), open.port())) {
      IllegalStateException both =
          assertThrows(
              IllegalStateException.class,
              () -> Redwire.builder().client(mine).uri(open.uri()).build());
      assertTrue(both.getMessage().contains("both"), both.getMessage());
    }
  }
}
