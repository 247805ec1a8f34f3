package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated code builds a key part by part after {@code KeyWriter.begin}; a part whose accessor calls
 * another proxy builds a second key on the same thread in between. The outer key must come out whole.
 */
class NestedKeyTest {

  @Test
  void aKeyPartWhoseAccessorBuildsAnotherKeyLeavesTheOuterKeyIntact() {
    try (RedisServer server = RedisServer.start()) {
      CountingMetrics metrics = new CountingMetrics();
      try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("nk").metrics(metrics).build()) {
        NestedKeys proxy = RedwireNestedKeys.wrap(new NestedKeys.Impl(), redwire);
        NestedKeys.User ann = new NestedKeys.User("ann", proxy);
        for (int i = 0; i < 3; i++) {
          assertEquals("profile of id-ann on day 7", proxy.profile(ann, 7));
        }
        // the rate limit's key holds both parts of its template, in one hash tag
        List<String> keys = List.of(server.command("KEYS", "nk:rl-gcra:*").split("\n"));
        assertEquals(1, keys.size(), keys.toString());
        assertEquals(true, keys.get(0).endsWith(":{id-ann:7}"), keys.get(0));
        assertEquals(3, metrics.count("rateLimitAdmitted"), metrics.toString());
        // the lock of idOf was taken (and released) each time the key part was evaluated, and more
        assertEquals(metrics.count("lockAcquired"), 3 + 3, metrics.toString());
      }
    }
  }
}
