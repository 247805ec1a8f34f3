package io.redwire.it.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Bulk methods on a three-master Redis Cluster: the keys of one call spread over many slots and every
 * node, which neither of Jedis' cluster clients reads with one MGET (JedisCluster refuses keys of
 * different slots; RedisClusterClient sends one MGET per slot, one after another), so the runtime
 * groups them by slot itself.
 */
class BulkClusterTest {

  @Test
  void aBulkReadsAndWritesKeysOnEverySlotThroughEitherClusterClient() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      Set<HostAndPort> seed = Set.of(new HostAndPort("127.0.0.1", cluster.nodes().get(0).port()));
      try (RedisClusterClient client = RedisClusterClient.builder().nodes(seed).build()) {
        check(cluster, client, "c1");
      }
      try (JedisCluster client = new JedisCluster(seed)) {
        check(cluster, client, "c2");
      }
    }
  }

  private static void check(RedisCluster cluster, UnifiedJedis client, String namespace) {
    try (Redwire redwire = Redwire.builder().client(client).namespace(namespace).build()) {
      CountingProducts delegate = new CountingProducts();
      Products products = RedwireProducts.wrap(delegate, redwire);
      Set<Long> ids = new LinkedHashSet<>();
      for (long id = 200; id > 0; id--) {
        ids.add(id);
      }

      Map<Long, Products.Product> first = products.products(ids);
      assertEquals(new ArrayList<>(ids), new ArrayList<>(first.keySet()));
      assertEquals(200, delegate.last().size());
      Await.until(Duration.ofSeconds(10), () -> entries(cluster, namespace) == 200,
          () -> "200 entries stored, found " + entries(cluster, namespace));
      int nodes = 0;
      for (RedisServer node : cluster.nodes()) {
        nodes += keys(node, namespace).isEmpty() ? 0 : 1;
      }
      assertEquals(3, nodes, "entries on every master");

      Map<Long, Products.Product> again = products.products(ids);
      assertEquals(first, again);
      assertEquals(new ArrayList<>(ids), new ArrayList<>(again.keySet()), "replies put back in order");
      assertEquals(1, delegate.asked.size(), "all hits, across slots");

      products.delete(7);
      products.delete(150);
      products.products(ids);
      assertEquals(List.of(150L, 7L), new ArrayList<>(delegate.last()), "the misses only");
      assertTrue(products.product(150).name().startsWith("product 150"));
    }
  }

  private static int entries(RedisCluster cluster, String namespace) {
    int n = 0;
    for (RedisServer node : cluster.nodes()) {
      n += keys(node, namespace).size();
    }
    return n;
  }

  private static List<String> keys(RedisServer node, String namespace) {
    String all = node.command("KEYS", namespace + ":c:products:*}");
    return all == null || all.isEmpty() ? List.of() : List.of(all.split("\n"));
  }
}
