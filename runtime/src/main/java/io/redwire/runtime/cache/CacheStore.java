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

  /** Stores the value (or deletes it) and releases our lease in one round trip. */
  private static final Script STORE_AND_RELEASE = new Script("redwire-cache-store", """
      if ARGV[1] == '1' then
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
      else
        redis.call('DEL', KEYS[1])
      end
      if redis.call('GET', KEYS[2]) == ARGV[4] then
        redis.call('DEL', KEYS[2])
      end
      return 1
      """);

  /** Releases our lease (compare and delete) when the load failed or wrote nothing. */
  private static final Script RELEASE = new Script("redwire-cache-release", """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
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
    FAILED
  }

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

  /** GET; null when absent, when Redis fails, or while it is skipped. */
  byte[] get(byte[] key) {
    if (!available()) {
      return null;
    }
    try {
      byte[] raw = jedis.get(key);
      redwire.breaker().success();
      return raw;
    } catch (RuntimeException e) {
      failed("get", e);
      return null;
    }
  }

  /** {@code SET lease token NX PX ms}. */
  Lease acquire(byte[] lease, byte[] token, long millis) {
    if (!available()) {
      return Lease.FAILED;
    }
    try {
      String ok = jedis.set(lease, token, SetParams.setParams().nx().px(millis));
      redwire.breaker().success();
      return "OK".equals(ok) ? Lease.ACQUIRED : Lease.BUSY;
    } catch (RuntimeException e) {
      failed("lease", e);
      return Lease.FAILED;
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
   * Writes {@code bytes} with a TTL, or deletes the entry when {@code bytes} is null; releases the
   * lease in the same round trip when {@code lease} is not null.
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

  /** DEL. */
  void delete(byte[] key) {
    if (!available()) {
      return;
    }
    try {
      jedis.del(key);
      redwire.breaker().success();
    } catch (RuntimeException e) {
      failed("evict", e);
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
