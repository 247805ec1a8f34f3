package io.redwire.runtime.board;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.key.Keys;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * One {@code @Counter} or {@code @Distinct} name of one {@link Redwire}: windowed buckets, each one
 * Redis key ({@code <namespace>:counter:<name>:{<parts>}:<window index>}) that expires {@code retain}
 * after its window ended. All buckets of one key share its hash tag, so a sum over windows is one
 * {@code MGET} (one {@code PFCOUNT} for distinct counts) on one Cluster slot. Windows are aligned to
 * the epoch by this JVM's clock.
 *
 * <p>Redis failures reach the caller; they are counted, and outages count towards the breaker.
 */
public final class CounterRegion {

  /**
   * The most windows {@code retain} may span: a sum over all of them is one MGET (or PFCOUNT) of that
   * many keys, which Redis runs while every other client waits (a week of one-minute windows).
   */
  public static final long MAX_WINDOWS = 10_080;

  /** INCRBY and PEXPIREAT in one round trip. */
  private static final Script INCREMENT = new Script("redwire-counter-increment", """
      local v = redis.call('INCRBY', KEYS[1], ARGV[1])
      redis.call('PEXPIREAT', KEYS[1], ARGV[2])
      return v
      """);

  /** PFADD and PEXPIREAT in one round trip. */
  private static final Script DISTINCT_ADD = new Script("redwire-distinct-add", """
      local changed = redis.call('PFADD', KEYS[1], ARGV[1])
      redis.call('PEXPIREAT', KEYS[1], ARGV[2])
      return changed
      """);

  private final Redwire redwire;
  private final UnifiedJedis jedis;
  private final String name;
  private final String kind;
  private final long windowMillis;
  private final long retainMillis;
  private final byte[] prefix;

  private CounterRegion(Redwire redwire, String kind, String name, Duration window, Duration retain) {
    this.redwire = redwire;
    this.jedis = redwire.client();
    this.kind = kind;
    this.name = name;
    this.windowMillis = window.toMillis();
    this.retainMillis = retain.toMillis();
    if (windowMillis <= 0 || retainMillis < windowMillis) {
      throw new IllegalArgumentException(name + ": the window must be positive and retain at least one"
          + " window, got window " + window + ", retain " + retain);
    }
    if (retainMillis / windowMillis > MAX_WINDOWS) {
      throw new IllegalArgumentException(name + ": retain spans at most " + MAX_WINDOWS + " windows (a"
          + " sum reads them all in one MGET), got window " + window + ", retain " + retain);
    }
    this.prefix = redwire.prefix(kind, name);
  }

  /** The region of counter {@code name}; no I/O. */
  public static CounterRegion counter(Redwire redwire, String name, Duration window, Duration retain) {
    return (CounterRegion) redwire.shared("counter:" + name,
        () -> new CounterRegion(redwire, "counter", name, window, retain));
  }

  /** The region of distinct count {@code name}; no I/O. */
  public static CounterRegion distinct(Redwire redwire, String name, Duration window, Duration retain) {
    return (CounterRegion) redwire.shared("distinct:" + name,
        () -> new CounterRegion(redwire, "distinct", name, window, retain));
  }

  /** {@code <namespace>:<kind>:<name>:}, for the generated key. */
  public byte[] prefix() {
    redwire.ensureOpen();
    return prefix;
  }

  public String name() {
    return name;
  }

  /** The counter of one key. */
  public Counter counter(byte[] key) {
    return new CounterHandle(key);
  }

  /** The distinct count of one key. */
  public Uniques uniques(byte[] key) {
    return new UniquesHandle(key);
  }

