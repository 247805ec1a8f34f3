package io.redwire.runtime.board;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.Throttle;
import io.redwire.runtime.key.Keys;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/**
 * One leaderboard name of one {@link Redwire}: what generated {@code @Leaderboard} methods call.
 * {@link #board(byte[])} returns the handle for one key ({@code <namespace>:board:<name>:{<parts>}},
 * plus the period, e.g. {@code :d2026-12-01}).
 *
 * <p>Scores are stored negated, so the sorted set's ascending order is best first and equal scores
 * are listed in ascending member order. {@code FIRST_COME} boards store {@code -score * R + t}, where
 * {@code t} is the server time (ms) into the period and {@code R} the period's length in ms: among
 * equal scores, who got there first has the smaller stored value. Every stored value stays below
 * 2^53, where doubles are exact integers ({@link BoardSettings} checks the declared range).
 *
 * <p>Redis failures reach the caller (there is no sensible stand-in for a rank); they are counted and,
 * when Redis is down, they count towards the circuit breaker.
 */
public final class BoardRegion<M> {

  private static final Logger LOG = LoggerFactory.getLogger(BoardRegion.class);

  /**
   * Adds or raises a member's score, then expires and trims the key: one round trip. An {@code add} on
   * a shared-ties board whose range is at most 2^52 (ARGV[10] = '1') is one {@code ZINCRBY} (the
   * stored value is the negated score), taken back in the same script when the new score leaves the
   * range: the old score and the points are each within 2^52 (the points are checked before the call),
   * so the sum and its reversal are exact integers below 2^53. Other writes read the score first.
   * Every write that changes a score sets the key's expiry: a period's end plus grace (ARGV[6]), or, without periods, the
   * time to live slid from now (ARGV[7]). Setting a period's expiry only on the write that creates the
   * key saved one call per write, too little to measure, and left a key that lost its expiry (a
   * {@code PERSIST}, a {@code RESTORE} without one) or a grace changed by a deploy unrepaired until a
   * new member came.
   * Returns the new score; with ARGV[11] = '1' {new score, members ranked before it} read after the
   * write ({new score, -1} when trimming took the member off the board).
   */
  private static final Script WRITE = new Script("redwire-board-write", """
      local key, member = KEYS[1], ARGV[2]
      local range = tonumber(ARGV[4])
      local new
      local written = true
      if ARGV[10] == '1' then
        local points = tonumber(ARGV[3])
        new = -tonumber(redis.call('ZINCRBY', key, 0 - points, member)) -- 0 - 0 is 0, where -0 would store -0
        if math.abs(new) > tonumber(ARGV[9]) then
          redis.call('ZINCRBY', key, points, member)
          return redis.error_reply('ERR redwire: score ' .. string.format('%.0f', new)
            .. ' is outside the board range of +-' .. ARGV[9])
        end
      else
        local current = redis.call('ZSCORE', key, member)
        local score = nil
        if current then
          current = tonumber(current)
          if range > 0 then score = -math.floor(current / range) else score = -current end
        end
        if ARGV[1] == 'add' then
          new = (score or 0) + tonumber(ARGV[3])
        elseif score ~= nil and score >= tonumber(ARGV[3]) then
          new, written = score, false
        else
          new = tonumber(ARGV[3])
        end
        if written and score ~= nil and new == score then
          written = false -- unchanged: a first-come member keeps the moment it reached its score
        end
        if written then
          if math.abs(new) > tonumber(ARGV[9]) then
            return redis.error_reply('ERR redwire: score ' .. string.format('%.0f', new)
              .. ' is outside the board range of +-' .. ARGV[9])
          end
          local stored = -new
          if range > 0 then
            local t = redis.call('TIME')
            local into = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[5])
            if into < 0 then into = 0 elseif into >= range then into = range - 1 end
            stored = -new * range + into
          end
          if stored == 0 then stored = 0 end -- never -0, which some servers list as "-0"
          redis.call('ZADD', key, string.format('%.0f', stored), member)
        end
      end
      if written then
        if ARGV[6] ~= '0' then
          redis.call('PEXPIREAT', key, ARGV[6])
        elseif ARGV[7] ~= '0' then
          redis.call('PEXPIRE', key, ARGV[7])
        end
        if ARGV[8] ~= '0' then
          redis.call('ZREMRANGEBYRANK', key, tonumber(ARGV[8]), -1)
        end
      end
      if ARGV[11] ~= '1' then return new end
      local before
      if range > 0 then
        before = redis.call('ZRANK', key, member)
      elseif ARGV[8] == '0' or redis.call('ZSCORE', key, member) then
        before = redis.call('ZCOUNT', key, '-inf', '(' .. string.format('%.0f', -new))
      end
      return {new, before or -1}
      """);

