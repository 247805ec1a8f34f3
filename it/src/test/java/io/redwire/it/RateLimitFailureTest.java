package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Redis killed and restarted under a running application: the declared policy, counted, then recovery. */
class RateLimitFailureTest {

  @Test
  void allowAdmitsDenyRefusesBothCountedThenLimitsAgainAfterRestart() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      CountingMetrics metrics = new CountingMetrics();
      try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("fail").metrics(metrics)
          .circuitBreaker(3, Duration.ofMillis(200)).build()) {
        Limited limited = RedwireLimited.wrap(new Limited.Echo(), redwire);
        assertEquals("a", limited.failOpen("a"));
        assertThrows(RateLimitedException.class, () -> limited.failOpen("a"));
        assertEquals("a", limited.failClosed("a"));

        server.kill();
        for (int i = 0; i < 20; i++) {
          assertEquals("a", limited.failOpen("a"), "ALLOW admits while Redis is down");
          RateLimitedException e = assertThrows(RateLimitedException.class, () -> limited.failClosed("a"));
          assertTrue(e.redisFailure(), e.toString());
        }
        assertEquals(20, metrics.count("rateLimitAllowedOnFailure", "Limited.failOpen"));
        assertEquals(20, metrics.count("rateLimitDeniedOnFailure", "Limited.failClosed"));
        assertEquals(0, metrics.count("rateLimitLimited", "Limited.failClosed"), "failures are not limits");
        assertTrue(metrics.count("redisError", "Limited.failOpen") >= 1);
        assertEquals(1, metrics.count("circuitOpened", "redis"));

        server.restart(); // empty: the limits start over
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean recovered = false;
        while (!recovered && System.nanoTime() < deadline) {
          Thread.sleep(50);
          try {
            limited.failClosed("b");
            recovered = true;
          } catch (RateLimitedException e) {
            assertTrue(e.redisFailure(), "only failures before recovery: " + e);
          }
        }
        assertTrue(recovered, "the breaker lets calls through again without restarting the application");
        RateLimitedException limitedAgain = assertThrows(RateLimitedException.class, () -> limited.failClosed("b"));
        assertTrue(!limitedAgain.redisFailure(), limitedAgain.toString());
        assertEquals("c", limited.failOpen("c"));
        assertThrows(RateLimitedException.class, () -> limited.failOpen("c"));
        assertEquals(1, metrics.count("circuitClosed", "redis"));
      }
    }
  }
}