  private byte[] bucket(byte[] key, long index) {
    return Keys.withSuffix(key, (":" + index).getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] expireAt(long index) {
    return Long.toString((index + 1) * windowMillis + retainMillis).getBytes(StandardCharsets.US_ASCII);
  }

  /** The buckets of the windows that overlap the last {@code last}, newest first. */
  private byte[][] buckets(byte[] key, Duration last) {
    java.util.Objects.requireNonNull(last, "last");
    if (last.isNegative() || last.isZero()) {
      throw new IllegalArgumentException("last must be positive, got " + last);
    }
    long now = System.currentTimeMillis();
    long newest = Math.floorDiv(now, windowMillis);
    // the oldest bucket still kept: window i expires at (i + 1) * window + retain
    long oldest = Math.max(Math.floorDiv(now - last.toMillis() + 1, windowMillis),
        Math.floorDiv(now - retainMillis, windowMillis));
    int n = (int) Math.max(1, newest - oldest + 1);
    byte[][] keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = bucket(key, newest - i);
    }
    return keys;
  }

  private RuntimeException failed(String operation, RuntimeException e) {
    if (!redwire.isClosed()) { // a call that raced close() is no Redis error
      redwire.failed(name, operation, e);
    }
    return e;
  }

  private final class CounterHandle implements Counter {
    private final byte[] key;

    CounterHandle(byte[] key) {
      this.key = key;
    }

    @Override
    public long increment(long n) {
      redwire.ensureOpen();
      long index = Math.floorDiv(System.currentTimeMillis(), windowMillis);
      try {
        Object v = INCREMENT.run(jedis, 1, bucket(key, index),
            Long.toString(n).getBytes(StandardCharsets.US_ASCII), expireAt(index));
        redwire.metrics().boardOperation(name, "increment");
        return ((Number) v).longValue();
      } catch (RuntimeException e) {
        throw failed("increment", e);
      }
    }

    @Override
    public long get() {
      redwire.ensureOpen();
      try {
        byte[] v = jedis.get(bucket(key, Math.floorDiv(System.currentTimeMillis(), windowMillis)));
        redwire.metrics().boardOperation(name, "get");
        return v == null ? 0 : Long.parseLong(new String(v, StandardCharsets.US_ASCII));
      } catch (RuntimeException e) {
        throw failed("get", e);
      }
    }

    @Override
    public long sum(Duration last) {
      redwire.ensureOpen();
      byte[][] keys = buckets(key, last);
      try {
        List<byte[]> values = jedis.mget(keys);
        redwire.metrics().boardOperation(name, "sum");
        long sum = 0;
        for (byte[] v : values) {
          if (v != null) {
            sum += Long.parseLong(new String(v, StandardCharsets.US_ASCII));
          }
        }
        return sum;
      } catch (RuntimeException e) {
        throw failed("sum", e);
      }
    }

    @Override
    public String toString() {
      return "Counter[" + Keys.toString(key) + "]";
    }
  }

  private final class UniquesHandle implements Uniques {
    private final byte[] key;

    UniquesHandle(byte[] key) {
      this.key = key;
    }

    @Override
    public boolean add(String member) {
      java.util.Objects.requireNonNull(member, "member");
      return add(member.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean add(long member) {
      return add(Long.toString(member).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean add(byte[] member) {
      redwire.ensureOpen();
      java.util.Objects.requireNonNull(member, "member");
      long index = Math.floorDiv(System.currentTimeMillis(), windowMillis);
      try {
        Object changed = DISTINCT_ADD.run(jedis, 1, bucket(key, index), member, expireAt(index));
        redwire.metrics().boardOperation(name, "add");
        return ((Number) changed).longValue() == 1;
      } catch (RuntimeException e) {
        throw failed("add", e);
      }
    }

    @Override
    public long count() {
      redwire.ensureOpen();
      try {
        long n = jedis.pfcount(bucket(key, Math.floorDiv(System.currentTimeMillis(), windowMillis)));
        redwire.metrics().boardOperation(name, "count");
        return n;
      } catch (RuntimeException e) {
        throw failed("count", e);
      }
    }

    @Override
    public long count(Duration last) {
      redwire.ensureOpen();
      byte[][] keys = buckets(key, last);
      try {
        long n = jedis.pfcount(keys);
        redwire.metrics().boardOperation(name, "count");
        return n;
      } catch (RuntimeException e) {
        throw failed("count", e);
      }
    }

    @Override
    public String toString() {
      return "Uniques[" + Keys.toString(key) + "]";
    }
  }
}
