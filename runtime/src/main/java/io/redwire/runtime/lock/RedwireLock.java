package io.redwire.runtime.lock;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.key.Keys;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The lock of one {@code @Locked} method in one {@link Redwire}: what generated code calls.
 *
 * <p>Keys: the lock is {@code <namespace>:lock:<name>:{<parts>}} holding the acquisition's random token
 * with the lease as its TTL; its fencing counter is the same key with {@code :fence} appended (same hash
 * tag, so both are in one Cluster slot). The fencing counter expires {@value #FENCE_RETENTION_MS} ms after
 * the last acquisition of its key, so there is at most one per key locked within the last hour; a new
 * counter starts at the Redis server's clock in microseconds, above every token handed out before.
 *
 * <ul>
 *   <li>Acquire: one script, {@code SET key token NX PX lease} and, when it succeeds, the next fencing
 *       token: {@code max(server time in µs, previous token + 1)}. When busy, it returns the holder's
 *       remaining lease.
 *   <li>Wait: the caller subscribes (once per lock name and Redwire) to {@code <namespace>:lock:<name>}
 *       and sleeps until a release of its key is published there, the holder's lease ends (a crashed
 *       holder publishes nothing), or {@code maxWait} runs out; then tries again.
 *   <li>Release: one script deletes the key only if it still holds this acquisition's token, then
 *       publishes the key.
 *   <li>Without a fixed lease, a watchdog on {@link Redwire#renewals()} renews the lease every third of
 *       it (again only while the key holds our token) until the method returns.
 * </ul>
 *
 * <p>Nested calls on the same key in the same thread through the same {@code Redwire} re-enter the
 * outermost acquisition (same token, same lease), with no round trip. Thread-safe.
 */
public final class RedwireLock {

  private static final Logger log = LoggerFactory.getLogger(RedwireLock.class);

  /** The lease a watchdog keeps renewing, unless overridden per name. */
  public static final long DEFAULT_WATCHDOG_LEASE_MS = 30_000;
  /** How long a key's fencing counter outlives its last acquisition. */
  public static final long FENCE_RETENTION_MS = 3_600_000;
  /** Longest sleep between two tries while the release channel is not yet confirmed. */
  private static final long UNSUBSCRIBED_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Longest sleep between two tries when the holder's key has no TTL (not written by Redwire). */
  private static final long NO_TTL_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final byte[] FENCE_SUFFIX = ":fence".getBytes(StandardCharsets.UTF_8);
  private static final byte[] JVM_ID = new byte[8];

  static {
    new SecureRandom().nextBytes(JVM_ID);
  }

  /** KEYS: lock, fence. ARGV: token, lease ms, fence retention ms. Returns {1, fence} or {0, pttl}. */
  static final Script ACQUIRE = new Script("redwire-lock-acquire", """
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local last = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
        local fence = now
        if last >= now then
          fence = last + 1
        end
        redis.call('SET', KEYS[2], string.format('%d', fence), 'PX', ARGV[3])
        return {1, fence}
      end
      return {0, redis.call('PTTL', KEYS[1])}
      """);

  /** KEYS: lock. ARGV: token, channel. Deletes and publishes only if the lock holds the token. */
  static final Script RELEASE = new Script("redwire-lock-release", """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('DEL', KEYS[1])
        redis.call('PUBLISH', ARGV[2], KEYS[1])
        return 1
      end
      return 0
      """);

  /** KEYS: lock. ARGV: token, lease ms. Extends the lease only if the lock holds the token. */
  static final Script RENEW = new Script("redwire-lock-renew", """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
      end
      return 0
      """);

  private final Redwire redwire;
  private final UnifiedJedis jedis;
  private final RedwireMetrics metrics;
  private final String name;
  private final byte[] prefix;
  private final long leaseMillis;
  private final long leaseNanos;
  private final byte[] leaseArg;
  private final byte[] retentionArg;
  private final boolean watchdog;
  private final long maxWaitNanos;
  private final LockChannel channel;

  private RedwireLock(Redwire redwire, LockSettings settings) {
    redwire.ensureOpen();
    this.redwire = redwire;
    this.jedis = redwire.client();
    this.metrics = redwire.metrics();
    this.name = settings.name();
    this.prefix = redwire.prefix("lock", name);
    this.watchdog = settings.watchdog();
    this.leaseMillis = redwire.lease(name, Duration.ofMillis(watchdog ? DEFAULT_WATCHDOG_LEASE_MS
        : settings.leaseMillis())).toMillis();
    this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis);
    this.leaseArg = ascii(leaseMillis);
    this.retentionArg = ascii(FENCE_RETENTION_MS + leaseMillis);
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(settings.maxWaitMillis());
    byte[] ch = new byte[prefix.length - 1];
    System.arraycopy(prefix, 0, ch, 0, ch.length); // "<ns>:lock:<name>" without the trailing ':'
    this.channel = LockChannel.of(redwire, name, ch);
  }

  /** The lock of a method with {@code settings}, on {@code redwire}. */
  public static RedwireLock of(Redwire redwire, LockSettings settings) {
    return new RedwireLock(redwire, settings);
  }

  /** The lock name. */
  public String name() {
    return name;
  }

  /** The lease in milliseconds, after the operator's override; renewed by a watchdog when {@link #watchdog()}. */
  public long leaseMillis() {
    return leaseMillis;
  }

  /** Whether a watchdog renews the lease while the method runs. */
  public boolean watchdog() {
    return watchdog;
  }

  /** {@code <namespace>:lock:<name>:}, the start of every key of this lock. */
  public byte[] prefix() {
    return prefix;
  }

  /**
   * Takes the lock on {@code key}, waiting up to {@code maxWait} for a busy one.
   *
   * @throws LockNotAcquiredException when it stays busy, or Redis fails
   */
  public LockLease acquire(byte[] key) {
    return acquire(key, true);
  }

  /** As {@link #acquire}, but returns null instead of throwing (for {@code onBusy = SKIP}). */
  public LockLease tryAcquire(byte[] key) {
    return acquire(key, false);
  }

  private LockLease acquire(byte[] key, boolean raise) {
    redwire.ensureOpen();
    LockLease held = Locks.find(redwire, key);
    if (held != null) {
      held.depth++;
      return held;
    }
    long started = System.nanoTime();
    if (!redwire.breaker().allow()) {
      return busy(key, started, raise, new IllegalStateException(
          "Redis is skipped for a cool-down after repeated failures"));
    }
    byte[] token = token();
    byte[] fenceKey = Keys.withSuffix(key, FENCE_SUFFIX);
    long[] answer;
    try {
      answer = attempt(key, fenceKey, token);
    } catch (RuntimeException e) {
      return failed(key, started, raise, e);
    }
    if (answer[0] == 0 && maxWaitNanos > 0) {
      metrics.lockWait(name);
      LockChannel.Waiters w = channel.enter(key);
      try {
        long deadline = started + maxWaitNanos;
        while (answer[0] == 0) {
          redwire.ensureOpen(); // closed while waiting
          long seen = w.signals();
          try {
            answer = attempt(key, fenceKey, token);
          } catch (RuntimeException e) {
            return failed(key, started, raise, e);
          }
          if (answer[0] == 1) {
            break;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          // woken by a release; at the latest when the holder's lease ends (a crashed holder publishes
          // nothing), or sooner while the subscription is not yet confirmed
          long sleep = Math.min(left, answer[1] > 0
              ? TimeUnit.MILLISECONDS.toNanos(answer[1] + 1) : NO_TTL_RETRY_NANOS);
          if (!channel.active()) {
            sleep = Math.min(sleep, UNSUBSCRIBED_RETRY_NANOS);
          }
          try {
            w.await(seen, sleep);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return busy(key, started, raise, e);
          }
        }
      } finally {
        channel.leave(w);
      }
    }
    if (answer[0] == 0) {
      return busy(key, started, raise, null);
    }
    LockLease lease = new LockLease(redwire, this, key, token, answer[1], answer[2]);
    metrics.lockAcquired(name, System.nanoTime() - started);
    if (watchdog) {
      long period = Math.max(1, leaseMillis / 3);
      try {
        lease.renewal = redwire.renewals().scheduleWithFixedDelay(new Renewal(lease), period, period,
            TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) { // Redwire closed: give the lock back, the caller cannot proceed
        releaseQuietly(lease);
        throw e;
      }
    }
    Locks.push(lease);
    return lease;
  }

  /** One try: {1, fence, sent} when acquired, {0, holder's pttl, sent} when busy; sent is the nanoTime it left. */
  private long[] attempt(byte[] key, byte[] fenceKey, byte[] token) {
    long sent = System.nanoTime();
    List<?> reply = (List<?>) ACQUIRE.run(jedis, 2, key, fenceKey, token, leaseArg, retentionArg);
    redwire.breaker().success();
    return new long[] {((Number) reply.get(0)).longValue(), ((Number) reply.get(1)).longValue(), sent};
  }

  private LockLease failed(byte[] key, long started, boolean raise, RuntimeException e) {
    redwire.ensureOpen(); // closed while waiting: not a Redis failure
    redwire.failed(name, "acquire", e);
    return busy(key, started, raise, e);
  }

  private LockLease busy(byte[] key, long started, boolean raise, Throwable cause) {
    metrics.lockBusy(name);
    if (!raise) {
      return null;
    }
    throw new LockNotAcquiredException(name, Keys.toString(key),
        Duration.ofNanos(System.nanoTime() - started), cause);
  }

  /**
   * Leaves the lock: at the outermost level, stops the watchdog and deletes the key if it still holds
   * this acquisition's token.
   *
   * @throws LockLostException when the method returned normally but the lock was not held all along
   */
  public void release(LockLease lease) {
    Throwable failure = lease.failure;
    lease.failure = null;
    if (--lease.depth > 0) {
      return;
    }
    Locks.remove(lease);
    lease.released = true;
    if (lease.renewal != null) {
      lease.renewal.cancel(false);
    }
    String lost = lease.lost;
    try {
      if (redwire.isClosed()) {
        // the client is gone: the key expires within its lease; nothing to count as a Redis error
        log.debug("Lock {} released after its Redwire was closed; the key expires within {} ms", name,
            leaseMillis);
      } else {
        Object deleted = RELEASE.run(jedis, 1, lease.key, lease.token, channel.channel());
        redwire.breaker().success();
        if (((Number) deleted).longValue() == 0 && lost == null) {
          lost = watchdog ? "the lease ran out before it was renewed, and the key expired"
              : "the lease of " + leaseMillis + " ms ran out before the method returned";
        }
      }
    } catch (RuntimeException e) {
      if (redwire.isClosed()) {
        log.debug("Lock {} released while its Redwire closed; the key expires within {} ms", name,
            leaseMillis);
        return;
      }
      redwire.failed(name, "release", e);
      if (lost == null && System.nanoTime() - lease.provenAt >= leaseNanos) {
        lost = "Redis did not answer for the whole lease (" + e + ")";
      } else {
        // the lease provably lasts past now, so the method ran under the lock; the key expires by itself
        log.warn("Releasing lock {} failed; it expires within its lease of {} ms", name, leaseMillis, e);
      }
    }
    if (lost == null) {
      return;
    }
    if (lease.markLost(lost)) {
      metrics.lockLost(name);
    }
    LockLostException e = new LockLostException(name, Keys.toString(lease.key), lost);
    if (failure != null) {
      failure.addSuppressed(e);
      return;
    }
    throw e;
  }

  private void releaseQuietly(LockLease lease) {
    try {
      RELEASE.run(jedis, 1, lease.key, lease.token, channel.channel());
    } catch (RuntimeException e) {
      if (!redwire.isClosed()) {
        redwire.failed(name, "release", e);
      }
    }
  }

  /** Renews a lease a third of it after the previous renewal, while the method runs. */
  private final class Renewal implements Runnable {
    private final LockLease lease;

    Renewal(LockLease lease) {
      this.lease = lease;
    }

    @Override
    public void run() {
      if (lease.released || lease.lost != null) {
        return;
      }
      long sent = System.nanoTime();
      try {
        Object renewed = RENEW.run(jedis, 1, lease.key, lease.token, leaseArg);
        if (((Number) renewed).longValue() == 1) {
          lease.provenAt = sent;
          return;
        }
        if (!lease.released && lease.markLost("the key expired or another holder took it before the"
            + " watchdog renewed it")) {
          metrics.lockLost(name);
          log.warn("Lock {} on {} was lost while its method runs", name, Keys.toString(lease.key));
        }
        if (lease.renewal != null) {
          lease.renewal.cancel(false);
        }
      } catch (RuntimeException e) {
        if (lease.released || redwire.isClosed()) {
          return;
        }
        redwire.failed(name, "renew", e);
        if (!lease.released && System.nanoTime() - lease.provenAt >= leaseNanos) {
          log.warn("Lock {} on {} could not be renewed for its whole lease of {} ms", name,
              Keys.toString(lease.key), leaseMillis, e);
        }
      }
    }
  }

  private static byte[] token() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    byte[] token = new byte[32];
    long a = r.nextLong();
    long b = r.nextLong() ^ bytesToLong(JVM_ID);
    for (int i = 0; i < 16; i++) {
      token[i] = hex((int) (a >>> (60 - 4 * i)));
      token[16 + i] = hex((int) (b >>> (60 - 4 * i)));
    }
    return token;
  }

  private static long bytesToLong(byte[] b) {
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xff);
    }
    return v;
  }

  private static byte hex(int nibble) {
    return (byte) Character.forDigit(nibble & 0xF, 16);
  }

  private static byte[] ascii(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }
}
