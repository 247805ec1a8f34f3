package io.redwire.benchmarks.cache;

import io.redwire.benchmarks.BenchCatalog;
import io.redwire.benchmarks.BenchCatalog.Product;
import io.redwire.benchmarks.Bulk;
import io.redwire.benchmarks.Ids;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cache hit (a GET and a decode of a ~60-byte record from a loaded key space of 1000 ids) and cache
 * miss (a new id every call: GET nil, load, store with a TTL) for every peer. Thread count comes from
 * the command line ({@code -t 1}, {@code -t 8}); see BENCHMARKS.md.
 *
 * <p>The {@code bulk100_} rows fetch 100 cached ids per operation: Redwire's bulk method (one MGET),
 * against 100 single-key calls through the same proxy and through Spring's {@code @Cacheable}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class CacheBenchmark {

  @Benchmark
  public Product hit_redwire(CachePeers.RedwireProxy peer, Ids ids) {
    return peer.catalog.product(ids.hit());
  }

  @Benchmark
  public Product hit_jedisHandWritten(CachePeers.HandWrittenJedis peer, Ids ids) {
    return peer.catalog.product(ids.hit());
  }

  @Benchmark
  public Product hit_springLettuce(CachePeers.SpringLettuce peer, Ids ids) {
    return peer.catalog.product(ids.hit());
  }

  @Benchmark
  public Product hit_springJedis(CachePeers.SpringJedis peer, Ids ids) {
    return peer.catalog.product(ids.hit());
  }

  @Benchmark
  public Product hit_redissonBucket(CachePeers.RedissonBucket peer, Ids ids) {
    return peer.catalog.product(ids.hit());
  }

  /** {@code @Cached(near = 2000)}: the in-process near cache answers, no round trip. */
  @Benchmark
  public Product nearHit_redwire(NearPeers.RedwireNear peer, Ids ids) {
    return peer.catalog.product(ids.hit());
  }

  /** Redisson's {@code RLocalCachedMap}, the near-cache peer. */
  @Benchmark
  public Product nearHit_redissonLocalCachedMap(NearPeers.RedissonLocalCachedMap peer, Ids ids) {
    return peer.product(ids.hit());
  }

  @Benchmark
  public Product miss_redwire(CachePeers.RedwireProxy peer, Ids ids) {
    return peer.catalog.fresh(ids.fresh());
  }

  @Benchmark
  public Product miss_jedisHandWritten(CachePeers.HandWrittenJedis peer, Ids ids) {
    return peer.catalog.fresh(ids.fresh());
  }

  @Benchmark
  public Product miss_springLettuce(CachePeers.SpringLettuce peer, Ids ids) {
    return peer.catalog.fresh(ids.fresh());
  }

  @Benchmark
  public Product miss_springJedis(CachePeers.SpringJedis peer, Ids ids) {
    return peer.catalog.fresh(ids.fresh());
  }

  @Benchmark
  public Product miss_redissonBucket(CachePeers.RedissonBucket peer, Ids ids) {
    return peer.catalog.fresh(ids.fresh());
  }

  @Benchmark
  public Map<Long, Product> bulk100_redwireBulk(CachePeers.RedwireProxy peer, Bulk bulk) {
    return peer.catalog.products(bulk.ids());
  }

  @Benchmark
  public long bulk100_redwireSingles(CachePeers.RedwireProxy peer, Bulk bulk) {
    return singles(peer.catalog, bulk);
  }

  @Benchmark
  public long bulk100_springJedisSingles(CachePeers.SpringJedis peer, Bulk bulk) {
    return singles(peer.catalog, bulk);
  }

  @Benchmark
  public long bulk100_springLettuceSingles(CachePeers.SpringLettuce peer, Bulk bulk) {
    return singles(peer.catalog, bulk);
  }

  /** 100 single-key calls, one per id of the bulk. */
  private static long singles(BenchCatalog catalog, Bulk bulk) {
    long sum = 0;
    for (Long id : bulk.ids()) {
      sum += catalog.product(id).priceCents();
    }
    return sum;
  }
}
