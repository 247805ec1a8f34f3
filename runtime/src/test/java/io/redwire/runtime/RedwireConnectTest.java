package io.redwire.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
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
    try (Redwire redwire = Redwire.connect("redis://" + hostPort)) {
      JedisException e = assertThrows(JedisException.class, () -> redwire.client().ping());
      assertTrue(e.getMessage().contains("NOAUTH"), e.getMessage());
    }
    try (Redwire redwire = Redwire.connect("redis://:wrong@" + hostPort)) {
      assertThrows(JedisException.class, () -> redwire.client().ping());
    }
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
