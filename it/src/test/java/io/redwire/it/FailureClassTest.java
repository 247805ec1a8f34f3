package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.testing.RedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * A command error on one key (WRONGTYPE) is reported, but it is not an outage: it never opens the
 * circuit breaker, so locks and other rate limits on the same Redwire keep working.
 */
class FailureClassTest {

  @Test
  void twentyWrongtypeErrorsOnOneRateLimitKeyLeaveLocksAndOtherLimitsWorking() {
    try (RedisServer server = RedisServer.start();
        RedisClient data = RedisClient.builder().hostAndPort(server.host(), server.port()).build()) {
      CountingMetrics metrics = new CountingMetrics();
      try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("fc").metrics(metrics).build()) {
        Limited limited = RedwireLimited.wrap(new Limited.Echo(), redwire);
        LockWorker worker = new LockWorker(data);
        LockWork locked = RedwireLockWork.wrap(worker, redwire);
        worker.self = locked;

        // find the key of user "bad" (whatever the limit's name) and plant a hash there
        assertEquals("bad", limited.gcra("bad"));
        List<String> keys = List.of(server.command("KEYS", "fc:rl-gcra:*{bad}").split("\n"));
        assertEquals(1, keys.size(), keys.toString());
        String key = keys.get(0);
        data.del(key);
        data.hset(key, Map.of("not", "a rate limit"));

        for (int i = 0; i < 20; i++) {
          assertEquals("bad", limited.gcra("bad"), "the declared policy (ALLOW) answers");
        }
        assertEquals(20, metrics.count("redisError"), "every WRONGTYPE is reported: " + metrics);
        assertEquals(20, metrics.count("rateLimitAllowedOnFailure"), metrics.toString());
        assertEquals(0, metrics.count("circuitOpened"), "a command error is not an outage");
        assertTrue(redwire.breaker().allow());

        // a lock on the same Redwire is taken (not "unavailable because Redis failed")
        assertEquals(1, locked.increment("fc-counter"));
        assertEquals(1, locked.increment("fc-counter2"));
        assertEquals(0, metrics.count("lockBusy"));
        // another key of the same limit, and other limits, still decide on Redis: they refuse when due
        for (int i = 0; i < 10; i++) {
          assertEquals("good", limited.gcra("good"));
        }
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> limited.gcra("good"));
        assertTrue(!e.redisFailure(), e.toString());
        for (int i = 0; i < 3; i++) {
          limited.twice("other");
        }
        assertThrows(RateLimitedException.class, () -> limited.twice("other"));
        assertEquals(20, metrics.count("redisError"), "nothing else failed: " + metrics);
      }
    }
  }
}
