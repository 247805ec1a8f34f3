package io.redwire.benchmarks.cache;

import io.redwire.benchmarks.BenchCatalog.Product;
import io.redwire.benchmarks.Products;
import io.redwire.benchmarks.ServerPeer;
import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import redis.clients.jedis.RedisClient;

/**
 * Near-cache hit peers: the whole hit key space ({@link Products#HIT_KEYS}) sits in each in-process
 * cache before measuring, so every measured call is served without a round trip.
 */
public final class NearPeers {

  private NearPeers() {}

  /** {@code @Cached(near = 2000)} through the generated proxy (tracking invalidation). */
  @State(Scope.Benchmark)
  public static class RedwireNear {
    RedisServer server;
    RedisClient jedis;
    Redwire redwire;
    public NearCatalog catalog;

    @Setup(Level.Trial)
    public void setUp() {
      server = RedisServer.start();
      jedis = RedisClient.create(server.host(), server.port());
      redwire = Redwire.builder().client(jedis).namespace("bench").build();
      catalog = RedwireNearCatalog.wrap(Products::load, redwire);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (long id = 0; id < Products.HIT_KEYS; id++) {
        // a load, then a Redis hit that fills the near cache once its invalidation connection is up
        while (catalog.product(id) != catalog.product(id)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the near cache does not serve " + id);
          }
        }
        if (!catalog.product(id).equals(Products.load(id))) {
          throw new IllegalStateException("wrong value for " + id);
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      redwire.close();
      jedis.close();
      server.close();
    }
  }

  /**
   * Redisson's {@code RLocalCachedMap} (invalidate on change, LRU, 2000 entries) used cache-aside:
   * {@code get}, on null {@code fastPut}; Redisson's default codec.
   */
  @State(Scope.Benchmark)
  public static class RedissonLocalCachedMap {
    RedisServer server;
    RedissonClient redisson;
    RLocalCachedMap<Long, Product> map;

    @Setup(Level.Trial)
    public void setUp() {
      server = RedisServer.start();
      redisson = ServerPeer.redisson(server);
      map = redisson.getLocalCachedMap(LocalCachedMapOptions.<Long, Product>name("near")
          .cacheSize(2000)
          .evictionPolicy(LocalCachedMapOptions.EvictionPolicy.LRU)
          .syncStrategy(LocalCachedMapOptions.SyncStrategy.INVALIDATE)
          .timeToLive(Duration.ofMinutes(10)));
      for (long id = 0; id < Products.HIT_KEYS; id++) {
        product(id);
        if (!product(id).equals(Products.load(id))) {
          throw new IllegalStateException("wrong value for " + id);
        }
      }
    }

    public Product product(long id) {
      Product p = map.get(id);
      if (p == null) {
        p = Products.load(id);
        map.fastPut(id, p);
      }
      return p;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      redisson.shutdown();
      server.close();
    }
  }
}
