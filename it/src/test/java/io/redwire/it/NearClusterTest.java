package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.it.near.NearShop;
import io.redwire.it.near.RedwireNearShop;
import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.RedisCluster;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * The near cache on a three-master Redis Cluster: no tracking connection per master, so Redwire's own
 * invalidation messages keep two instances coherent.
 */
class NearClusterTest {

  static final String ITEM = "NearShop.item";

  @Test
  void anotherInstancesWritesReachTheNearCacheThroughRedwiresMessages() throws Exception {
    AtomicLong version = new AtomicLong();
    try (RedisCluster cluster = RedisCluster.start(3);
        RedisClusterClient ca = client(cluster);
        RedisClusterClient cb = client(cluster)) {
      CountingMetrics ma = new CountingMetrics();
      Redwire ra = Redwire.builder().client(ca).namespace("nearcluster").metrics(ma).build();
      Redwire rb = Redwire.builder().client(cb).namespace("nearcluster").build();
      try (ra; rb) {
        NearShop a = RedwireNearShop.wrap(new Shop(version), ra);
        NearShop b = RedwireNearShop.wrap(new Shop(version), rb);
        int trials = 50;
        long[] nanos = new long[3 * trials];
        int n = 0;
        for (int i = 0; i < trials; i++) {
          long id = i; // keys on every master
          NearCacheTest.nearHit(a, ma, id);
          String old = a.item(id).name();
          b.save(new NearShop.Item(id, "put" + i));
          nanos[n++] = NearCacheTest.untilChanged(a, id, old);

          NearCacheTest.nearHit(a, ma, id);
          old = a.item(id).name();
          version.incrementAndGet();
          b.delete(id);
          nanos[n++] = NearCacheTest.untilChanged(a, id, old);

          NearCacheTest.nearHit(a, ma, id);
          old = a.item(id).name();
          version.incrementAndGet();
          b.clearAll();
          nanos[n++] = NearCacheTest.untilChanged(a, id, old);
        }
        String figures = NearCacheTest.report("Cluster, B's put, evict and clear-all", nanos);
        System.out.println("Near cache: " + figures);
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[(int) Math.ceil(sorted.length * 0.99) - 1] < NearCacheTest.BOUND.toNanos(), figures);
        assertTrue(ma.count("nearInvalidation", ITEM) > 0, ma.summary());
      }
    }
  }

  static RedisClusterClient client(RedisCluster cluster) {
    return RedisClusterClient.builder()
        .nodes(Set.of(new HostAndPort("127.0.0.1", cluster.nodes().get(0).port()))).build();
  }

  static final class Shop implements NearShop {
    final AtomicLong version;

    Shop(AtomicLong version) {
      this.version = version;
    }

    @Override
    public Item item(long id) {
      return new Item(id, "v" + version.get());
    }

    @Override
    public Item save(Item i) {
      return i;
    }

    @Override
    public void delete(long id) {}

    @Override
    public void clearAll() {}
  }
}
