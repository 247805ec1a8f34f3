package io.redwire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

  @Test
  void threeMastersFormACluster() {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      assertEquals(3, cluster.nodes().size());
      Set<Integer> ports = new HashSet<>();
      for (RedisServer node : cluster.nodes()) {
        ports.add(node.port());
        String info = node.command("CLUSTER", "INFO");
        assertTrue(info.contains("cluster_state:ok"), info);
        assertTrue(info.contains("cluster_known_nodes:3"), info);
        assertTrue(info.contains("cluster_size:3"), info);
      }
      assertEquals(3, ports.size());
      // "{06S}" hashes to slot 0, which node 0 owns; the last node redirects to it
      RedisServer first = cluster.nodes().get(0);
      RedisServer last = cluster.nodes().get(2);
      assertEquals("OK", first.command("SET", "{06S}x", "1"));
      assertEquals("0", first.command("CLUSTER", "KEYSLOT", "{06S}x"));
      RedisServer.ErrorReply moved =
          assertThrows(
              RedisServer.ErrorReply.class, () -> last.command("GET", "{06S}x"));
      assertTrue(moved.getMessage().startsWith("MOVED 0 "), moved.getMessage());
    }
  }

  @Test
  void bundledRedis62FormsACluster() {
    String before = System.getProperty("redwire.redis.server");
    System.setProperty("redwire.redis.server", "embedded");
    try (RedisCluster cluster = RedisCluster.start(2)) {
      for (RedisServer node : cluster.nodes()) {
        RedisServer.Info info = node.info();
        assertEquals("redis", info.name(), info.toString());
        assertTrue(info.version().startsWith("6.2."), info.toString());
        assertEquals("cluster", info.mode(), info.toString());
        assertTrue(node.command("CLUSTER", "INFO").contains("cluster_state:ok"));
      }
    } finally {
      if (before == null) {
        System.clearProperty("redwire.redis.server");
      } else {
        System.setProperty("redwire.redis.server", before);
      }
    }
  }
}
