package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/** The generated cache proxy on a three-master Redis Cluster through Jedis' cluster client. */
class CacheClusterTest {

  @Test
  void entriesSpreadOverTheClusterWhileLeasesAndScriptsStayOnTheirSlot() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3);
        RedisClusterClient client = RedisClusterClient.builder()
            .nodes(Set.of(new HostAndPort("127.0.0.1", cluster.nodes().get(0).port()))).build();
        Redwire redwire = Redwire.builder().client(client).namespace("cluster").build()) {
      CountingCatalog delegate = new CountingCatalog();
      delegate.delayMillis = 50;
      Catalog catalog = RedwireCatalog.wrap(delegate, redwire);

      // concurrent misses of one key: the lease and the store-and-release script share the key's slot
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int t = 0; t < 8; t++) {
        pool.submit(() -> catalog.product(1));
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
      assertEquals(1, delegate.calls("product"));

      delegate.delayMillis = 0;
      for (long id = 1; id <= 200; id++) {
        assertEquals(id, catalog.product(id).id());
        assertEquals(id, catalog.product(id).id());
      }
      assertEquals(200, delegate.calls("product"), "one load per key, then hits");

      Set<Integer> nodesWithEntries = new HashSet<>();
      for (int n = 0; n < 3; n++) {
        RedisServer node = cluster.nodes().get(n);
        if (Long.parseLong(node.command("DBSIZE")) > 1) {
          nodesWithEntries.add(n);
        }
      }
      assertEquals(3, nodesWithEntries.size(), "entries spread over all masters");

      catalog.clearProducts();
      catalog.product(7);
      assertEquals(201, delegate.calls("product"), "cleared across the cluster with one SET");
      catalog.save(new Catalog.Product(7, "put", java.math.BigDecimal.ONE, java.util.List.of()));
      assertEquals("put", catalog.product(7).name());
      catalog.delete(7);
      assertEquals("product 7", catalog.product(7).name());
    }
  }
}
