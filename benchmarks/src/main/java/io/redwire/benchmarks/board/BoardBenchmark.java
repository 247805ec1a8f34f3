package io.redwire.benchmarks.board;

import io.redwire.benchmarks.ServerPeer;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.board.Board;
import io.redwire.runtime.board.BoardRegion;
import io.redwire.runtime.board.BoardSettings;
import io.redwire.runtime.board.MemberCodec;
import io.redwire.runtime.key.KeyWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/**
 * A 1,000,000-member leaderboard (scores 0..9,999, so ties everywhere), per peer on its own server:
 * {@code addRank} adds a point to a member and reads its rank and score (two operations, as a game
 * server does after a match); {@code top10} reads the best ten with scores.
 *
 * <ul>
 *   <li>{@code redwire}: {@link BoardRegion} with {@code SHARED} ties ({@code add}: one script;
 *       {@code rank}: one script, rank and score together; {@code top}: one script);
 *   <li>{@code redwireFirstCome}: the same with the first-come tie-break folded into the score;
 *   <li>{@code redwireOneCall}, {@code redwireFirstComeOneCall}: {@code Board.addAndRank}, the add and
 *       the rank it gave in one script;
 *   <li>{@code jedis}: hand-written {@code ZINCRBY}, then {@code ZREVRANK} + {@code ZSCORE} pipelined
 *       (one round trip), and {@code ZREVRANGE WITHSCORES}; plain ranks (ties by member bytes);
 *   <li>{@code jedisPipelined}: hand-written {@code ZINCRBY}, {@code ZREVRANK} and {@code ZSCORE} in one
 *       pipeline (one round trip);
 *   <li>{@code redisson}: {@code RScoredSortedSet} with its {@code StringCodec}: {@code addScore}
 *       (the new score), {@code revRank} ({@code revRankEntry}, rank and score in one call, needs
 *       {@code ZREVRANK WITHSCORE} of Redis 7.2+), {@code entryRangeReversed(0, 9)}.
 * </ul>
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class BoardBenchmark {

  static final int MEMBERS = 1_000_000;
  static final String KEY = "bench:board:{weekly}";

  /** Per thread: the next member. */
  @State(Scope.Thread)
  public static class Member {
    long next = Thread.currentThread().getId() * 7919 % MEMBERS;

    long next() {
      long m = next;
      next = m + 1 == MEMBERS ? 0 : m + 1;
      return m;
    }
  }

  /** Fills {@code key} with a million members through a plain client, in batches. */
  static void fill(RedisClient jedis, byte[] key, boolean negated, long range, MemberCodec<Long> codec) {
    for (int from = 0; from < MEMBERS; from += 10_000) {
      Map<byte[], Double> batch = new HashMap<>();
      for (int i = from; i < from + 10_000; i++) {
        long score = (i * 7919L) % 10_000;
        double stored = negated ? (range > 0 ? -score * range + i : -score) : score;
        batch.put(codec.encode((long) i), stored);
      }
      jedis.zadd(key, batch);
    }
  }

  static final MemberCodec<Long> PLAIN = new MemberCodec<>() {
    @Override
    public byte[] encode(Long member) {
      return ("user:" + member).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Long decode(byte[] bytes) {
      return Long.parseLong(new String(bytes, 5, bytes.length - 5, StandardCharsets.US_ASCII));
    }
  };

  abstract static class RedwirePeer extends ServerPeer {
    Redwire redwire;
    Board<Long> board;

    abstract BoardSettings.Ties ties();

    @Override
    protected void open() {
      redwire = Redwire.builder().uri(server.uri()).namespace("bench").build();
      BoardSettings settings = new BoardSettings("weekly", ties(),
          BoardSettings.Period.rolling(Duration.ofDays(7), Duration.ofHours(1)), 0, 10_000_000);
      BoardRegion<Long> region = BoardRegion.of(redwire, settings, MemberCodec.LONG);
      byte[] key = KeyWriter.begin(region.prefix()).part("game").end();
      board = region.board(key);
      board.add(0L, 0); // creates the period's key
      byte[] periodKey = redwire.client().keys(("bench:board:weekly:*").getBytes(StandardCharsets.UTF_8))
          .iterator().next();
      try (RedisClient plain = RedisClient.create(server.host(), server.port())) {
        fill(plain, periodKey, true, ties() == BoardSettings.Ties.FIRST_COME ? Duration.ofDays(7).toMillis() : 0,
            MemberCodec.LONG);
      }
    }

    @Override
    protected void close() {
      redwire.close();
    }
  }

  @State(Scope.Benchmark)
  public static class RedwireShared extends RedwirePeer {
    @Override
    BoardSettings.Ties ties() {
      return BoardSettings.Ties.SHARED;
    }
  }

  @State(Scope.Benchmark)
  public static class RedwireFirstCome extends RedwirePeer {
    @Override
    BoardSettings.Ties ties() {
      return BoardSettings.Ties.FIRST_COME;
    }
  }

  @State(Scope.Benchmark)
  public static class Jedis extends ServerPeer {
    RedisClient jedis;
    final byte[] key = KEY.getBytes(StandardCharsets.UTF_8);

    @Override
    protected void open() {
      jedis = RedisClient.create(server.host(), server.port());
      fill(jedis, key, false, 0, PLAIN);
    }

    @Override
    protected void close() {
      jedis.close();
    }
  }

  @State(Scope.Benchmark)
  public static class Redisson extends ServerPeer {
    RedissonClient redisson;
    RScoredSortedSet<String> set;

    @Override
    protected void open() {
      try (RedisClient plain = RedisClient.create(server.host(), server.port())) {
        fill(plain, KEY.getBytes(StandardCharsets.UTF_8), false, 0, PLAIN);
      }
      redisson = ServerPeer.redisson(server);
      set = redisson.getScoredSortedSet(KEY, StringCodec.INSTANCE);
    }

    @Override
    protected void close() {
      redisson.shutdown();
    }
  }

  @Benchmark
  public void addRank_redwire(RedwireShared p, Member m, Blackhole bh) {
    long member = m.next();
    bh.consume(p.board.add(member, 1));
    bh.consume(p.board.rank(member));
  }

  @Benchmark
  public void addRank_redwireFirstCome(RedwireFirstCome p, Member m, Blackhole bh) {
    long member = m.next();
    bh.consume(p.board.add(member, 1));
    bh.consume(p.board.rank(member));
  }

  /** The same in one call: {@code addAndRank}, one script (the add, then the rank it gave). */
  @Benchmark
  public void addRank_redwireOneCall(RedwireShared p, Member m, Blackhole bh) {
    bh.consume(p.board.addAndRank(m.next(), 1));
  }

  @Benchmark
  public void addRank_redwireFirstComeOneCall(RedwireFirstCome p, Member m, Blackhole bh) {
    bh.consume(p.board.addAndRank(m.next(), 1));
  }

  /** Hand-written in one round trip: {@code ZINCRBY}, {@code ZREVRANK} and {@code ZSCORE} pipelined. */
  @Benchmark
  public void addRank_jedisPipelined(Jedis p, Member m, Blackhole bh) {
    byte[] member = PLAIN.encode(m.next());
    try (AbstractPipeline pipe = p.jedis.pipelined()) {
      Response<Double> added = pipe.zincrby(p.key, 1, member);
      Response<Long> rank = pipe.zrevrank(p.key, member);
      Response<Double> score = pipe.zscore(p.key, member);
      pipe.sync();
      bh.consume(added.get());
      bh.consume(rank.get());
      bh.consume(score.get());
    }
  }

  @Benchmark
  public void addRank_jedis(Jedis p, Member m, Blackhole bh) {
    byte[] member = PLAIN.encode(m.next());
    bh.consume(p.jedis.zincrby(p.key, 1, member));
    try (AbstractPipeline pipe = p.jedis.pipelined()) {
      Response<Long> rank = pipe.zrevrank(p.key, member);
      Response<Double> score = pipe.zscore(p.key, member);
      pipe.sync();
      bh.consume(rank.get());
      bh.consume(score.get());
    }
  }

  @Benchmark
  public void addRank_redisson(Redisson p, Member m, Blackhole bh) {
    String member = "user:" + m.next();
    bh.consume(p.set.addScore(member, 1));
    bh.consume(p.set.revRank(member)); // revRankEntry needs ZREVRANK WITHSCORE (Redis 7.2+)
  }

  @Benchmark
  public Object top10_redwire(RedwireShared p) {
    return p.board.top(10);
  }

  @Benchmark
  public Object top10_redwireFirstCome(RedwireFirstCome p) {
    return p.board.top(10);
  }

  @Benchmark
  public List<Tuple> top10_jedis(Jedis p) {
    return p.jedis.zrevrangeWithScores(p.key, 0, 9);
  }

  @Benchmark
  public Object top10_redisson(Redisson p) {
    return p.set.entryRangeReversed(0, 9);
  }
}
