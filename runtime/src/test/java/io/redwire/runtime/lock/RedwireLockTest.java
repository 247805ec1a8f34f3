package io.redwire.runtime.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.key.KeyWriter;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedwireLock} against a real redis-server, without generated code. */
class RedwireLockTest {

  static RedisServer server;
  static int namespaces;

  String namespace;
  CountingMetrics metrics;
  Redwire redwire;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @BeforeEach
  void setUp() {
    namespace = "rl" + ++namespaces;
    metrics = new CountingMetrics();
    redwire = Redwire.builder().uri(server.uri()).namespace(namespace).metrics(metrics).build();
  }

  @AfterEach
  void tearDown() {
    redwire.close();
  }

  static byte[] key(RedwireLock lock, String part) {
    return KeyWriter.begin(lock.prefix()).part(part).end();
  }

  @Test
  void acquireAndReleaseAreOneRoundTripEach() {
    RedwireLock lock = RedwireLock.of(redwire, new LockSettings("job", 10_000, 0));
    lock.release(lock.acquire(key(lock, "warm-up"))); // loads the scripts
    server.resetStats();
    LockLease lease = lock.acquire(key(lock, "a"));
    assertEquals(1, server.commandCalls("evalsha"));
    lock.release(lease);
    assertEquals(2, server.commandCalls("evalsha"));
    assertEquals(0, server.commandCalls("eval"));
    // commandstats also counts the commands inside the scripts: acquire's SET NX + fence GET/SET,
    // release's GET + DEL + PUBLISH; nothing else was sent
    assertEquals(2, server.commandCalls("set"));
    assertEquals(2, server.commandCalls("get"));
    assertEquals(1, server.commandCalls("del"));
    assertEquals(1, server.commandCalls("publish"));
  }

  @Test
  void theFencingCounterExpiresAndANewOneStillCountsUp() {
    RedwireLock lock = RedwireLock.of(redwire, new LockSettings("job", 10_000, 0));
    byte[] key = key(lock, "fence");
    String fenceKey = namespace + ":lock:job:{fence}:fence";
    LockLease first = lock.acquire(key);
    long token = first.fencingToken();
    assertEquals(token, Locks.fencingToken());
    assertEquals(token, Locks.fencingToken("job"));
    lock.release(first);
    long pttl = Long.parseLong(server.command("PTTL", fenceKey));
    assertTrue(pttl > RedwireLock.FENCE_RETENTION_MS - 60_000
        && pttl <= RedwireLock.FENCE_RETENTION_MS + 10_000, "fence PTTL " + pttl);
    LockLease second = lock.acquire(key);
    assertTrue(second.fencingToken() > token);
    lock.release(second);
    // the counter expired (an hour without acquisitions): a new one starts from the server clock in µs
    server.command("DEL", fenceKey);
    LockLease third = lock.acquire(key);
    assertTrue(third.fencingToken() > second.fencingToken(), third.fencingToken() + " after "
        + second.fencingToken());
    lock.release(third);
    // a counter ahead of the clock (clock stepped back) keeps counting up from where it is
    server.command("SET", fenceKey, Long.toString(second.fencingToken() + 1_000_000_000_000L));
    LockLease fourth = lock.acquire(key);
    assertEquals(second.fencingToken() + 1_000_000_000_001L, fourth.fencingToken());
    lock.release(fourth);
    assertThrows(IllegalStateException.class, Locks::fencingToken);
  }

  @Test
  void aStaleTokenCannotDeleteTheLock() {
    RedwireLock lock = RedwireLock.of(redwire, new LockSettings("job", 10_000, 0));
    byte[] key = key(lock, "cad");
    LockLease lease = lock.acquire(key);
    server.command("SET", namespace + ":lock:job:{cad}", "someone-else", "PX", "10000");
    LockLostException e = assertThrows(LockLostException.class, () -> lock.release(lease));
    assertTrue(e.getMessage().contains("10000 ms ran out"), e.getMessage());
    assertEquals("someone-else", server.command("GET", namespace + ":lock:job:{cad}"));
    assertEquals(1, metrics.count("lockLost", "job"));
  }

  @Test
  void whenRedisIsDownAcquiringFailsClosed() {
    RedisServer down = RedisServer.start();
    try (Redwire r = Redwire.builder().uri(down.uri()).namespace(namespace).metrics(metrics)
        .circuitBreaker(2, Duration.ofSeconds(30)).build()) {
      RedwireLock lock = RedwireLock.of(r, new LockSettings("job", 0, 1000));
      byte[] key = key(lock, "down");
      down.kill();
      LockNotAcquiredException e = assertThrows(LockNotAcquiredException.class, () -> lock.acquire(key));
      assertNotNull(e.getCause());
      assertTrue(e.getMessage().contains("because Redis failed"), e.getMessage());
      assertNull(lock.tryAcquire(key));
      assertNull(lock.tryAcquire(key)); // circuit open: refused without a round trip
      assertEquals(3, metrics.count("lockBusy", "job"));
      assertEquals(2, metrics.count("redisError", "job"));
      assertFalse(Locks.isHeld("job"));
    } finally {
      down.close();
    }
  }

  @Test
  void afterCloseAcquireThrowsAndAReleaseLeavesTheKeyToExpireWithoutAnError() {
    RedwireLock lock = RedwireLock.of(redwire, new LockSettings("closing", 2_000, 0));
    byte[] key = key(lock, "c");
    LockLease lease = lock.acquire(key);
    redwire.close();
    lock.release(lease); // the method ran under the lock; the key expires with its lease
    assertFalse(Locks.isHeld("closing"));
    long pttl = Long.parseLong(server.command("PTTL", new String(key, java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(pttl > 0 && pttl <= 2_000, "PTTL " + pttl);
    assertThrows(IllegalStateException.class, () -> lock.acquire(key));
    assertThrows(IllegalStateException.class, () -> lock.tryAcquire(key));
    assertThrows(IllegalStateException.class, () -> RedwireLock.of(redwire, new LockSettings("closing", 2_000, 0)));
    assertEquals(0, metrics.count("redisError", "closing"));
    assertEquals(0, metrics.count("lockBusy", "closing"));
    assertEquals(0, metrics.count("lockLost", "closing"));
  }

  @Test
  void aCommandErrorIsReportedButDoesNotOpenTheBreaker() {
    try (Redwire r = Redwire.builder().uri(server.uri()).namespace(namespace).metrics(metrics)
        .circuitBreaker(2, Duration.ofSeconds(30)).build()) {
      RedwireLock lock = RedwireLock.of(r, new LockSettings("typed", 2_000, 0));
      byte[] key = key(lock, "hash");
      // a hash where the fencing counter belongs: the acquire script's GET of it fails with WRONGTYPE
      server.command("HSET", new String(key, java.nio.charset.StandardCharsets.UTF_8) + ":fence", "f", "v");
      for (int i = 0; i < 5; i++) {
        server.command("DEL", new String(key, java.nio.charset.StandardCharsets.UTF_8)); // SET NX ran first
        LockNotAcquiredException e = assertThrows(LockNotAcquiredException.class, () -> lock.acquire(key));
        assertTrue(String.valueOf(e.getCause()).contains("WRONGTYPE"), String.valueOf(e.getCause()));
      }
      assertEquals(5, metrics.count("redisError", "typed"));
      assertEquals(0, metrics.count("circuitOpened", "redis"));
      lock.release(lock.acquire(key(lock, "other"))); // other keys are fine
    }
  }
}
