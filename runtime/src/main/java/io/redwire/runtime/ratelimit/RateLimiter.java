package io.redwire.runtime.ratelimit;

import io.redwire.runtime.Limit;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.Throttle;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.key.Keys;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The limits of one {@code @RateLimited} method: what its generated proxy calls before anything else.
 *
 * <p>A decision is one {@code EVALSHA} of the algorithm's script with one key per limit, evaluated on the
 * server by the server's clock; the call is admitted only when every limit admits it, and a refused call
 * consumes nothing. Keys ({@code <kind>} is {@code rl-gcra}, {@code rl-sliding} or {@code rl-fixed}, so
 * two algorithms under one name never share a key):
 * <ul>
 *   <li>when every limit of the method has the same key template (the usual case, and always with one
 *       limit): {@code <ns>:<kind>:<name>:{<key parts>}}, so different callers spread over a Cluster;</li>
 *   <li>when the templates differ (say per user and global): {@code <ns>:<kind>:{<first name>}:<name>:{<key
 *       parts>}}, so all the method's keys share the first limit's name as hash tag and one script can
 *       take them: the whole method's limits live on one Cluster slot;</li>
 *   <li>a limit without key (one bucket for the method) uses its own or the first limit's name as tag.</li>
 * </ul>
 *
 * <p>When Redis fails (or the {@code Redwire}'s circuit breaker is open) the method's {@link OnFailure}
 * policy decides (failures go through {@link Redwire#failed}: only outages count towards the circuit
 * breaker; a command error such as WRONGTYPE on one key is reported, but never stops other work), every such call is counted ({@code rateLimitAllowedOnFailure} /
 * {@code rateLimitDeniedOnFailure}) and a warning is logged at most every 10 seconds with the count.
 *
 * <p>Thread-safe.
 */
public final class RateLimiter {

  /** How calls are counted; mirrors {@code io.redwire.RateLimited.Algorithm}. */
  public enum Algorithm {
    GCRA(RateLimitScripts.GCRA, "rl-gcra"),
    SLIDING_WINDOW(RateLimitScripts.SLIDING_WINDOW, "rl-sliding"),
    FIXED_WINDOW(RateLimitScripts.FIXED_WINDOW, "rl-fixed");

    final Script script;
    final String kind;

    Algorithm(Script script, String kind) {
      this.script = script;
      this.kind = kind;
    }

    /**
     * The kind segment of this algorithm's keys ({@code rl-gcra}, {@code rl-sliding}, {@code
     * rl-fixed}): each algorithm stores another type of value, so two algorithms under one name never
     * meet on one key.
     */
    public String kind() {
      return kind;
    }
  }

  /** What a call over the limit does; mirrors {@code io.redwire.RateLimited.OnLimit}. */
  public enum OnLimit {
    THROW, WAIT
  }

  /** What a call does when Redis is unreachable; mirrors {@code io.redwire.RateLimited.OnFailure}. */
  public enum OnFailure {
    ALLOW, DENY
  }

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
  private static final byte[] EMPTY = {};

  private final Redwire redwire;
  private final UnifiedJedis jedis;
  private final RedwireMetrics metrics;
  private final Algorithm algorithm;
  private final OnLimit onLimit;
  private final OnFailure onFailure;
  private final long maxWaitNanos;
  private final int n;
  private final String[] names;
  private final long[] limits;
  private final long[] perMillis;
  private final int[] tags;
  /** Key prefix per limit; the tag bytes (or nothing) follow. */
  private final byte[][] prefixes;
  /** The whole key of limits without key parts. */
  private final byte[][] fixedKeys;
  /** {@code limit, perMicros, burst} per limit, as script arguments. */
  private final byte[][] args;
  private final AtomicLong failuresSinceLog = new AtomicLong();
  private final Throttle failureLog = new Throttle(Duration.ofSeconds(10));

  private RateLimiter(Redwire redwire, Algorithm algorithm, OnLimit onLimit, OnFailure onFailure,
      long maxWaitMillis, int tagCount, List<RateLimit> compiled) {
    redwire.ensureOpen();
    this.redwire = redwire;
    this.jedis = redwire.client();
    this.metrics = redwire.metrics();
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.onLimit = Objects.requireNonNull(onLimit, "onLimit");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxWaitMillis));
    if (compiled.isEmpty()) {
      throw new IllegalArgumentException("a rate limiter needs at least one limit");
    }
    this.n = compiled.size();
    this.names = new String[n];
    this.limits = new long[n];
    this.perMillis = new long[n];
    this.tags = new int[n];
    this.prefixes = new byte[n][];
    this.fixedKeys = new byte[n][];
    this.args = new byte[3 * n][];
    String first = compiled.get(0).name();
    boolean shared = tagCount <= 1;
    for (int i = 0; i < n; i++) {
      RateLimit l = compiled.get(i);
      Limit effective = redwire.limit(l.name(), new Limit(l.limit(), Duration.ofMillis(l.perMillis())));
      if (l.tag() >= Math.max(1, tagCount)) {
        throw new IllegalArgumentException("limit " + l.name() + " uses tag " + l.tag() + " of " + tagCount);
      }
      names[i] = l.name();
      limits[i] = effective.permits();
      perMillis[i] = Math.max(1, effective.per().toMillis());
      tags[i] = l.tag();
      long burst = l.burst() == 0 ? limits[i] : l.burst();
      args[3 * i] = ascii(limits[i]);
      args[3 * i + 1] = ascii(Math.multiplyExact(perMillis[i], 1000L));
      args[3 * i + 2] = ascii(burst);
      String base = redwire.namespace() + ":" + algorithm.kind + ":";
      Keys.checkName("rate limit name", l.name());
      if (shared) {
        prefixes[i] = utf8(base + l.name() + ":");
        fixedKeys[i] = utf8(base + l.name() + ":{" + first + "}");
      } else {
        prefixes[i] = utf8(base + "{" + first + "}:" + l.name() + ":");
        fixedKeys[i] = utf8(base + "{" + first + "}:" + l.name());
      }
    }
  }

  /**
   * The limiter of one method.
   *
   * @param redwire the runtime (client, namespace, overrides, metrics, circuit breaker)
   * @param maxWaitMillis with {@link OnLimit#WAIT}: the longest a call waits in total
   * @param tagCount how many distinct key tags {@link #acquire} receives (distinct key templates; 0 or 1
   *     means all limits share one)
   * @param limits the method's limits, in declaration order
   */
  public static RateLimiter of(Redwire redwire, Algorithm algorithm, OnLimit onLimit, OnFailure onFailure,
      long maxWaitMillis, int tagCount, RateLimit... limits) {
    return new RateLimiter(redwire, algorithm, onLimit, onFailure, maxWaitMillis, tagCount, List.of(limits));
  }

  /** The names of the limits, in order. */
  public List<String> names() {
    return List.of(names);
  }

  /** Decides a call of a method whose limits have no key (one bucket per limit). */
  public void acquire() {
    decide(keys(null, null));
  }

  /**
   * Decides a call; {@code tag} is the key parts written by {@code KeyWriter.begin(new byte[0])...end()},
   * i.e. <code>{parts}</code>, or null for a limit without key.
   *
   * @throws RateLimitedException when refused (after waiting, with {@link OnLimit#WAIT})
   */
  public void acquire(byte[] tag) {
    decide(keys(tag, null));
  }

  /** As {@link #acquire(byte[])} for a method whose limits use two different key templates. */
  public void acquire(byte[] tag0, byte[] tag1) {
    decide(keys(tag0, tag1));
  }

  /** As {@link #acquire(byte[])} for a method whose limits use three or more different key templates. */
  public void acquire(byte[][] tagsByIndex) {
    byte[][] keysAndArgs = new byte[4 * n][];
    for (int i = 0; i < n; i++) {
      keysAndArgs[i] = key(i, tagsByIndex[tags[i]]);
    }
    System.arraycopy(args, 0, keysAndArgs, n, args.length);
    decide(keysAndArgs);
  }

  private byte[][] keys(byte[] tag0, byte[] tag1) {
    byte[][] keysAndArgs = new byte[4 * n][];
    for (int i = 0; i < n; i++) {
      keysAndArgs[i] = key(i, tags[i] == 0 ? tag0 : tag1);
    }
    System.arraycopy(args, 0, keysAndArgs, n, args.length);
    return keysAndArgs;
  }

  private byte[] key(int i, byte[] tag) {
    return tag == null ? fixedKeys[i] : Keys.withSuffix(prefixes[i], tag);
  }

  /** The key of limit {@code i} for {@code tag}, as {@link #acquire} writes it (for tests and tools). */
  public byte[] keyOf(int i, byte[] tag) {
    return key(i, tag);
  }

  private void decide(byte[][] keysAndArgs) {
    redwire.ensureOpen();
    long deadline = 0;
    long waitedSince = 0;
    while (true) {
      List<?> reply = null;
      RuntimeException failure = null;
      if (redwire.breaker().allow()) {
        try {
          reply = (List<?>) algorithm.script.run(jedis, n, keysAndArgs);
          redwire.breaker().success();
        } catch (RuntimeException e) {
          redwire.ensureOpen(); // closed meanwhile: not a Redis failure
          redwire.failed(names[0], "rateLimit", e);
          failure = e;
        }
      }
      if (reply == null) {
        onRedisFailure(failure);
        return;
      }
      int index = (int) number(reply, 1) - 1;
      if (number(reply, 0) == 1) {
        for (int i = 0; i < n; i++) {
          metrics.rateLimitAdmitted(names[i]);
        }
        if (waitedSince != 0) {
          metrics.rateLimitWaited(names[0], System.nanoTime() - waitedSince);
        }
        return;
      }
      long retryMicros = Math.max(1, number(reply, 3));
      RateLimitedException refused = new RateLimitedException(names[index], limits[index], perMillis[index],
          Math.max(0, number(reply, 2)), retryMicros, number(reply, 4), null);
      if (onLimit == OnLimit.WAIT) {
        long now = System.nanoTime();
        if (deadline == 0) {
          waitedSince = now;
          deadline = now + maxWaitNanos;
        }
        long sleep = TimeUnit.MICROSECONDS.toNanos(retryMicros);
        if (now + sleep - deadline <= 0 && sleepUntil(now + sleep)) {
          continue; // the server said when a permit is free: ask once more then, not before
        }
        metrics.rateLimitWaited(names[0], System.nanoTime() - waitedSince);
      }
      metrics.rateLimitLimited(names[index]);
      throw refused;
    }
  }

  /** Sleeps until {@code until} (System.nanoTime); false if interrupted (the flag is restored). */
  private static boolean sleepUntil(long until) {
    long left;
    while ((left = until - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void onRedisFailure(RuntimeException e) {
    boolean allow = onFailure == OnFailure.ALLOW;
    for (int i = 0; i < n; i++) {
      if (allow) {
        metrics.rateLimitAllowedOnFailure(names[i]);
      } else {
        metrics.rateLimitDeniedOnFailure(names[i]);
      }
    }
    logFailure(e, allow);
    if (!allow) {
      long intervalMicros = Math.max(1, perMillis[0] * 1000 / limits[0]);
      throw new RateLimitedException(names[0], limits[0], perMillis[0], 0, intervalMicros, perMillis[0] * 1000,
          e != null ? e : new IllegalStateException("the circuit breaker skips Redis after repeated failures"));
    }
  }

  /** One warning per 10 s per limiter, with the number of calls the policy decided since the last one. */
  private void logFailure(RuntimeException e, boolean allow) {
    long count = failuresSinceLog.incrementAndGet();
    if (failureLog.tryAcquire()) {
      long calls = failuresSinceLog.getAndSet(0);
      log.warn("Rate limit {}: Redis failed ({}); {} {} call(s) since the last report (onFailure = {})",
          names[0], e != null ? e.toString() : "circuit breaker open", allow ? "admitted" : "refused",
          calls == 0 ? count : calls, onFailure);
    }
  }

  private static long number(List<?> reply, int i) {
    Object v = reply.get(i);
    return v instanceof Long l ? l : Long.parseLong(String.valueOf(v));
  }

  private static byte[] ascii(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** For generated code: the empty prefix to start key tags with ({@code KeyWriter.begin(TAG)}). */
  public static byte[] tagPrefix() {
    return EMPTY;
  }

  @Override
  public String toString() {
    return "RateLimiter" + names() + "[" + algorithm + "]";
  }
}
