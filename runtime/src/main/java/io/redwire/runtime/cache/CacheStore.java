package io.redwire.runtime.cache;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Every Redis call of one cache, behind the {@code Redwire}'s circuit breaker. Never throws: a call
 * that fails (or is skipped while the breaker is open, or after {@code Redwire.close()}) returns its
 * "nothing" answer, and a failure is reported through {@link Redwire#failed} (counted; outages count
 * towards the breaker, command errors such as WRONGTYPE do not). After close nothing is sent and
 * nothing is counted.
 */
final class CacheStore {

  private static final Logger log = LoggerFactory.getLogger(CacheStore.class);

  /**
   * Stores a loaded value (or deletes the entry) and releases our lease, in one round trip; sent
   * without the caller waiting for it. What it does depends on the lease ({@code KEYS[2]}):
   * <ul>
   *   <li>still ours: write, release;
   *   <li>fenced ({@code '!' .. token}): a put or evict of this key came after our load started, so
   *       our value may be older than what it wrote or deleted: drop it, release the fence;
   *   <li>gone (the load outlived the lease): write only if nobody has written the entry meanwhile;
   *   <li>another loader's: drop ours, that loader writes.
   * </ul>
   */
  private static final Script STORE_AND_RELEASE = new Script("redwire-cache-store", """
      local lease = redis.call('GET', KEYS[2])
      if lease == ARGV[4] then
        if ARGV[1] == '1' then
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        else
          redis.call('DEL', KEYS[1])
        end
        redis.call('DEL', KEYS[2])
        return 1
      end
      if lease == '!' .. ARGV[4] then
        redis.call('DEL', KEYS[2])
        return 0
      end
      if not lease and ARGV[1] == '1' then
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX')
        return 2
      end
      return 0
      """);

  /**
   * A put or evict: writes (or deletes) the entry and fences a load lease held at that moment, so the
   * loader's store, which may carry an older value and may still be on its way, is dropped.
   */
  private static final Script WRITE_AND_FENCE = new Script("redwire-cache-write", """
      if ARGV[1] == '1' then
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
      else
        redis.call('DEL', KEYS[1])
      end
      local lease = redis.call('GET', KEYS[2])
      if lease and string.sub(lease, 1, 1) ~= '!' then
        redis.call('SET', KEYS[2], '!' .. lease, 'KEEPTTL')
      end
      return 1
      """);

