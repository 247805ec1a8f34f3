package io.redwire.benchmarks.cache;

import io.redwire.benchmarks.ServerPeer;
import io.redwire.benchmarks.BenchCatalog;
import io.redwire.benchmarks.BenchCatalog.Product;
import io.redwire.benchmarks.Products;
import io.redwire.benchmarks.RedwireBenchCatalog;
import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import redis.clients.jedis.RedisClient;

/**
 * One JMH state per peer; a benchmark method names the one it measures, so each fork starts one
 * redis-server (the test fixture, on a free port, never 6379) and one client stack. Each peer
 * implements {@link BenchCatalog} the way its users would: {@code product} is the hit path (key space
 * loaded in setup), {@code fresh} the miss path (a new id per call, entries expire after 10 s).
 */
public final class CachePeers {

  private CachePeers() {}

  /** The server and the catalog under test; subclasses build the catalog. */
  public abstract static class Peer {
    protected RedisServer server;
    public BenchCatalog catalog;

    protected abstract BenchCatalog open();

    protected void close() throws Exception {}

    @Setup(Level.Trial)
    public void setUp() {
      server = RedisServer.start();
      catalog = open();
      for (long id = 0; id < Products.HIT_KEYS; id++) {
        catalog.product(id);
      }
      for (long id = 0; id < Products.HIT_KEYS; id++) {
        Product p = catalog.product(id);
        if (p.id() != id || !p.equals(Products.load(id))) {
          throw new IllegalStateException(getClass().getSimpleName() + " returned " + p + " for " + id);
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      try {
        close();
      } finally {
        server.close();
      }
    }
  }

  /** The generated proxy on a Jedis {@code RedisClient} (its default pool: 8 connections). */
  @State(Scope.Benchmark)
  public static class RedwireProxy extends Peer {
    RedisClient jedis;
    Redwire redwire;

    @Override
    protected BenchCatalog open() {
      jedis = RedisClient.create(server.host(), server.port());
      redwire = Redwire.builder().client(jedis).namespace("bench").build();
      return RedwireBenchCatalog.wrap(new Products.Service(), redwire);
    }

    @Override
    protected void close() {
      redwire.close();
      jedis.close();
    }
  }

  /**
   * Idiomatic hand-written cache-aside on the same kind of client: GET; on a hit decode with
   * {@link Products#decode}; on a miss load and PSETEX the {@link Products#encode} bytes.
   */
  @State(Scope.Benchmark)
  public static class HandWrittenJedis extends Peer {
    RedisClient jedis;

    @Override
    protected BenchCatalog open() {
      jedis = RedisClient.create(server.host(), server.port());
      return new BenchCatalog() {
        @Override
        public Product product(long id) {
          return cached("p:" + id, id, 600_000);
        }

        @Override
        public Product fresh(long id) {
          return cached("f:" + id, id, 10_000);
        }

        private Product cached(String key, long id, long ttlMillis) {
          byte[] k = key.getBytes(StandardCharsets.UTF_8);
          byte[] raw = jedis.get(k);
          if (raw != null) {
            return Products.decode(raw);
          }
          Product p = Products.load(id);
          jedis.psetex(k, ttlMillis, Products.encode(p));
          return p;
        }
      };
    }

    @Override
    protected void close() {
      jedis.close();
    }
  }

  /** {@code @Cacheable} service of the Spring peers. */
  public static class SpringCatalog implements BenchCatalog {
    @Override
    @Cacheable("product")
    public Product product(long id) {
      return Products.load(id);
    }

    @Override
    @Cacheable("fresh")
    public Product fresh(long id) {
      return Products.load(id);
    }
  }

  /**
   * A minimal non-Boot Spring context: {@code @EnableCaching}, a {@code RedisCacheManager} with its
   * defaults (String keys {@code product::<id>}, JDK-serialized values) plus the same TTLs.
   */
  @Configuration
  @EnableCaching
  public static class SpringConfig {
    @Bean
    RedisCacheManager cacheManager(RedisConnectionFactory factory) {
      RedisCacheConfiguration defaults = RedisCacheConfiguration.defaultCacheConfig();
      return RedisCacheManager.builder(factory)
          .withInitialCacheConfigurations(Map.of(
              "product", defaults.entryTtl(Duration.ofMinutes(10)),
              "fresh", defaults.entryTtl(Duration.ofSeconds(10))))
          .build();
    }

    @Bean
    SpringCatalog catalog() {
      return new SpringCatalog();
    }
  }

  abstract static class SpringPeer extends Peer {
    AnnotationConfigApplicationContext context;

    abstract RedisConnectionFactory factory(RedisStandaloneConfiguration config);

    @Override
    protected BenchCatalog open() {
      context = new AnnotationConfigApplicationContext();
      RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(server.host(), server.port());
      context.registerBean(RedisConnectionFactory.class, () -> factory(config));
      context.register(SpringConfig.class);
      context.refresh();
      return context.getBean(BenchCatalog.class);
    }

    @Override
    protected void close() {
      context.close();
    }
  }

  /** Spring Cache with Spring Data Redis' default client, Lettuce (one shared, pipelined connection). */
  @State(Scope.Benchmark)
  public static class SpringLettuce extends SpringPeer {
    @Override
    RedisConnectionFactory factory(RedisStandaloneConfiguration config) {
      return new LettuceConnectionFactory(config);
    }
  }

  /** Spring Cache on Spring Data Redis' Jedis connection factory (pooled Jedis connections). */
  @State(Scope.Benchmark)
  public static class SpringJedis extends SpringPeer {
    @Override
    RedisConnectionFactory factory(RedisStandaloneConfiguration config) {
      return new JedisConnectionFactory(config);
    }
  }

  /** Cache-aside on Redisson's {@code RBucket} with its default codec. */
  @State(Scope.Benchmark)
  public static class RedissonBucket extends Peer {
    RedissonClient redisson;

    @Override
    protected BenchCatalog open() {
      redisson = ServerPeer.redisson(server);
      return new BenchCatalog() {
        @Override
        public Product product(long id) {
          return cached("p:" + id, id, Duration.ofMinutes(10));
        }

        @Override
        public Product fresh(long id) {
          return cached("f:" + id, id, Duration.ofSeconds(10));
        }

        private Product cached(String key, long id, Duration ttl) {
          RBucket<Product> bucket = redisson.getBucket(key);
          Product p = bucket.get();
          if (p == null) {
            p = Products.load(id);
            bucket.set(p, ttl);
          }
          return p;
        }
      };
    }

    @Override
    protected void close() {
      redisson.shutdown();
    }
  }
}
