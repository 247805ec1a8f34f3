package io.redwire.benchmarks.board;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.board.Board;
import io.redwire.runtime.board.BoardRegion;
import io.redwire.runtime.board.BoardSettings;
import io.redwire.runtime.board.MemberCodec;
import io.redwire.runtime.key.KeyWriter;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;

/**
 * {@code add} + {@code rank} of {@link BoardBenchmark} (and each side in one round trip), with the peers interleaved: each round runs a
 * block of operations of every peer (its own server and million-member board, as in the JMH
 * benchmark), in an order that rotates every round, and the ratio Redwire / hand-written Jedis is taken
 * per round. A load that drifts (other processes on a two-core machine) then moves both sides of each
 * ratio alike, where separate JMH runs minutes apart see different machines.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.redwire.benchmarks.board.BoardInterleaved
 * [threads, 1] [rounds, 30] [operations per thread per block, 2000]}
 */
public final class BoardInterleaved {

  static final int WARMUP_ROUNDS = Integer.getInteger("warmupRounds", 10);

  interface Op {
    void run(long member);
  }

  record Peer(String name, Op op) {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int block = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    List<AutoCloseable> closing = new ArrayList<>();
    try {
      List<Peer> peers = new ArrayList<>();
      peers.addAll(redwire(BoardSettings.Ties.SHARED, closing));
      peers.addAll(redwire(BoardSettings.Ties.FIRST_COME, closing));
      peers.addAll(jedis(closing));
      long[] sink = new long[threads];
      double[][] rates = new double[peers.size()][rounds];
      // untimed warm-up rounds of every peer (the JIT compiles both paths), then the timed rounds
      for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
        for (int i = 0; i < peers.size(); i++) {
          int p = Math.floorMod(i + r, peers.size());
          long nanos = runBlock(peers.get(p), threads, block, r, sink);
          if (r >= 0) {
            rates[p][r] = (double) threads * block * 1e9 / nanos;
          }
        }
      }
      System.out.printf(Locale.ROOT, "threads=%d rounds=%d block=%d (operations per thread; one operation is add + rank)%n",
          threads, rounds, block);
      if (Boolean.getBoolean("perRound")) {
        for (int r = 0; r < rounds; r++) {
          StringBuilder line = new StringBuilder("round " + r + ":");
          for (int p = 0; p < peers.size(); p++) {
            line.append(String.format(Locale.ROOT, " %,.0f", rates[p][r]));
          }
          System.out.println(line);
        }
      }
      for (int p = 0; p < peers.size(); p++) {
        double[] r = rates[p];
        System.out.printf(Locale.ROOT, "%-32s ops/s median %,.0f (min %,.0f, max %,.0f)%n", peers.get(p).name(),
            median(r), Arrays.stream(r).min().orElse(0), Arrays.stream(r).max().orElse(0));
      }
      for (int jedis = peers.size() - 2; jedis < peers.size(); jedis++) {
      for (int p = 0; p < peers.size() - 2; p++) {
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = rates[p][r] / rates[jedis][r];
        }
        // ratios average on a log scale (geometric mean): a round at half speed and one at double cancel
        double[] logs = Arrays.stream(ratio).map(Math::log).toArray();
        double mean = Arrays.stream(logs).average().orElse(0);
        double sd = Math.sqrt(Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum() / (rounds - 1));
        double half = 2.0 * sd / Math.sqrt(rounds); // ~95 % for 30 rounds (t = 2.05)
        double[] sorted = ratio.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT,
            "%s / %s: geometric mean %.3f (95 %% interval %.3f-%.3f), median %.3f, per-round 10th-90th"
                + " percentile %.3f-%.3f%n",
            peers.get(p).name(), peers.get(jedis).name(), Math.exp(mean), Math.exp(mean - half), Math.exp(mean + half), median(ratio),
            sorted[rounds / 10], sorted[rounds - 1 - rounds / 10]);
      }
      }
      long total = 0;
      for (long s : sink) {
        total += s;
      }
      if (total == 42) {
        System.out.println();
      }
    } finally {
      for (int i = closing.size() - 1; i >= 0; i--) {
        closing.get(i).close();
      }
    }
  }

  /** Runs {@code block} operations on each of {@code threads} threads at once; the wall time of the block. */
  static long runBlock(Peer peer, int threads, int block, int round, long[] sink) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CountDownLatch done = new CountDownLatch(threads);
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        try {
          long member = ((thread + 1L) * 7919 + (long) (round + WARMUP_ROUNDS) * 104_729) % BoardBenchmark.MEMBERS;
          start.await();
          for (int i = 0; i < block; i++) {
            peer.op().run(member);
            member = member + 1 == BoardBenchmark.MEMBERS ? 0 : member + 1;
          }
          sink[thread] += member;
        } catch (Throwable e) {
          failure[0] = e;
        } finally {
          done.countDown();
        }
      });
      worker.start();
    }
    start.await();
    long t0 = System.nanoTime();
    done.await();
    long elapsed = System.nanoTime() - t0;
    if (failure[0] != null) {
      throw new IllegalStateException(peer.name() + " failed", failure[0]);
    }
    return elapsed;
  }

  /** Two peers on one server and board: {@code add} then {@code rank}, and {@code addAndRank}. */
  static List<Peer> redwire(BoardSettings.Ties ties, List<AutoCloseable> closing) {
    RedisServer server = RedisServer.start();
    closing.add(server);
    Redwire redwire = Redwire.builder().uri(server.uri()).namespace("bench").build();
    closing.add(redwire);
    BoardSettings settings = new BoardSettings("weekly", ties,
        BoardSettings.Period.rolling(Duration.ofDays(7), Duration.ofHours(1)), 0, 10_000_000);
    BoardRegion<Long> region = BoardRegion.of(redwire, settings, MemberCodec.LONG);
    Board<Long> board = region.board(KeyWriter.begin(region.prefix()).part("game").end());
    board.add(0L, 0); // creates the period's key
    byte[] periodKey = redwire.client().keys("bench:board:weekly:*".getBytes(StandardCharsets.UTF_8))
        .iterator().next();
    try (RedisClient plain = RedisClient.create(server.host(), server.port())) {
      BoardBenchmark.fill(plain, periodKey, true,
          ties == BoardSettings.Ties.FIRST_COME ? Duration.ofDays(7).toMillis() : 0, MemberCodec.LONG);
    }
    String name = ties == BoardSettings.Ties.SHARED ? "redwire shared" : "redwire first-come";
    return List.of(new Peer(name + " add, rank", member -> {
      if (board.add(member, 1) == Long.MIN_VALUE || board.rank(member).isEmpty()) {
        throw new IllegalStateException("not on the board: " + member);
      }
    }), new Peer(name + " addAndRank", member -> {
      if (board.addAndRank(member, 1).isEmpty()) {
        throw new IllegalStateException("not on the board: " + member);
      }
    }));
  }

  /** Two peers on one server: {@code ZINCRBY}, then {@code ZREVRANK} + {@code ZSCORE}; all three in one pipeline. */
  static List<Peer> jedis(List<AutoCloseable> closing) {
    RedisServer server = RedisServer.start();
    closing.add(server);
    RedisClient jedis = RedisClient.create(server.host(), server.port());
    closing.add(jedis);
    byte[] key = BoardBenchmark.KEY.getBytes(StandardCharsets.UTF_8);
    BoardBenchmark.fill(jedis, key, false, 0, BoardBenchmark.PLAIN);
    return List.of(new Peer("jedis 2 round trips", m -> {
      byte[] member = BoardBenchmark.PLAIN.encode(m);
      jedis.zincrby(key, 1, member);
      try (AbstractPipeline pipe = jedis.pipelined()) {
        Response<Long> rank = pipe.zrevrank(key, member);
        Response<Double> score = pipe.zscore(key, member);
        pipe.sync();
        if (rank.get() == null || score.get() == null) {
          throw new IllegalStateException("not on the board: " + m);
        }
      }
    }), new Peer("jedis 1 pipeline", m -> {
      byte[] member = BoardBenchmark.PLAIN.encode(m);
      try (AbstractPipeline pipe = jedis.pipelined()) {
        Response<Double> added = pipe.zincrby(key, 1, member);
        Response<Long> rank = pipe.zrevrank(key, member);
        Response<Double> score = pipe.zscore(key, member);
        pipe.sync();
        if (added.get() == null || rank.get() == null || score.get() == null) {
          throw new IllegalStateException("not on the board: " + m);
        }
      }
    }));
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private BoardInterleaved() {}
}
