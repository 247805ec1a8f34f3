package io.redwire.benchmarks.board;

import io.redwire.benchmarks.Interleaved;
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
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;

/**
 * {@code add} + {@code rank} of {@link BoardBenchmark} (and each side in one round trip), the peers
 * {@link Interleaved interleaved} round by round: each Redwire board and the hand-written Jedis board on
 * its own server with a million members, as in the JMH benchmark.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.redwire.benchmarks.board.BoardInterleaved
 * [threads, 1] [rounds, 30] [operations per thread per block, 1000]} ({@code -DwarmupRounds=10},
 * {@code -DperRound=true})
 */
public final class BoardInterleaved {

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int block = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    List<AutoCloseable> closing = Interleaved.closing();
    try {
      List<Interleaved.Peer> peers = new ArrayList<>();
      peers.addAll(redwire(BoardSettings.Ties.SHARED, threads, closing));
      peers.addAll(redwire(BoardSettings.Ties.FIRST_COME, threads, closing));
      peers.addAll(jedis(threads, closing));
      Interleaved run = new Interleaved(threads, rounds, block, Integer.getInteger("warmupRounds", 10));
      Interleaved.Result result = run.run(peers);
      List<String> redwire = peers.stream().map(Interleaved.Peer::name).filter(n -> n.startsWith("redwire")).toList();
      run.print(result, redwire, List.of("jedis 2 round trips", "jedis 1 pipeline"), Boolean.getBoolean("perRound"));
    } finally {
      Interleaved.closeAll(closing);
    }
  }

  /** The member a thread's {@code seq}-th operation adds to: each thread walks its own stretch. */
  static long member(int thread, long seq) {
    return ((thread + 1L) * 7919 * 31 + seq) % BoardBenchmark.MEMBERS;
  }

  /** Two peers on one server and board: {@code add} then {@code rank}, and {@code addAndRank}. */
  static List<Interleaved.Peer> redwire(BoardSettings.Ties ties, int threads, List<AutoCloseable> closing) {
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
    return List.of(new Interleaved.Peer(name + " add, rank", (thread, seq) -> {
      long member = member(thread, seq);
      if (board.add(member, 1) == Long.MIN_VALUE || board.rank(member).isEmpty()) {
        throw new IllegalStateException("not on the board: " + member);
      }
    }), new Interleaved.Peer(name + " addAndRank", (thread, seq) -> {
      long member = member(thread, seq);
      if (board.addAndRank(member, 1).isEmpty()) {
        throw new IllegalStateException("not on the board: " + member);
      }
    }));
  }

  /** Two peers on one server: {@code ZINCRBY}, then {@code ZREVRANK} + {@code ZSCORE}; all three in one pipeline. */
  static List<Interleaved.Peer> jedis(int threads, List<AutoCloseable> closing) {
    RedisServer server = RedisServer.start();
    closing.add(server);
    RedisClient jedis = RedisClient.create(server.host(), server.port());
    closing.add(jedis);
    byte[] key = BoardBenchmark.KEY.getBytes(StandardCharsets.UTF_8);
    BoardBenchmark.fill(jedis, key, false, 0, BoardBenchmark.PLAIN);
    return List.of(new Interleaved.Peer("jedis 2 round trips", (thread, seq) -> {
      byte[] member = BoardBenchmark.PLAIN.encode(member(thread, seq));
      jedis.zincrby(key, 1, member);
      try (AbstractPipeline pipe = jedis.pipelined()) {
        Response<Long> rank = pipe.zrevrank(key, member);
        Response<Double> score = pipe.zscore(key, member);
        pipe.sync();
        if (rank.get() == null || score.get() == null) {
          throw new IllegalStateException("not on the board");
        }
      }
    }), new Interleaved.Peer("jedis 1 pipeline", (thread, seq) -> {
      byte[] member = BoardBenchmark.PLAIN.encode(member(thread, seq));
      try (AbstractPipeline pipe = jedis.pipelined()) {
        Response<Double> added = pipe.zincrby(key, 1, member);
        Response<Long> rank = pipe.zrevrank(key, member);
        Response<Double> score = pipe.zscore(key, member);
        pipe.sync();
        if (added.get() == null || rank.get() == null || score.get() == null) {
          throw new IllegalStateException("not on the board");
        }
      }
    }));
  }

  private BoardInterleaved() {}
}