  /** {stored, rank - 1} of one member, or nil. */
  private static final Script RANK = new Script("redwire-board-rank", """
      local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
      if not s then return nil end
      local before
      if ARGV[2] == '1' then
        before = redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. s)
      else
        before = redis.call('ZRANK', KEYS[1], ARGV[1])
      end
      return {s, before}
      """);

  /** {start, members better than the first, member, stored, member, stored...} of a range. */
  private static final Script RANGE = new Script("redwire-board-range", """
      local lo, hi = tonumber(ARGV[1]), tonumber(ARGV[2])
      if ARGV[4] ~= '' then
        local r = redis.call('ZRANK', KEYS[1], ARGV[4])
        if not r then return nil end
        local n = redis.call('ZCARD', KEYS[1])
        local d = tonumber(ARGV[5])
        lo, hi = r - d, r + d
        if lo < 0 then hi = hi - lo; lo = 0 end
        if hi > n - 1 then lo = lo - (hi - (n - 1)); hi = n - 1 end
        if lo < 0 then lo = 0 end
      end
      local items = redis.call('ZRANGE', KEYS[1], lo, hi, 'WITHSCORES')
      local before = lo
      if ARGV[3] == '1' and #items > 0 then
        before = redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. items[2])
      end
      return {lo, before, items}
      """);

  private static final byte[] ADD = ascii("add");
  private static final byte[] BEST = ascii("best");
  private static final byte[] ZERO = ascii("0");
  private static final byte[] ONE = ascii("1");
  private static final byte[] EMPTY = {};

  private final Redwire redwire;
  private final UnifiedJedis jedis;
  private final String name;
  private final BoardSettings settings;
  private final MemberCodec<M> codec;
  private final byte[] prefix;
  private final Periods periods;
  private final long range;
  private final byte[] rangeArg;
  private final byte[] shared;
  private final byte[] keep;
  private final byte[] ttl;
  private final byte[] maxScore;
  /** '1' when an {@code add} may be one {@code ZINCRBY} (shared ties, range at most 2^52). */
  private final byte[] increments;
  private final Throttle decodeWarnings = new Throttle(Duration.ofSeconds(10));
  /**
   * Whether a first-come {@code rank} runs {@link #RANK}: set once the server refused {@code ZRANK key
   * member WITHSCORE} (before Redis 7.2 and Valkey 7.2); until then it is that one plain command (the
   * stored score orders ties, so the position is the rank).
   */
  private volatile boolean rankByScript;

  private BoardRegion(Redwire redwire, BoardSettings settings, MemberCodec<M> codec) {
    this.redwire = redwire;
    this.jedis = redwire.client();
    this.name = settings.name();
    this.settings = settings;
    this.codec = codec;
    this.prefix = redwire.prefix("board", name);
    this.periods = new Periods(settings.period());
    this.range = settings.ties() == BoardSettings.Ties.FIRST_COME ? BoardSettings.tieRange(settings.period()) : 0;
    this.rangeArg = ascii(Long.toString(range));
    this.shared = settings.ties() == BoardSettings.Ties.SHARED ? ONE : ZERO;
    this.keep = ascii(Long.toString(settings.keep()));
    this.ttl = settings.period().kind() == BoardSettings.Period.Kind.NONE
        ? ascii(Long.toString(settings.period().millis())) : ZERO;
    this.maxScore = ascii(Long.toString(settings.maxScore()));
    this.increments = range == 0 && settings.maxScore() <= 1L << 52 ? ONE : ZERO;
  }

