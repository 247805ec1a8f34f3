package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/** Two-limit methods on a 3-master Redis Cluster: every decision's keys share one slot. */
class RateLimitClusterTest {

  @Test
  void twoLimitMethodsRunOnACluster() {
    try (RedisCluster cluster = RedisCluster.start(3);
        RedisClusterClient client = RedisClusterClient.builder()
            .nodes(Set.of(new HostAndPort("127.0.0.1", cluster.nodes().get(0).port()))).build();
        Redwire redwire = Redwire.builder().client(client).namespace("cl").build()) {
      Limited limited = RedwireLimited.wrap(new Limited.Echo(), redwire);
      for (int u = 0; u < 20; u++) {
        String user = "user" + u;
        for (int i = 0; i < 3; i++) {
          assertEquals(user, limited.twice(user)); // 3 per second and 1000 per hour, keyed by user
        }
        assertEquals("Limited.twice-1s", assertThrows(RateLimitedException.class, () -> limited.twice(user)).name());
      }
      for (int i = 0; i < 5; i++) {
        assertEquals("p", limited.pair("p")); // 5 per second per user, 100 per minute for everyone
      }
      assertEquals("pair-user", assertThrows(RateLimitedException.class, () -> limited.pair("p")).name());

      RedisServer any = cluster.nodes().get(0);
      Set<String> userSlots = new HashSet<>();
      for (int u = 0; u < 20; u++) {
        String a = "cl:rl-gcra:Limited.twice-1s:{user" + u + "}";
        String b = "cl:rl-gcra:Limited.twice-1h:{user" + u + "}";
        assertEquals(any.command("CLUSTER", "KEYSLOT", a), any.command("CLUSTER", "KEYSLOT", b));
        assertTrue(client.pttl(a) > 0 && client.pttl(b) > 0, a + " and " + b + " exist and expire");
        userSlots.add(any.command("CLUSTER", "KEYSLOT", a));
      }
      assertTrue(userSlots.size() > 10, "per-user limits spread over the cluster: " + userSlots);
      List<String> pairKeys = new ArrayList<>(List.of("cl:rl-gcra:{pair-user}:pair-user:{p}", "cl:rl-gcra:{pair-user}:pair-all"));
      for (String k : pairKeys) {
        assertTrue(client.pttl(k) > 0, k);
      }
      assertEquals(any.command("CLUSTER", "KEYSLOT", pairKeys.get(0)),
          any.command("CLUSTER", "KEYSLOT", pairKeys.get(1)));
    }
  }
}
