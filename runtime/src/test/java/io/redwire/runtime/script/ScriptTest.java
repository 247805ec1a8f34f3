package io.redwire.runtime.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class ScriptTest {

  static final Script ECHO =
      new Script(
          "test.echo",
          "redis.call('SET', KEYS[1], ARGV[1]); return {KEYS[1], redis.call('GET', KEYS[1])}");

  static RedisServer server;
  static Redwire redwire;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    redwire = Redwire.connect(server.uri());
  }

  @AfterAll
  static void stop() {
    redwire.close();
    server.close();
  }

  @BeforeEach
  void clean() {
    server.command("FLUSHALL");
    server.command("SCRIPT", "FLUSH");
    server.resetStats();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(Object bytes) {
    return new String((byte[]) bytes, StandardCharsets.UTF_8);
  }

  @Test
  void sha1IsWhatRedisComputes() {
    assertEquals(server.command("SCRIPT", "LOAD", ECHO.source()), ECHO.sha1());
    assertEquals("test.echo", ECHO.name());
  }

  @Test
  void fallsBackToEvalOnceThenUsesEvalsha() {
    UnifiedJedis jedis = redwire.client();
    Object first = ECHO.run(jedis, 1, b("k"), b("v1"));
    assertEquals(1, server.commandCalls("eval"), "NOSCRIPT -> EVAL");
    assertEquals(1, server.commandCalls("evalsha"));
    List<?> reply = (List<?>) first;
    assertEquals("k", s(reply.get(0)));
    assertEquals("v1", s(reply.get(1)));

    for (int i = 0; i < 5; i++) {
      ECHO.run(jedis, 1, b("k"), b("v" + i));
    }
    assertEquals(1, server.commandCalls("eval"), "loaded by the first EVAL");
    assertEquals(6, server.commandCalls("evalsha"));

    server.command("SCRIPT", "FLUSH");
    ECHO.run(jedis, 1, b("k"), b("again"));
    assertEquals(2, server.commandCalls("eval"), "reloads after a flush");
    assertEquals("again", server.command("GET", "k"));
  }

  @Test
  void dataTravelsOnlyInArgv() {
    String hostile = "'); redis.call('FLUSHALL'); --\n]]\u0000\u00ff end";
    List<?> reply = (List<?>) ECHO.run(redwire.client(), 1, b("key ' \" ]]"), b(hostile));
    assertEquals("key ' \" ]]", s(reply.get(0)));
    assertEquals(hostile, s(reply.get(1)));
    assertEquals("1", server.command("DBSIZE"));
    byte[] binary = {0, 1, (byte) 0xff, (byte) 0x80, '\r', '\n'};
    reply = (List<?>) ECHO.run(redwire.client(), 1, b("bin"), binary);
    assertArrayEquals(binary, (byte[]) reply.get(1));
  }

  @Test
  void returnsRepliesAndErrorsAsJedisDoes() {
    Script counter = new Script("test.incr", "return redis.call('INCRBY', KEYS[1], ARGV[1])");
    assertEquals(5L, counter.run(redwire.client(), 1, b("n"), b("5")));
    assertEquals(7L, counter.run(redwire.client(), 1, b("n"), b("2")));
    Script noKeys = new Script("test.nil", "return nil");
    assertEquals(null, noKeys.run(redwire.client(), 0));
    Script failing = new Script("test.fail", "return redis.error_reply('MYERR no good')");
    JedisDataException e =
        assertThrows(JedisDataException.class, () -> failing.run(redwire.client(), 0));
    assertEquals("MYERR no good", e.getMessage());
  }

  @Test
  void validatesKeyCount() {
    assertThrows(IllegalArgumentException.class, () -> ECHO.run(redwire.client(), 2, b("k")));
    assertThrows(IllegalArgumentException.class, () -> ECHO.run(redwire.client(), -1, b("k")));
    assertThrows(IllegalArgumentException.class, () -> new Script("empty", " "));
  }

  @Test
  void failsWhileTheServerIsDownAndRecoversAfterRestart() {
    UnifiedJedis jedis = redwire.client();
    ECHO.run(jedis, 1, b("k"), b("before"));
    server.kill();
    try {
      assertThrows(JedisConnectionException.class, () -> ECHO.run(jedis, 1, b("k"), b("down")));
      assertThrows(JedisConnectionException.class, () -> ECHO.run(jedis, 1, b("k"), b("down")));
    } finally {
      server.restart();
    }
    List<?> reply = (List<?>) ECHO.run(jedis, 1, b("k"), b("after"));
    assertEquals("after", s(reply.get(1)));
    assertEquals(1, server.commandCalls("eval"), "the restarted server had no script cache");
  }
}
