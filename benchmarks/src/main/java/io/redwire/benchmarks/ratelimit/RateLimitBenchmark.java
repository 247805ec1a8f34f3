package io.redwire.benchmarks.ratelimit;

import io.redwire.benchmarks.ServerPeer;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.redwire.runtime.Redwire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import redis.clients.jedis.RedisClient;

/**
 * One rate-limit decision per call: {@value #KEYS} callers (keys) round-robin, each allowed
 * {@value #LIMIT} per second, so every decision is "allowed" and the benchmark measures the cost of
 * deciding, not of refusing.
 *
 * <p>{@code redwire}: the generated {@code RedwireBenchLimits} proxy of {@link BenchLimits}
 * ({@code @RateLimited(limit = 1000, per = "1s", key = "{caller}")}, GCRA, burst = limit) around a
 * delegate that returns its argument. A refused decision would throw {@code RateLimitedException} and
 * fail the row, so a completed run also shows that every decision was "allowed".
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class RateLimitBenchmark {

  static final int KEYS = 1000;
  static final int LIMIT = 1000;

  /** Per thread: the next caller. */
  @State(Scope.Thread)
  public static class Caller {
    int next = (int) (Thread.currentThread().getId() * 7919 % KEYS);

    int next() {
      int c = next;
      next = c + 1 == KEYS ? 0 : c + 1;
      return c;
    }
  }

  /** A peer with its own server. */
  abstract static class Peer extends ServerPeer {}

  /**
   * Bucket4j's Jedis proxy manager (compare-and-swap: GET the bucket state, compute in the JVM, then
   * a CAS script; 2 round trips per decision) on a Jedis {@code RedisClient}; one bucket proxy per key,
   * built in setup.
   */
  @State(Scope.Benchmark)
  public static class Bucket4j extends Peer {
    RedisClient jedis;
    BucketProxy[] buckets;

    @Override
    protected void open() {
      jedis = RedisClient.create(server.host(), server.port());
      var proxies = Bucket4jJedis.casBasedBuilder(jedis)
          .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
              Duration.ofSeconds(10)))
          .build();
      BucketConfiguration config = BucketConfiguration.builder()
          .addLimit(l -> l.capacity(LIMIT).refillGreedy(LIMIT, Duration.ofSeconds(1)))
          .build();
      buckets = new BucketProxy[KEYS];
      for (int i = 0; i < KEYS; i++) {
        buckets[i] = proxies.builder().build(("b4j:" + i).getBytes(StandardCharsets.UTF_8), () -> config);
      }
    }

    @Override
    protected void close() {
      jedis.close();
    }
  }

  /** Redisson's {@code RRateLimiter} (OVERALL, LIMIT per second, keys kept alive 10 s), set up per key. */
  @State(Scope.Benchmark)
  public static class RedissonLimiter extends Peer {
    RedissonClient redisson;
    RRateLimiter[] limiters;

    @Override
    protected void open() {
      redisson = ServerPeer.redisson(server);
      limiters = new RRateLimiter[KEYS];
      for (int i = 0; i < KEYS; i++) {
        limiters[i] = redisson.getRateLimiter("rrl:" + i);
        limiters[i].trySetRate(RateType.OVERALL, LIMIT, Duration.ofSeconds(1), Duration.ofSeconds(10));
      }
    }

    @Override
    protected void close() {
      redisson.shutdown();
    }
  }

  /**
   * The floor: one hand-written GCRA script (server clock, one GET and one SET PX) run with EVALSHA
   * on a Jedis {@code RedisClient}; key and arguments prepared in setup.
   */
  @State(Scope.Benchmark)
  public static class GcraScript extends Peer {
    static final String SCRIPT = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local tolerance = tonumber(ARGV[2])
        local tat = tonumber(redis.call('GET', KEYS[1])) or now
        if tat < now then tat = now end
        if tat - now > tolerance then return 0 end
        local new = tat + interval
        redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000))
        return 1
        """;

    RedisClient jedis;
    byte[] sha;
    byte[][] keys;
    byte[] interval;
    byte[] tolerance;

    @Override
    protected void open() {
      jedis = RedisClient.create(server.host(), server.port());
      sha = jedis.scriptLoad(SCRIPT).getBytes(StandardCharsets.US_ASCII);
      keys = new byte[KEYS][];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = ("gcra:" + i).getBytes(StandardCharsets.UTF_8);
      }
      long intervalMicros = 1_000_000L / LIMIT;
      interval = Long.toString(intervalMicros).getBytes(StandardCharsets.US_ASCII);
      tolerance = Long.toString((LIMIT - 1) * intervalMicros).getBytes(StandardCharsets.US_ASCII); // burst = LIMIT
    }

    boolean allow(int caller) {
      return ((Long) jedis.evalsha(sha, 1, keys[caller], interval, tolerance)) == 1L;
    }

    @Override
    protected void close() {
      jedis.close();
    }
  }

  /**
   * The generated proxy on a Jedis {@code RedisClient} (its default pool: 8 connections), like the
   * cache benchmark's {@code CachePeers.RedwireProxy}: key build, one EVALSHA of the GCRA script, reply
   * check.
   */
  @State(Scope.Benchmark)
  public static class RedwireProxy extends Peer {
    RedisClient jedis;
    Redwire redwire;
    BenchLimits limits;

    @Override
    protected void open() {
      jedis = RedisClient.create(server.host(), server.port());
      redwire = Redwire.builder().client(jedis).namespace("bench").build();
      limits = RedwireBenchLimits.wrap(new BenchLimits.Echo(), redwire);
      for (int i = 0; i < KEYS; i++) { // loads the script and checks every caller is admitted
        if (limits.call(i) != i) {
          throw new IllegalStateException("the delegate was not called for " + i);
        }
      }
    }

    @Override
    protected void close() {
      redwire.close();
      jedis.close();
    }
  }

  @Benchmark
  public void redwire(RedwireProxy peer, Caller caller, Blackhole bh) {
    bh.consume(peer.limits.call(caller.next()));
  }

  @Benchmark
  public boolean bucket4jJedis(Bucket4j peer, Caller caller) {
    return peer.buckets[caller.next()].tryConsume(1);
  }

  @Benchmark
  public boolean redissonRateLimiter(RedissonLimiter peer, Caller caller) {
    return peer.limiters[caller.next()].tryAcquire();
  }

  @Benchmark
  public boolean gcraHandWritten(GcraScript peer, Caller caller) {
    return peer.allow(caller.next());
  }
}