  /** The region of {@code settings.name()} in {@code redwire}; no I/O. */
  public static <M> BoardRegion<M> of(Redwire redwire, BoardSettings settings, MemberCodec<M> codec) {
    Objects.requireNonNull(settings, "settings");
    @SuppressWarnings("unchecked")
    BoardRegion<M> region = (BoardRegion<M>) redwire.shared("board:" + settings.name(),
        () -> new BoardRegion<>(redwire, settings, codec));
    return region;
  }

  /** {@code <namespace>:board:<name>:}, for the generated key. */
  public byte[] prefix() {
    redwire.ensureOpen();
    return prefix;
  }

  /** The handle for one board key (built from {@link #prefix()}). */
  public Board<M> board(byte[] key) {
    return new Handle(key);
  }

  public String name() {
    return name;
  }

  /** A period and its key (never written to: a key goes to Jedis only as an argument). */
  private record PeriodKey(Periods.Current period, byte[] key) {}

  private final class Handle implements Board<M> {
    private final byte[] key;
    private volatile PeriodKey lastKey;

    Handle(byte[] key) {
      this.key = key;
    }

    @Override
    public long add(M member, long points) {
      return ((Number) write(ADD, member, points, "add", increments, ZERO)).longValue();
    }

    @Override
    public long best(M member, long score) {
      return ((Number) write(BEST, member, score, "best", ZERO, ZERO)).longValue();
    }

    @Override
    public Optional<Ranked<M>> addAndRank(M member, long points) {
      List<?> r = (List<?>) write(ADD, member, points, "addAndRank", increments, ONE);
      long before = ((Number) r.get(1)).longValue();
      long score = ((Number) r.get(0)).longValue();
      return before < 0 ? Optional.empty() : Optional.of(new Ranked<>(member, before + 1, score));
    }

    private Object write(byte[] mode, M member, long points, String operation, byte[] increment, byte[] rank) {
      redwire.ensureOpen();
      Objects.requireNonNull(member, "member");
      if (points > settings.maxScore() || points < -settings.maxScore()) {
        throw new IllegalArgumentException("board " + name + ": " + points + " is outside the board's range"
            + " of +-" + settings.maxScore() + " (scores are exact only in that range)");
      }
      Periods.Current p = periods.at(System.currentTimeMillis());
      try {
        Object reply = WRITE.run(jedis, 1, keyOf(p), mode, codec.encode(member), ascii(Long.toString(points)),
            rangeArg, p.startArg(), p.expireAtArg(), ttl, keep, maxScore, increment, rank);
        redwire.metrics().boardOperation(name, operation);
        return reply;
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("ERR redwire: ")) {
          throw new IllegalArgumentException("board " + name + ": " + e.getMessage().substring(13), e);
        }
        throw failed(operation, e);
      } catch (RuntimeException e) {
        throw failed(operation, e);
      }
    }

    @Override
    public OptionalLong score(M member) {
      redwire.ensureOpen();
      Objects.requireNonNull(member, "member");
      try {
        Double stored = jedis.zscore(current(), codec.encode(member));
        redwire.metrics().boardOperation(name, "score");
        return stored == null ? OptionalLong.empty() : OptionalLong.of(scoreOf(stored));
      } catch (RuntimeException e) {
        throw failed("score", e);
      }
    }

