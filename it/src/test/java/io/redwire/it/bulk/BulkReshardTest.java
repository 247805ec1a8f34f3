package io.redwire.it.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * A slot moves to another master while the client's slot map is stale: the bulk's per-slot MGET of
 * that slot (and its stores) get MOVED. Only the ids of that slot may be affected, and the client
 * learns the new owner: a MOVED in a pipeline must not turn every id into a miss, call after call.
 */
class BulkReshardTest {

  @Test
  void aMovedSlotAffectsOnlyItsIdsAndTheClientFollowsIt() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      Set<HostAndPort> seed = Set.of(new HostAndPort("127.0.0.1", cluster.nodes().get(0).port()));
      try (RedisClusterClient client = RedisClusterClient.builder().nodes(seed).build();
          Redwire redwire = Redwire.builder().client(client).namespace("reshard").build()) {
        CountingProducts delegate = new CountingProducts();
        Products products = RedwireProducts.wrap(delegate, redwire);
        Set<Long> ids = new LinkedHashSet<>();
        for (long id = 1; id <= 20; id++) {
          ids.add(id);
        }
        products.products(ids);
        Await.until(Duration.ofSeconds(10), () -> keys(cluster, "").size() == 20, () -> "20 entries");

        // id 1's entry: delete it, then hand its (now empty) slot to another master
        String key = keys(cluster, "{1}").get(0);
        RedisServer owner = cluster.nodes().stream().filter(n -> keys(n, "").contains(key)).findFirst().orElseThrow();
        int slot = Integer.parseInt(owner.command("CLUSTER", "KEYSLOT", key).trim());
        for (String other : keys(cluster, "")) {
          if (!other.equals(key)) {
            assertEquals(false, slot == Integer.parseInt(owner.command("CLUSTER", "KEYSLOT", other).trim()),
                "the test needs id 1 alone in its slot");
          }
        }
        owner.command("DEL", key); // on its owner: no redirect
        RedisServer target = cluster.nodes().stream().filter(n -> n != owner).findFirst().orElseThrow();
        String targetId = target.command("CLUSTER", "MYID").trim();
        target.command("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId);
        for (RedisServer node : cluster.nodes()) {
          if (node != target) {
            node.command("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId);
          }
        }
        delegate.asked.clear();

        for (int call = 0; call < 3; call++) {
          assertEquals(20, products.products(ids).size());
        }
        for (var asked : delegate.asked) { // call after call (the store of id 1 may not have landed yet)
          assertEquals(List.of(1L), new ArrayList<>(asked), "only id 1 missed: " + delegate.asked);
        }
        Await.until(Duration.ofSeconds(10), () -> !keys(target, "{1}").isEmpty(), () -> "id 1 stored on its new owner");
        int before = delegate.asked.size();
        products.products(ids);
        assertEquals(before, delegate.asked.size(), "all hits once id 1 is stored on its new owner: " + delegate.asked);
      }
    }
  }

  private static List<String> keys(RedisCluster cluster, String suffix) {
    List<String> all = new ArrayList<>();
    for (RedisServer node : cluster.nodes()) {
      all.addAll(keys(node, suffix));
    }
    return all;
  }

  private static List<String> keys(RedisServer node, String suffix) {
    String all = node.command("KEYS", "reshard:c:products:*" + suffix);
    List<String> out = new ArrayList<>();
    if (all != null && !all.isEmpty()) {
      for (String k : all.split("\n")) {
        if (k.endsWith("}") && k.endsWith(suffix.isEmpty() ? "}" : suffix)) {
          out.add(k);
        }
      }
    }
    return out;
  }
}
