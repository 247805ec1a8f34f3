package io.redwire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisServerTest {

  @Test
  void startsAnswersAndStops() {
    RedisServer server = RedisServer.start();
    try {
      assertTrue(server.isRunning());
      assertNotEquals(6379, server.port());
      assertEquals("127.0.0.1", server.host());
      assertEquals("redis://127.0.0.1:" + server.port(), server.uri());
      assertEquals("PONG", server.command("PING"));
      assertEquals("OK", server.command("SET", "k", "v"));
      assertEquals("v", server.command("GET", "k"));
      assertNull(server.command("GET", "missing"));
      assertEquals("1", server.command("DBSIZE"));
      assertEquals("", server.command("CONFIG", "GET", "save").split("\n", -1)[1]);
      assertEquals("no", server.command("CONFIG", "GET", "appendonly").split("\n")[1]);
      server.command("RPUSH", "list", "a", "b");
      assertEquals("a\nb", server.command("LRANGE", "list", "0", "-1"));
      RedisServer.ErrorReply error =
          assertThrows(RedisServer.ErrorReply.class, () -> server.command("NOSUCHCOMMAND"));
      assertTrue(error.getMessage().startsWith("ERR"), error.getMessage());
      server.stop();
      assertFalse(server.isRunning());
      assertThrows(UncheckedIOException.class, () -> server.command("PING"));
    } finally {
      server.close();
    }
    assertFalse(Files.exists(server.dir()), "temp dir deleted on close");
  }

  @Test
  void restartsOnTheSamePortWithTheSameArgs() {
    try (RedisServer server = RedisServer.start("--maxmemory-policy", "noeviction")) {
      int port = server.port();
      server.command("SET", "k", "v");
      server.stop();
      server.restart();
      assertEquals(port, server.port());
      assertEquals("PONG", server.command("PING"));
      assertEquals("0", server.command("DBSIZE"), "persistence is off");
      assertEquals("noeviction", server.command("CONFIG", "GET", "maxmemory-policy").split("\n")[1]);
      server.restart(); // while running: stops first
      assertEquals("PONG", server.command("PING"));
    }
  }

  @Test
  void killIsImmediateAndRestartable() {
    try (RedisServer server = RedisServer.start()) {
      server.kill();
      assertFalse(server.isRunning());
      assertThrows(UncheckedIOException.class, () -> server.command("PING"));
      server.restart();
      assertTrue(server.isRunning());
      assertEquals("PONG", server.command("PING"));
    }
  }

  @Test
  void twoServersAreIndependent() {
    try (RedisServer a = RedisServer.start();
        RedisServer b = RedisServer.start()) {
      assertNotEquals(a.port(), b.port());
      a.command("SET", "k", "a");
      assertNull(b.command("GET", "k"));
      assertEquals("a", a.command("GET", "k"));
    }
  }

  @Test
  void frozenServerTimesOutAndRecoversAfterThaw() {
    try (RedisServer server = RedisServer.start()) {
      server.freeze();
      assertTrue(server.isRunning());
      UncheckedIOException e =
          assertThrows(
              UncheckedIOException.class,
              () -> server.command(Duration.ofMillis(300), "PING"));
      assertTrue(e.getCause() instanceof SocketTimeoutException, e.toString());
      server.thaw();
      assertEquals("PONG", server.command("PING"));
    }
  }

  @Test
  void closeKillsAFrozenServer() {
    RedisServer server = RedisServer.start();
    server.freeze();
    server.close();
    assertFalse(server.isRunning());
  }

  @Test
  void passwordProtectedServerIsAuthenticatedByTheFixture() {
    try (RedisServer server = RedisServer.start("--requirepass", "secret")) {
      assertEquals("PONG", server.command("PING"));
      server.restart();
      assertEquals("PONG", server.command("PING"));
    }
  }

  @Test
  void countsCommandCalls() {
    try (RedisServer server = RedisServer.start()) {
      server.resetStats();
      assertEquals(0, server.commandCalls("get"));
      server.command("GET", "a");
      server.command("GET", "b");
      server.command("SET", "a", "1");
      assertEquals(2, server.commandCalls("get"));
      assertEquals(2, server.commandCalls("GET"));
      assertEquals(1, server.commandCalls("set"));
      server.resetStats();
      assertEquals(0, server.commandCalls("get"));
    }
  }

  @Test
  void startupFailureCarriesTheLogTail() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> RedisServer.start("--no-such-option", "x"));
    assertTrue(e.getMessage().contains("no-such-option"), e.getMessage());
  }

  @Test
  void bundledBinaryRuns() {
    Path binary = RedisServer.Binaries.embedded();
    assertTrue(Files.isExecutable(binary));
    assertEquals(binary, RedisServer.Binaries.embedded(), "extracted once per JVM");
    try (RedisServer server = RedisServer.start(binary)) {
      assertEquals("PONG", server.command("PING"));
      RedisServer.Info info = server.info();
      assertEquals("redis", info.name(), info.toString());
      assertTrue(info.version().startsWith("6.2."), info.toString());
      assertEquals("standalone", info.mode(), info.toString());
    }
  }

  /**
   * Every server runs the binary chosen by {@code -Dredwire.redis.server} (else the PATH, else the
   * bundled one), and with {@code -Dredwire.expect.server=PREFIX} (CI sets e.g. {@code "valkey 8."})
   * it must say it is that server, so a CI phase cannot silently test the wrong one.
   */
  @Test
  void runsTheConfiguredBinary() throws Exception {
    Path chosen = RedisServer.Binaries.redisServer();
    try (RedisServer server = RedisServer.start()) {
      assertEquals(chosen, server.binary());
      RedisServer.Info info = server.info();
      System.out.println("redis-server under test: " + chosen + ": " + info);
      if (info.executable() != null) {
        assertEquals(chosen.toRealPath(), Path.of(info.executable()).toRealPath(), info.toString());
      }
      assertEquals("standalone", info.mode(), info.toString());
      String expected = System.getProperty("redwire.expect.server");
      if (expected != null && !expected.isBlank()) {
        assertTrue(info.toString().startsWith(expected),
            "expected a server starting with '" + expected + "', got " + info + " from " + chosen);
      }
    }
  }

  @Test
  void infoReadsRedisAndValkeyFields() {
    RedisServer.Info redis =
        RedisServer.Info.parse(
            "# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n"
                + "redis_mode:standalone\r\nexecutable:/usr/bin/redis-server\r\n");
    assertEquals(new RedisServer.Info("redis", "7.0.15", "standalone", "/usr/bin/redis-server"), redis);
    assertEquals("redis 7.0.15 (standalone)", redis.toString());
    RedisServer.Info valkey =
        RedisServer.Info.parse(
            "# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\n"
                + "server_mode:sentinel\r\n");
    assertEquals(new RedisServer.Info("valkey", "8.0.1", "sentinel", null), valkey);
    assertEquals("valkey 8.0.1 (sentinel)", valkey.toString());
  }
}
