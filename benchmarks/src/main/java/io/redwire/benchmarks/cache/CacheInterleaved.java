package io.redwire.benchmarks.cache;

import io.redwire.benchmarks.Interleaved;
import io.redwire.benchmarks.Products;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cache rows of {@link CacheBenchmark}, the peers {@link Interleaved interleaved} round by round, each
 * on its own server as in JMH: {@code hit} (the hit key space, every entry loaded first) for the
 * generated proxy and hand-written Jedis; {@code miss} (an id never used before on every call) for the
 * generated proxy, hand-written Jedis and Spring's {@code @Cacheable} on Jedis and on Lettuce.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.redwire.benchmarks.cache.CacheInterleaved
 * hit|miss [threads, 1] [rounds, 30] [operations per thread per block, 2000]} ({@code -DwarmupRounds=10},
 * {@code -DperRound=true})
 */
public final class CacheInterleaved {

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "hit";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int block = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
    boolean hit = kind.equals("hit");
    List<CachePeers.Peer> opened = new ArrayList<>();
    try {
      List<Interleaved.Peer> peers = new ArrayList<>();
      peers.add(peer("redwire", new CachePeers.RedwireProxy(), hit, opened));
      peers.add(peer("jedis hand-written", new CachePeers.HandWrittenJedis(), hit, opened));
      if (!hit) {
        peers.add(peer("spring + jedis", new CachePeers.SpringJedis(), false, opened));
        peers.add(peer("spring + lettuce", new CachePeers.SpringLettuce(), false, opened));
      }
      Interleaved run = new Interleaved(threads, rounds, block, Integer.getInteger("warmupRounds", 10));
      Interleaved.Result result = run.run(peers);
      List<String> bases = peers.stream().map(Interleaved.Peer::name).filter(n -> !n.equals("redwire")).toList();
      System.out.println(kind + ":");
      run.print(result, List.of("redwire"), bases, Boolean.getBoolean("perRound"));
    } finally {
      for (CachePeers.Peer p : opened) {
        p.tearDown();
      }
    }
  }

  private static final AtomicLong FRESH = new AtomicLong(System.nanoTime() & 0xffff_ffffL);

  static Interleaved.Peer peer(String name, CachePeers.Peer peer, boolean hit, List<CachePeers.Peer> opened) {
    peer.setUp(); // loads the hit key space and checks every value
    opened.add(peer);
    return new Interleaved.Peer(name, hit
        ? (thread, seq) -> {
          long id = (thread * 7919L + seq) % Products.HIT_KEYS;
          if (peer.catalog.product(id).id() != id) {
            throw new IllegalStateException("wrong product");
          }
        }
        : (thread, seq) -> {
          long id = FRESH.incrementAndGet();
          if (peer.catalog.fresh(id).id() != id) {
            throw new IllegalStateException("wrong product");
          }
        });
  }

  private CacheInterleaved() {}
}
