package io.redwire.runtime.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.testing.CommandCounter;
import io.redwire.runtime.key.KeyWriter;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;

/** {@link BoardRegion} against a real redis-server, compared with an in-memory model. */
class BoardTest {

  static RedisServer server;
  static RedisClient plain;
  static int namespaces;
  Redwire redwire;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    plain = RedisClient.create(server.host(), server.port());
  }

  @AfterAll
  static void stop() {
    plain.close();
    server.close();
  }

  @BeforeEach
  void connect() {
    redwire = Redwire.builder().uri(server.uri()).namespace("b" + ++namespaces).build();
  }

  @AfterEach
  void close() {
    redwire.close();
  }

  static BoardSettings settings(String name, BoardSettings.Ties ties) {
    return new BoardSettings(name, ties, BoardSettings.Period.rolling(Duration.ofDays(7), Duration.ofHours(1)),
        0, 1_000_000);
  }

  static <M> Board<M> board(BoardRegion<M> region, String part) {
    return region.board(KeyWriter.begin(region.prefix()).part(part).end());
  }

  /**
   * 100,000 random operations (adds, bests, removes; scores in a small range, so ties are everywhere)
   * and every answer compared with the model: rank, score, top, page, around, size. The model ranks by
   * its own rules: shared ties by score, then member order; first-come ties by score, then the order in
   * which members reached their score (the model's own count of writes that changed a score). For
   * first-come the test starts each write in a later millisecond than the previous one returned, so the
   * server's clock (the tie-break has millisecond resolution) orders the writes as they were made.
   */
  @ParameterizedTest
  @EnumSource(BoardSettings.Ties.class)
  void everyAnswerMatchesAnInMemoryModel(BoardSettings.Ties ties) {
    BoardRegion<Long> region = BoardRegion.of(redwire, settings("model-" + ties, ties), MemberCodec.LONG);
    Board<Long> board = board(region, "g");
    Model model = new Model(ties);
    boolean firstCome = ties == BoardSettings.Ties.FIRST_COME;
    Map<Long, Long> lastWriteTo = new HashMap<>(); // score -> the millisecond the last write to it returned
    Random random = new Random(42 + ties.ordinal());
    int operations = Integer.getInteger("redwire.board.operations", 100_000);
    for (int i = 0; i < operations; i++) {
      long member = random.nextInt(60) + (random.nextBoolean() ? 0 : 1000) - 30;
      int op = random.nextInt(100);
      long points = random.nextInt(7) - 2;
      long candidate = random.nextInt(25);
      Long target = null; // the score a write gives the member, when it changes it
      if (op < 25 && points != 0) {
        target = model.score.getOrDefault(member, 0L) + points;
      } else if (op < 25 && !model.score.containsKey(member)) {
        target = 0L;
      } else if (op >= 25 && op < 40
          && (!model.score.containsKey(member) || candidate > model.score.get(member))) {
        target = candidate;
      }
      if (firstCome && target != null) {
        Long last = lastWriteTo.get(target);
        while (last != null && System.currentTimeMillis() <= last) {
          // members that reach one score must do so in different milliseconds, or the server's clock
          // cannot order them as they were made
          Thread.onSpinWait();
        }
      }
      if (op < 25 && (i & 1) == 1) {
        Optional<Ranked<Long>> ranked = board.addAndRank(member, points);
        model.set(member, model.score.getOrDefault(member, 0L) + points);
        assertEquals(model.rank(member), ranked, "addAndRank of " + member);
      } else if (op < 25) {
        long score = board.add(member, points);
        assertEquals(model.score.getOrDefault(member, 0L) + points, score, "add");
        model.set(member, score);
      } else if (op < 40) {
        long best = board.best(member, candidate);
        long expected = Math.max(candidate, model.score.getOrDefault(member, Long.MIN_VALUE));
        assertEquals(expected, best, "best");
        if (!model.score.containsKey(member) || candidate > model.score.get(member)) {
          model.set(member, candidate);
        }
      } else if (op < 45) {
        assertEquals(model.score.containsKey(member), board.remove(member), "remove");
        model.remove(member);
      } else if (op < 60) {
        assertEquals(model.rank(member), board.rank(member), "rank of " + member);
      } else if (op < 70) {
        int n = random.nextInt(15);
        assertEquals(model.range(0, n), board.top(n), "top " + n);
      } else if (op < 80) {
        int size = 1 + random.nextInt(9);
        int page = random.nextInt(12);
        assertEquals(model.range(page * size, size), board.page(page, size), "page " + page + " of " + size);
      } else if (op < 92) {
        int d = random.nextInt(5);
        assertEquals(model.around(member, d), board.around(member, d), "around " + member + " by " + d);
      } else if (op < 96) {
        OptionalLong s = board.score(member);
        assertEquals(model.score.containsKey(member) ? OptionalLong.of(model.score.get(member))
            : OptionalLong.empty(), s, "score");
      } else {
        assertEquals(model.score.size(), board.size(), "size");
      }
      if (target != null) {
        lastWriteTo.put(target, System.currentTimeMillis());
      }
    }
  }

  @Test
  void firstComeRanksWhoReachedAScoreFirstHigher() throws Exception {
    BoardRegion<String> region = BoardRegion.of(redwire,
        settings("fc", BoardSettings.Ties.FIRST_COME), MemberCodec.STRING);
    Board<String> board = board(region, "g");
    board.add("zed", 10);
    waitAMillisecond();
    board.add("amy", 5);
    waitAMillisecond();
    board.add("bob", 10);
    waitAMillisecond();
    board.add("amy", 5); // reaches 10 last
    assertEquals(List.of(new Ranked<>("zed", 1, 10), new Ranked<>("bob", 2, 10), new Ranked<>("amy", 3, 10)),
        board.top(3));
    waitAMillisecond();
    board.add("zed", 1);
    board.add("zed", -1); // back to 10, but reached it again just now
    assertEquals(Optional.of(new Ranked<>("zed", 3, 10)), board.rank("zed"));
  }

  @Test
  void aWriteThatLeavesTheScoreKeepsTheMomentItWasReached() throws Exception {
    BoardRegion<String> region = BoardRegion.of(redwire,
        settings("same", BoardSettings.Ties.FIRST_COME), MemberCodec.STRING);
    Board<String> board = board(region, "g");
    board.add("amy", 10);
    waitAMillisecond();
    board.add("bob", 10);
    waitAMillisecond();
    assertEquals(10, board.add("amy", 0));
    assertEquals(10, board.best("amy", 7));
    assertEquals(10, board.best("amy", 10));
    assertEquals(List.of(new Ranked<>("amy", 1, 10), new Ranked<>("bob", 2, 10)), board.top(2));
  }

  @Test
  void pointsBeyondTheExactRangeAreRefusedBeforeTheyAreRounded() {
    CountingMetrics metrics = new CountingMetrics();
    try (Redwire counted = Redwire.builder().uri(server.uri()).namespace("exact").metrics(metrics).build()) {
      BoardRegion<Long> region = BoardRegion.of(counted, new BoardSettings("exact", BoardSettings.Ties.SHARED,
          BoardSettings.Period.none(Duration.ofMinutes(1)), 0, BoardSettings.EXACT - 1), MemberCodec.LONG);
      Board<Long> board = board(region, "g");
      assertEquals(-(BoardSettings.EXACT - 1), board.add(1L, -(BoardSettings.EXACT - 1)));
      assertThrows(IllegalArgumentException.class, () -> board.add(1L, BoardSettings.EXACT + 1));
      assertThrows(IllegalArgumentException.class, () -> board.add(1L, Long.MIN_VALUE));
      assertEquals(0, board.add(1L, BoardSettings.EXACT - 1), "exact at the edge");
      assertEquals(OptionalLong.of(0), board.score(1L));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
        board.add(2L, BoardSettings.EXACT - 1);
        board.add(2L, 1);
      });
      assertTrue(e.getMessage().contains("outside the board range"), e.getMessage());
      assertEquals(OptionalLong.of(BoardSettings.EXACT - 1), board.score(2L), "unchanged");
      assertEquals(0, metrics.count("redisError"), "a refused score is no Redis error");
    }
  }

  enum Level { LOW, HIGH }

  @Test
  void aMemberThatNoLongerDecodesIsSkippedAndReported() {
    CountingMetrics metrics = new CountingMetrics();
    try (Redwire counted = Redwire.builder().uri(server.uri()).namespace("gone").metrics(metrics).build()) {
      BoardRegion<Level> region = BoardRegion.of(counted, new BoardSettings("levels", BoardSettings.Ties.SHARED,
          BoardSettings.Period.none(Duration.ofMinutes(1)), 0, 1000), MemberCodec.enumByName(Level.class));
      Board<Level> board = board(region, "g");
      board.add(Level.LOW, 1);
      board.add(Level.HIGH, 3);
      // a constant that an older build had, still on the board after a deploy removed it
      plain.zadd("gone:board:levels:{g}", -2, "MEDIUM");
      assertEquals(List.of(new Ranked<>(Level.HIGH, 1, 3), new Ranked<>(Level.LOW, 3, 1)), board.top(10));
      assertEquals(List.of(new Ranked<>(Level.LOW, 3, 1)), board.page(1, 2));
      assertEquals(List.of(new Ranked<>(Level.HIGH, 1, 3), new Ranked<>(Level.LOW, 3, 1)), board.around(Level.LOW, 1));
      assertEquals(2, metrics.count("boardOperationOf", "levels.decodeFailure"), "top and around met it");
      assertEquals(0, metrics.count("redisError"), "no Redis error");
    }
  }

  @Test
  void nullsAndNegativeSizesAreRefusedWithAMessage() {
    BoardRegion<String> region = BoardRegion.of(redwire, settings("nulls", BoardSettings.Ties.SHARED), MemberCodec.STRING);
    Board<String> board = board(region, "g");
    for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
        () -> board.add(null, 1), () -> board.best(null, 1), () -> board.score(null), () -> board.rank(null),
        () -> board.around(null, 1), () -> board.remove(null))) {
      NullPointerException e = assertThrows(NullPointerException.class, call);
      assertEquals("member", e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> board.top(-1));
    assertEquals("n must be >= 0, got -1", e.getMessage());
  }

  @Test
  void sharedTiesShareARankAndListInNumericMemberOrder() {
    BoardRegion<Long> region = BoardRegion.of(redwire, settings("sh", BoardSettings.Ties.SHARED), MemberCodec.LONG);
    Board<Long> board = board(region, "g");
    board.add(10L, 5);
    board.add(9L, 5);
    board.add(100L, 7);
    board.add(-3L, 5);
    board.add(1L, 1);
    assertEquals(List.of(new Ranked<>(100L, 1, 7), new Ranked<>(-3L, 2, 5), new Ranked<>(9L, 2, 5),
        new Ranked<>(10L, 2, 5), new Ranked<>(1L, 5, 1)), board.top(10));
    assertEquals(List.of(new Ranked<>(9L, 2, 5), new Ranked<>(10L, 2, 5)), board.page(1, 2));
  }

  @Test
  void aroundKeepsAFullWindowAtTheEdges() {
    BoardRegion<Long> region = BoardRegion.of(redwire, settings("edges", BoardSettings.Ties.SHARED), MemberCodec.LONG);
    Board<Long> board = board(region, "g");
    for (long m = 1; m <= 10; m++) {
      board.add(m, 100 - m);
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), members(board.around(1L, 2)), "top of the board");
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L), members(board.around(10L, 2)), "bottom of the board");
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), members(board.around(6L, 2)));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), members(board.around(3L, 40)), "small board");
    assertEquals(List.of(), board.around(99L, 2), "not on the board");
  }

  @Test
  void keepTrimsToTheBestOnWrite() {
    BoardRegion<Long> region = BoardRegion.of(redwire, new BoardSettings("kept", BoardSettings.Ties.SHARED,
        BoardSettings.Period.none(Duration.ofMinutes(5)), 3, 1000), MemberCodec.LONG);
    Board<Long> board = board(region, "g");
    for (long m = 1; m <= 10; m++) {
      board.add(m, m);
    }
    assertEquals(3, board.size());
    assertEquals(List.of(10L, 9L, 8L), members(board.top(5)));
    assertEquals(Optional.empty(), board.addAndRank(4L, 1), "trimmed off at once: not on the board");
    assertEquals(Optional.of(new Ranked<>(7L, 2, 9)), board.addAndRank(7L, 9), "now second of the three");
    assertEquals(List.of(10L, 7L, 9L), members(board.top(5)));
  }

  @Test
  void scoresOutsideTheDeclaredRangeAreRefusedNotRounded() {
    BoardRegion<Long> region = BoardRegion.of(redwire, settings("range", BoardSettings.Ties.FIRST_COME), MemberCodec.LONG);
    Board<Long> board = board(region, "g");
    board.add(1L, 999_999);
    RuntimeException e = assertThrows(RuntimeException.class, () -> board.add(1L, 2));
    assertTrue(e.getMessage().contains("outside the board range"), e.getMessage());
    assertEquals(OptionalLong.of(999_999), board.score(1L), "unchanged");
  }

  @Test
  void aSharedAddOutsideTheRangeIsTakenBackInTheSameScript() {
    BoardRegion<Long> region = BoardRegion.of(redwire, settings("range-shared", BoardSettings.Ties.SHARED),
        MemberCodec.LONG);
    Board<Long> board = board(region, "g");
    assertEquals(999_999, board.add(1L, 999_999));
    assertEquals(-999_999, board.add(2L, -999_999));
    RuntimeException up = assertThrows(RuntimeException.class, () -> board.add(1L, 2));
    assertTrue(up.getMessage().contains("score 1000001 is outside the board range"), up.getMessage());
    RuntimeException down = assertThrows(RuntimeException.class, () -> board.add(2L, -2));
    assertTrue(down.getMessage().contains("score -1000001 is outside the board range"), down.getMessage());
    assertEquals(OptionalLong.of(999_999), board.score(1L), "taken back");
    assertEquals(OptionalLong.of(-999_999), board.score(2L), "taken back");
    assertEquals(List.of(new Ranked<>(1L, 1, 999_999), new Ranked<>(2L, 2, -999_999)), board.top(5));
    assertEquals(1_000_000, board.add(1L, 1), "the edge itself is in range");
    assertEquals(OptionalLong.empty(), board.score(3L));
    assertEquals(0, board.add(3L, 0), "an add of nothing puts an absent member on the board at 0");
    assertEquals(3, board.size());
  }

  @Test
  void firstComeRangeThatCannotBeExactIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BoardSettings("huge",
        BoardSettings.Ties.FIRST_COME, BoardSettings.Period.rolling(Duration.ofDays(7), Duration.ZERO),
        0, 1L << 40));
    assertTrue(e.getMessage().endsWith("the largest score that fits is 14892854"), e.getMessage());
  }

  @Test
  void rollingPeriodKeysExpireAfterThePeriodPlusGrace() throws Exception {
    BoardRegion<String> region = BoardRegion.of(redwire, new BoardSettings("roll", BoardSettings.Ties.FIRST_COME,
        BoardSettings.Period.rolling(Duration.ofSeconds(2), Duration.ofMillis(500)), 0, 1000), MemberCodec.STRING);
    Board<String> board = board(region, "g");
    board.add("a", 1);
    List<String> keys = new ArrayList<>(plain.keys(redwire.namespace() + ":board:roll:*"));
    assertEquals(1, keys.size(), keys.toString());
    long pttl = plain.pttl(keys.get(0));
    assertTrue(pttl > 0 && pttl <= 2500, "expires by the end of the period plus grace: " + pttl);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!plain.keys(redwire.namespace() + ":board:roll:*").isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the period's key outlived the period plus grace");
      Thread.sleep(50); // polling for a condition: the server expires the key
    }
  }

  /**
   * A period's key expires whatever wrote it last: a key that went away within its period (its last
   * member removed, or the key deleted, or evicted) and is written again must expire again, whichever
   * write creates it (an {@code add} of a shared board, one {@code ZINCRBY}; of a first-come board; a
   * {@code best}), and a key that lost its expiry ({@code PERSIST}, a {@code RESTORE} without one) gets
   * it back from the next write, even of a member already on the board.
   */
  @Test
  void aPeriodKeyWrittenAgainAfterItWentAwayExpiresAgain() {
    for (BoardSettings.Ties ties : BoardSettings.Ties.values()) {
      BoardRegion<String> region = BoardRegion.of(redwire, new BoardSettings("again-" + ties, ties,
          BoardSettings.Period.rolling(Duration.ofHours(1), Duration.ofMinutes(1)), 0, 1000), MemberCodec.STRING);
      Board<String> board = board(region, "g");
      board.add("a", 1);
      String key = plain.keys(redwire.namespace() + ":board:again-" + ties + ":*").iterator().next();
      assertTrue(plain.pttl(key) > 0, ties + ": the first write sets the expiry");
      board.add("a", 2);
      board.best("a", 5);
      assertTrue(plain.pttl(key) > 0, ties + ": later writes keep it");
      assertTrue(board.remove("a"));
      assertEquals(0, plain.exists(key) ? 1 : 0, ties + ": the last member removed, the key is gone");
      board.add("a", 3);
      assertTrue(plain.pttl(key) > 0, ties + ": an add that creates the key again sets the expiry again");
      plain.del(key);
      board.best("b", 4);
      assertTrue(plain.pttl(key) > 0, ties + ": a best that creates the key again sets the expiry again");
      plain.persist(key); // a key that lost its expiry
      board.add("b", 1); // a member already on the board
      assertTrue(plain.pttl(key) > 0, ties + ": the next write gives the expiry back");
    }
  }

  @Test
  void calendarDayKeysExpireAtTheEndOfTheDayInTheirZone() {
    ZoneId zone = ZoneId.of("Pacific/Auckland");
    BoardRegion<String> region = BoardRegion.of(redwire, new BoardSettings("daily", BoardSettings.Ties.SHARED,
        BoardSettings.Period.calendar(BoardSettings.Period.Kind.DAY, zone, Duration.ofHours(1)), 0, 1000),
        MemberCodec.STRING);
    board(region, "g").add("a", 1);
    ZonedDateTime now = ZonedDateTime.now(zone);
    String day = now.toLocalDate().toString();
    long endOfDay = now.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    String key = redwire.namespace() + ":board:daily:{g}:d" + day;
    long expected = endOfDay + Duration.ofHours(1).toMillis();
    try {
      assertEquals(expected, plain.pexpireTime(key), key);
    } catch (JedisDataException e) {
      // Redis 6.2 has no PEXPIRETIME: the server's clock plus PTTL, read in one script, is exact
      // to about a millisecond
      assertTrue(e.getMessage().contains("unknown command"), e.getMessage());
      String[] timeAndPttl = server.command("EVAL",
          "local t = redis.call('TIME') return {t[1], t[2], redis.call('PTTL', KEYS[1])}", "1", key)
          .split("\n");
      long serverMillis = Long.parseLong(timeAndPttl[0]) * 1000 + Long.parseLong(timeAndPttl[1]) / 1000;
      long expireAt = serverMillis + Long.parseLong(timeAndPttl[2]);
      assertTrue(Math.abs(expected - expireAt) <= 2, key + " expires at " + expireAt + ", not " + expected);
    }
  }

  @Test
  void everyOperationIsOneCommandOnTheWire() throws Exception {
    try (CommandCounter counter = new CommandCounter(server.port());
        Redwire counted = Redwire.builder().uri(counter.uri()).namespace("wire").startupCheck(false).build()) {
      BoardRegion<String> region = BoardRegion.of(counted, settings("wire", BoardSettings.Ties.FIRST_COME),
          MemberCodec.STRING);
      Board<String> board = board(region, "g");
      board.add("warm", 1); // loads the scripts (EVALSHA, NOSCRIPT, EVAL)
      board.rank("warm");
      board.around("warm", 1);
      counter.reset();
      board.add("a", 5);
      board.addAndRank("a", -1);
      board.best("a", 9);
      board.score("a");
      board.rank("a");
      board.top(10); // ranks follow from positions: a plain ZRANGE
      board.page(1, 10); // first-come: positions again
      board.around("a", 3);
      board.size();
      board.remove("a");
      // a first-come rank is a plain ZRANK ... WITHSCORE where the server has it (Redis 7.2+, Valkey)
      String rank = rankWithScore() ? "ZRANK" : "EVALSHA";
      assertEquals(List.of("EVALSHA", "EVALSHA", "EVALSHA", "ZSCORE", rank, "ZRANGE", "ZRANGE", "EVALSHA",
          "ZCARD", "ZREM"), counter.commands());

      // shared ties: the first page is positions too; a later page counts who is better in the script
      Board<String> shared = board(BoardRegion.of(counted, settings("wire-shared", BoardSettings.Ties.SHARED),
          MemberCodec.STRING), "g");
      shared.add("b", 1);
      counter.reset();
      shared.top(10);
      shared.page(1, 10);
      assertEquals(List.of("ZRANGE", "EVALSHA"), counter.commands());
    }
  }

  /**
   * A server that answered {@code ZRANK ... WITHSCORE} once may be replaced by one that refuses it (a
   * failover to an older replica, a rollback): the rank goes to the script from then on instead of
   * failing for the life of the Redwire.
   */
  @Test
  void aFirstComeRankFallsBackWhenALaterServerRefusesWithScore() {
    org.junit.jupiter.api.Assumptions.assumeTrue(rankWithScore(), "the server has ZRANK ... WITHSCORE");
    java.util.concurrent.atomic.AtomicBoolean older = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    try (redis.clients.jedis.UnifiedJedis client = new redis.clients.jedis.UnifiedJedis(
        new redis.clients.jedis.providers.PooledConnectionProvider(
            new redis.clients.jedis.HostAndPort(server.host(), server.port()),
            redis.clients.jedis.DefaultJedisClientConfig.builder()
                .protocol(redis.clients.jedis.RedisProtocol.RESP3).build()),
        redis.clients.jedis.RedisProtocol.RESP3) {
          @Override
          public redis.clients.jedis.util.KeyValue<Long, Double> zrankWithScore(byte[] key, byte[] member) {
            if (older.get()) { // what Redis 7.0 and 6.2 answer
              refused.incrementAndGet();
              throw new JedisDataException("ERR wrong number of arguments for 'zrank' command");
            }
            return super.zrankWithScore(key, member);
          }
        };
        Redwire given = Redwire.builder().client(client).namespace("failover").startupCheck(false).build()) {
      Board<String> board = board(BoardRegion.of(given, settings("failover", BoardSettings.Ties.FIRST_COME),
          MemberCodec.STRING), "g");
      board.add("a", 5);
      board.add("b", 7);
      assertEquals(Optional.of(new Ranked<>("a", 2, 5)), board.rank("a"), "asked with ZRANK ... WITHSCORE");
      older.set(true);
      assertEquals(Optional.of(new Ranked<>("a", 2, 5)), board.rank("a"), "the script, on the older server");
      assertEquals(Optional.of(new Ranked<>("b", 1, 7)), board.rank("b"));
      assertEquals(1, refused.get(), "refused once, then the script for good");
    }
  }

  /** Whether the fixture's server answers {@code ZRANK key member WITHSCORE}. */
  private boolean rankWithScore() {
    try {
      server.command("ZRANK", "probe-rank", "m", "WITHSCORE");
      return true;
    } catch (RuntimeException refused) { // the fixture's ErrorReply: an older server's arity error
      return false;
    }
  }

  private static void waitAMillisecond() throws InterruptedException {
    long until = System.currentTimeMillis() + 2;
    while (System.currentTimeMillis() < until) {
      Thread.sleep(1); // the tie-break has millisecond resolution: make the order unambiguous
    }
  }

  private static <M> List<M> members(List<Ranked<M>> ranked) {
    return ranked.stream().map(Ranked::member).toList();
  }

  /** The board as a map, ranked by the rules the board documents. */
  private static final class Model {
    final BoardSettings.Ties ties;
    final Map<Long, Long> score = new HashMap<>();
    /** When each member reached its current score, as a count of score-changing writes. */
    final Map<Long, Long> reached = new HashMap<>();
    long writes;

    Model(BoardSettings.Ties ties) {
      this.ties = ties;
    }

    void set(long member, long s) {
      Long old = score.put(member, s);
      if (old == null || old != s) {
        reached.put(member, ++writes); // an unchanged score keeps the moment it was reached
      }
    }

    void remove(long member) {
      score.remove(member);
      reached.remove(member);
    }

    List<Long> order() {
      List<Long> members = new ArrayList<>(score.keySet());
      Comparator<Long> byScore = Comparator.<Long>comparingLong(score::get).reversed();
      Comparator<Long> byMember = (a, b) -> Arrays.compareUnsigned(MemberCodec.LONG.encode(a), MemberCodec.LONG.encode(b));
      members.sort(ties == BoardSettings.Ties.FIRST_COME
          ? byScore.thenComparingLong(reached::get).thenComparing(byMember)
          : byScore.thenComparing(byMember));
      return members;
    }

    long rankAt(List<Long> order, int position) {
      if (ties == BoardSettings.Ties.FIRST_COME) {
        return position + 1;
      }
      long s = score.get(order.get(position));
      return 1 + score.values().stream().filter(v -> v > s).count();
    }

    Optional<Ranked<Long>> rank(long member) {
      List<Long> order = order();
      int p = order.indexOf(member);
      return p < 0 ? Optional.empty() : Optional.of(new Ranked<>(member, rankAt(order, p), score.get(member)));
    }

    List<Ranked<Long>> range(int from, int count) {
      List<Long> order = order();
      List<Ranked<Long>> out = new ArrayList<>();
      for (int p = from; p < Math.min(order.size(), from + count); p++) {
        out.add(new Ranked<>(order.get(p), rankAt(order, p), score.get(order.get(p))));
      }
      return out;
    }

    List<Ranked<Long>> around(long member, int d) {
      List<Long> order = order();
      int p = order.indexOf(member);
      if (p < 0) {
        return List.of();
      }
      int lo = p - d;
      int hi = p + d;
      if (lo < 0) {
        hi -= lo;
        lo = 0;
      }
      if (hi > order.size() - 1) {
        lo = Math.max(0, lo - (hi - (order.size() - 1)));
        hi = order.size() - 1;
      }
      return range(lo, hi - lo + 1);
    }
  }
}