    @Override
    public Optional<Ranked<M>> rank(M member) {
      redwire.ensureOpen();
      Objects.requireNonNull(member, "member");
      try {
        if (range != 0 && !rankByScript) {
          Optional<Ranked<M>> ranked = rankByPosition(member);
          if (ranked != null) {
            return ranked;
          }
        }
        Object reply = RANK.run(jedis, 1, current(), codec.encode(member), shared);
        redwire.metrics().boardOperation(name, "rank");
        if (reply == null) {
          return Optional.empty();
        }
        List<?> r = (List<?>) reply;
        return Optional.of(new Ranked<>(member, ((Number) r.get(1)).longValue() + 1, scoreOf(text(r.get(0)))));
      } catch (RuntimeException e) {
        throw failed("rank", e);
      }
    }

    /**
     * A first-come rank as {@code ZRANK key member WITHSCORE}; null (and never again) when the server
     * does not know the argument: an older server answers the arity error without running anything.
     * Also after earlier ranks went this way: the server behind the client may change (a failover to an
     * older replica, a rollback), and the script works on every server.
     */
    private Optional<Ranked<M>> rankByPosition(M member) {
      KeyValue<Long, Double> r;
      try {
        r = jedis.zrankWithScore(current(), codec.encode(member));
      } catch (JedisDataException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("wrong number of arguments") || m.contains("syntax error")) {
          if (!rankByScript) {
            LOG.info("board {}: the server refuses ZRANK ... WITHSCORE ({}); ranks run the script from now on",
                name, m);
          }
          rankByScript = true;
          return null;
        }
        throw e;
      }
      redwire.metrics().boardOperation(name, "rank");
      return r == null ? Optional.empty() : Optional.of(new Ranked<>(member, r.getKey() + 1, scoreOf(r.getValue())));
    }

    @Override
    public List<Ranked<M>> top(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("n must be >= 0, got " + n);
      }
      return page(0, n, "top");
    }

    @Override
    public List<Ranked<M>> page(int page, int size) {
      return page(page, size, "page");
    }

    private List<Ranked<M>> page(int page, int size, String operation) {
      if (page < 0 || size < 0) {
        throw new IllegalArgumentException("page and size must be >= 0, got " + page + ", " + size);
      }
      if (size == 0) {
        return List.of();
      }
      long lo = (long) page * size;
      if (lo == 0 || range > 0) {
        // every rank follows from the positions: one plain ZRANGE, no script
        return positions(lo, lo + size - 1, operation);
      }
      return range(ascii(Long.toString(lo)), ascii(Long.toString(lo + size - 1)), EMPTY, ZERO, operation);
    }

    /**
     * A range whose ranks follow from positions alone: any range of a first-come board (no two members
     * share a rank), and the first page of a shared-ties board (nobody is better than the first member,
     * and later members share a rank only with the one before them). One {@code ZRANGE ... WITHSCORES}.
     */
    private List<Ranked<M>> positions(long lo, long hi, String operation) {
      redwire.ensureOpen();
      List<Tuple> items;
      try {
        items = jedis.zrangeWithScores(current(), lo, hi);
        redwire.metrics().boardOperation(name, operation);
      } catch (RuntimeException e) {
        throw failed(operation, e);
      }
      List<Ranked<M>> out = new ArrayList<>(items.size());
      long rank = lo + 1;
      double previous = 0;
      for (int i = 0; i < items.size(); i++) {
        Tuple t = items.get(i);
        double stored = t.getScore(); // below 2^53: an exact integer
        if (i > 0 && (range > 0 || stored != previous)) {
          rank = lo + i + 1;
        }
        previous = stored;
        addRanked(out, t.getBinaryElement(), rank, scoreOf(stored));
      }
      return out;
    }

    @Override
    public List<Ranked<M>> around(M member, int distance) {
      Objects.requireNonNull(member, "member");
      if (distance < 0) {
        throw new IllegalArgumentException("distance must be >= 0, got " + distance);
      }
      return range(ZERO, ZERO, codec.encode(member), ascii(Integer.toString(distance)), "around");
    }

    private List<Ranked<M>> range(byte[] lo, byte[] hi, byte[] member, byte[] distance, String operation) {
      redwire.ensureOpen();
      Object reply;
      try {
        reply = RANGE.run(jedis, 1, current(), lo, hi, shared, member, distance);
        redwire.metrics().boardOperation(name, operation);
      } catch (RuntimeException e) {
        throw failed(operation, e);
      }
      if (reply == null) {
        return List.of();
      }
      List<?> r = (List<?>) reply;
      long start = ((Number) r.get(0)).longValue();
      long before = ((Number) r.get(1)).longValue();
      List<?> items = (List<?>) r.get(2);
      List<Ranked<M>> out = new ArrayList<>(items.size() / 2);
      long rank = before + 1;
      double previous = 0;
      for (int i = 0; i < items.size(); i += 2) {
        double stored = Double.parseDouble(text(items.get(i + 1))); // below 2^53: an exact integer
        long score = scoreOf(stored);
        if (i > 0 && (range > 0 || stored != previous)) { // numeric: "-0" (a -0.0 stored) equals "0"
          rank = start + i / 2 + 1; // first-come: the position; shared: a new score ranks by position
        }
        previous = stored;
        addRanked(out, (byte[]) items.get(i), rank, score);
      }
      return out;
    }

    /**
     * Adds a member with its rank and score; a member this build cannot read (an enum constant or
     * member type an older build had) is skipped and reported, so the rest of the board still reads
     * and the others keep their ranks.
     */
    private void addRanked(List<Ranked<M>> out, byte[] member, long rank, long score) {
      M decoded;
      try {
        decoded = codec.decode(member);
      } catch (RuntimeException e) {
        decodeFailure(member, e);
        return;
      }
      out.add(new Ranked<>(decoded, rank, score));
    }

    @Override
    public boolean remove(M member) {
      redwire.ensureOpen();
      Objects.requireNonNull(member, "member");
      try {
        long removed = jedis.zrem(current(), codec.encode(member));
        redwire.metrics().boardOperation(name, "remove");
        return removed > 0;
      } catch (RuntimeException e) {
        throw failed("remove", e);
      }
    }

    @Override
    public long size() {
      redwire.ensureOpen();
      try {
        long n = jedis.zcard(current());
        redwire.metrics().boardOperation(name, "size");
        return n;
      } catch (RuntimeException e) {
        throw failed("size", e);
      }
    }

    private byte[] current() {
      return keyOf(periods.at(System.currentTimeMillis()));
    }

    /**
     * The key of a period (the handle's own key when the board has none); the last period's key is
     * kept, so calls within one period build it once.
     */
    private byte[] keyOf(Periods.Current p) {
      if (p.suffix().length == 0) {
        return key;
      }
      PeriodKey last = lastKey;
      if (last != null && last.period() == p) {
        return last.key();
      }
      byte[] k = Keys.withSuffix(key, p.suffix());
      lastKey = new PeriodKey(p, k);
      return k;
    }

    @Override
    public String toString() {
      return "Board[" + Keys.toString(key) + "]";
    }
  }

  /** The score of a stored value. */
  private long scoreOf(double stored) {
    long s = (long) stored;
    return range > 0 ? -Math.floorDiv(s, range) : -s;
  }

  private long scoreOf(String stored) {
    return scoreOf(Double.parseDouble(stored));
  }

  private void decodeFailure(byte[] member, RuntimeException e) {
    redwire.metrics().boardOperation(name, "decodeFailure");
    if (decodeWarnings.tryAcquire()) {
      LOG.warn("board {}: skipped member \"{}\", which this build cannot read ({}); it stays on the board"
          + " until removed or expired (logged at most every 10 s)", name,
          new String(member, StandardCharsets.UTF_8), e.toString());
    }
  }

  private RuntimeException failed(String operation, RuntimeException e) {
    if (!redwire.isClosed()) { // a call that raced close() is no Redis error
      redwire.failed(name, operation, e);
    }
    return e;
  }

  private static String text(Object reply) {
    return reply instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : String.valueOf(reply);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
