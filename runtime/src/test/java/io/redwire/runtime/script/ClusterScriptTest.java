package io.redwire.runtime.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisException;

class ClusterScriptTest {

  static final Script PAIR =
      new Script(
          "test.pair",
          "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]);"
              + " return redis.call('GET', KEYS[2])");

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void runsOnEveryMasterWithKeysSharingAHashTag() {
    try (RedisCluster cluster = RedisCluster.start(3);
        RedisClusterClient client =
            RedisClusterClient.builder()
                .nodes(Set.of(new HostAndPort("127.0.0.1", cluster.nodes().get(0).port())))
                .build();
        Redwire redwire = Redwire.builder().client(client).build()) {
      assertTrue(redwire.isCluster());
      List<RedisServer> nodes = cluster.nodes();
      Set<String> slots = new HashSet<>();
      int tags = 30;
      for (int i = 0; i < tags; i++) {
        String tag = "{user" + i + "}";
        slots.add(nodes.get(0).command("CLUSTER", "KEYSLOT", tag + ":a"));
        Object reply = PAIR.run(client, 2, b(tag + ":a"), b(tag + ":b"), b("v" + i));
        assertEquals("v" + i, new String((byte[]) reply, StandardCharsets.UTF_8));
      }
      assertTrue(slots.size() > 20, "keys spread over many slots: " + slots.size());
      long evalsha = 0;
      for (RedisServer node : nodes) {
        assertEquals(1, node.commandCalls("eval"), "one EVAL per master loads the script");
        assertTrue(node.commandCalls("evalsha") > 1, "every master ran it");
        evalsha += node.commandCalls("evalsha");
      }
      assertEquals(tags, evalsha, "every call started with EVALSHA");
      for (int i = 0; i < tags; i++) {
        assertEquals("v" + i, client.get("{user" + i + "}:b"));
      }
      // keys in different slots are refused, never silently run on one node
      assertThrows(JedisException.class, () -> PAIR.run(client, 2, b("{a}x"), b("{b}y"), b("v")));
    }
  }
}