  /** Releases our lease (compare and delete, also when fenced) when the load failed or wrote nothing. */
  private static final Script RELEASE = new Script("redwire-cache-release", """
      local lease = redis.call('GET', KEYS[1])
      if lease == ARGV[1] or lease == '!' .. ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  /** Moves the cache to a new generation and announces it, atomically (so announcements keep the order of the SETs). */
  private static final Script NEW_GENERATION = new Script("redwire-cache-new-generation", """
      redis.call('SET', KEYS[1], ARGV[1])
      redis.call('PUBLISH', KEYS[1], ARGV[1])
      return 1
      """);

  /** Reads the cache generation, creating it when absent. */
  private static final Script GENERATION = new Script("redwire-cache-generation", """
      local g = redis.call('GET', KEYS[1])
      if not g then
        redis.call('SET', KEYS[1], ARGV[1])
        g = ARGV[1]
      end
      return g
      """);

  private static final byte[] ONE = {'1'};
  private static final byte[] ZERO = {'0'};
  private static final byte[] EMPTY = {};

  /** The outcome of trying to take a load lease. */
  enum Lease {
    /** Ours: we load, then store and release it. */
    ACQUIRED,
    /** Another loader (here or in another instance) holds it. */
    BUSY,
    /** Redis failed or is skipped: nobody can be coordinated with. */
    FAILED,
    /** The entry was there (stored since our GET): no lease taken, {@link Leased#entry} holds it. */
    FOUND
  }

  /** What {@link #acquire} found: a status, and the entry's bytes when {@link Lease#FOUND}. */
  record Leased(Lease status, byte[] entry) {
    static final Leased ACQUIRED = new Leased(Lease.ACQUIRED, null);
    static final Leased BUSY = new Leased(Lease.BUSY, null);
    static final Leased FAILED = new Leased(Lease.FAILED, null);
  }

  /**
   * Takes the load lease ({@code SET NX PX}) unless, with {@code ARGV[3] == '1'}, the entry exists:
   * then returns it. So a miss costs the caller its GET and this one round trip, and a value another
   * loader stored between the two is served rather than loaded again. An entry of another Redis type
   * (WRONGTYPE) counts as absent: the loader writes over it.
   */
  private static final Script LEASE = new Script("redwire-cache-lease", """
      if ARGV[3] == '1' then
        local entry = redis.pcall('GET', KEYS[1])
        if type(entry) == 'string' then
          return entry
        end
      end
      if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
        return 1
      end
      return 0
      """);

  private final Redwire redwire;
  private final UnifiedJedis jedis;
  private final String name;

  CacheStore(Redwire redwire, String name) {
    this.redwire = redwire;
    this.jedis = redwire.client();
    this.name = name;
  }

  /** Whether a call may go to Redis now (open Redwire, breaker letting it through). */
  private boolean available() {
    return !redwire.isClosed() && redwire.breaker().allow();
  }

  /** What {@link #read} returns when Redis failed or was skipped (compared by identity). */
  static final byte[] UNREAD = new byte[0];

  /** GET; null when absent, {@link #UNREAD} when Redis fails or while it is skipped. */
  byte[] read(byte[] key) {
    if (!available()) {
      return UNREAD;
    }
    try {
      byte[] raw = jedis.get(key);
      redwire.breaker().success();
      return raw;
    } catch (RuntimeException e) {
      failed("get", e);
      return UNREAD;
    }
  }

  /**
   * Takes the lease {@code lease} of {@code key} for {@code millis} unless ({@code check}) the entry
   * exists, in one round trip (see {@link #LEASE}).
   */
  Leased acquire(byte[] key, byte[] lease, byte[] token, long millis, boolean check) {
    if (!available()) {
      return Leased.FAILED;
    }
    try {
      Object reply = LEASE.run(jedis, 2, key, lease, token, ascii(millis), check ? ONE : ZERO);
      redwire.breaker().success();
      if (reply instanceof byte[] entry) {
        return new Leased(Lease.FOUND, entry);
      }
      return reply instanceof Long n && n == 1 ? Leased.ACQUIRED : Leased.BUSY;
    } catch (RuntimeException e) {
      failed("lease", e);
      return Leased.FAILED;
    }
  }

  /** Deletes {@code lease} if it still holds {@code token}. */
  void release(byte[] lease, byte[] token) {
    if (!available()) {
      return; // it expires with its TTL
    }
    try {
      RELEASE.run(jedis, 1, lease, token);
      redwire.breaker().success();
    } catch (RuntimeException e) {
      failed("release", e);
    }
  }

  /**
   * Writes {@code bytes} with a TTL, or deletes the entry when {@code bytes} is null; with a lease
   * ({@code lease} not null) in the same round trip as its release, and only as
   * {@link #STORE_AND_RELEASE} allows.
   */
  void write(byte[] key, byte[] bytes, long ttlMillis, byte[] lease, byte[] token) {
    if (!available()) {
      return;
    }
    try {
      if (lease != null) {
        boolean keep = bytes != null;
        STORE_AND_RELEASE.run(jedis, 2, key, lease, keep ? ONE : ZERO, keep ? bytes : EMPTY,
            ascii(ttlMillis), token);
      } else if (bytes != null) {
        jedis.set(key, bytes, SetParams.setParams().px(ttlMillis));
      } else {
        jedis.del(key);
      }
      redwire.breaker().success();
    } catch (RuntimeException e) {
      failed("store", e);
    }
  }

  /**
   * A {@code @CachePut} ({@code bytes} not null) or {@code @CacheEvict} (null) of one entry: writes or
   * deletes it and fences the load lease {@code lease} if one is held (see {@link #WRITE_AND_FENCE}).
   */
  void writeFenced(byte[] key, byte[] bytes, long ttlMillis, byte[] lease) {
    if (!available()) {
      return;
    }
    boolean keep = bytes != null;
    try {
      WRITE_AND_FENCE.run(jedis, 2, key, lease, keep ? ONE : ZERO, keep ? bytes : EMPTY, ascii(ttlMillis));
      redwire.breaker().success();
    } catch (RuntimeException e) {
      failed(keep ? "store" : "evict", e);
    }
  }

  /** The generation in {@code key}, set to {@code fresh} when absent; null when Redis failed or is skipped. */
  String readGeneration(byte[] key, String fresh) {
    if (!available()) {
      return null;
    }
    try {
      Object g = GENERATION.run(jedis, 1, key, fresh.getBytes(StandardCharsets.US_ASCII));
      redwire.breaker().success();
      return g instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : String.valueOf(g);
    } catch (RuntimeException e) {
      failed("generation", e);
      return null;
    }
  }

  /** Sets and announces a new generation; whether it reached Redis. */
  boolean publishGeneration(byte[] key, String generation) {
    if (!available()) {
      return false;
    }
    try {
      NEW_GENERATION.run(jedis, 1, key, generation.getBytes(StandardCharsets.US_ASCII));
      redwire.breaker().success();
      return true;
    } catch (RuntimeException e) {
      failed("evictAll", e);
      return false;
    }
  }

  private void failed(String operation, RuntimeException e) {
    if (redwire.isClosed()) {
      return; // closing raced with this call: not a Redis failure
    }
    redwire.failed(name, operation, e);
    log.debug("Cache {}: Redis {} failed; answering without the cache", name, operation, e);
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }
}
