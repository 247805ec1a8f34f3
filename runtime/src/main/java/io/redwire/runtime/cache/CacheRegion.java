package io.redwire.runtime.cache;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.CodecException;
import io.redwire.runtime.codec.Input;
import io.redwire.runtime.codec.Output;
import io.redwire.runtime.codec.Values;
import io.redwire.runtime.key.Keys;
import io.redwire.runtime.pubsub.Subscriber;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * One cache of one {@code Redwire}: what generated {@code @Cached}, {@code @CachePut} and
 * {@code @CacheEvict} methods call.
 *
 * <p>An entry is {@code <value header><flags><compute ms><expires at ms><value>} under
 * {@code <namespace>:c:<name>:<generation>:{<key parts>}}. A hit is one GET and a decode. A miss is
 * loaded once per key in this JVM (single flight) and, across JVMs, by whichever instance takes the
 * short per-key lease ({@code SET NX PX}); the others poll for the value up to the lease time and then
 * load it themselves. Entries near expiry are recomputed early with probability given by XFetch
 * (Vattani, Chierichetti, Lowenstein, VLDB 2015), using the compute time stored in the entry. Clearing
 * the whole cache replaces the generation in the key prefix: one script (SET and PUBLISH), whatever
 * the cache holds.
 *
 * <p>Redis failures never reach the caller: reads miss, writes are skipped, the delegate answers, and
 * the {@code Redwire}'s circuit breaker skips Redis for a cool-down after repeated failures.
 */
public final class CacheRegion<V> {

  /** Returned by {@link #hit(byte[])} when the bytes cannot be served; compared by identity. */
  public static final Object MISS = new Object();

  private static final Logger log = LoggerFactory.getLogger(CacheRegion.class);

  private static final int TOMBSTONE = 1;
  private static final byte[] LEASE_SUFFIX = ":lease".getBytes(StandardCharsets.UTF_8);
  /** How often the generation is re-read while the pub/sub announcement channel is down. */
  private static final long GENERATION_POLL_MS = 1000;
  /** ...and while it is up: a safety net only, announcements arrive within milliseconds. */
  private static final long GENERATION_CHECK_MS = 30_000;
  private static final long MAX_LEASE_MS = 5000;

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

  private final Redwire redwire;
  private final UnifiedJedis jedis;
  private final RedwireMetrics metrics;
  private final String name;
  private final CacheSettings settings;
  private final long fingerprint;
  private final Codec<V> codec;
  private final long ttlMillis;
  private final long nullTtlMillis;
  private final long leaseMillis;
  private final byte[] basePrefix;
  private final byte[] generationKey;
  private final ConcurrentHashMap<KeyBytes, CompletableFuture<Object>> flights = new ConcurrentHashMap<>();
  private volatile byte[] prefix;
  private volatile long generationCheckedAt;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  /** Counts generation changes seen here (clear-alls, announcements), so a read that raced with one is not applied. */
  private final AtomicLong changes = new AtomicLong();
  /** Whether the generation channel is subscribed, so clear-alls of other instances reach us at once. */
  private volatile boolean announced;

  private CacheRegion(Redwire redwire, CacheSettings settings, long fingerprint, Codec<V> codec) {
    this.redwire = redwire;
    this.jedis = redwire.client();
    this.metrics = redwire.metrics();
    this.name = settings.name();
    this.settings = settings;
    this.fingerprint = fingerprint;
    this.codec = codec;
    Duration ttl = redwire.ttl(name, Duration.ofMillis(settings.ttlMillis()));
    this.ttlMillis = Math.max(1, ttl.toMillis());
    this.nullTtlMillis = settings.nullTtlMillis() == settings.ttlMillis() ? ttlMillis : settings.nullTtlMillis();
    this.leaseMillis = redwire.lease(name, Duration.ofMillis(Math.min(MAX_LEASE_MS, Math.max(100, ttlMillis))))
        .toMillis();
    this.basePrefix = redwire.prefix("c", name);
    this.generationKey = Keys.withSuffix(basePrefix, "generation".getBytes(StandardCharsets.UTF_8));
    String generation = readGeneration();
    // Redis unreachable at start: write under a placeholder generation until it answers
    this.prefix = prefixFor(generation != null ? generation : "0");
    this.generationCheckedAt = System.currentTimeMillis();
    // clear-alls of other instances are announced on the generation key's channel
    Subscriber.of(redwire).subscribe(generationKey, new Subscriber.Listener() {
      @Override
      public void onMessage(byte[] channel, byte[] message) {
        applyGeneration(new String(message, StandardCharsets.US_ASCII));
      }

      @Override
      public void onActive() {
        announced = true;
        generationCheckedAt = 0; // announcements may have been missed: re-read on the next call
      }

      @Override
      public void onInactive() {
        announced = false;
      }
    });
  }

  /**
   * The region for {@code settings.name()} in {@code redwire}, shared by every proxy built on it, so
   * single flight and the generation are per cache, not per proxy.
   */
  public static <V> CacheRegion<V> of(Redwire redwire, CacheSettings settings, long fingerprint,
      Codec<V> codec) {
    @SuppressWarnings("unchecked")
    CacheRegion<V> region = (CacheRegion<V>) redwire.shared(
        "cache:" + settings.name() + ":" + Long.toHexString(fingerprint),
        () -> new CacheRegion<>(redwire, settings, fingerprint, codec));
    return region;
  }

  public String name() {
    return name;
  }

  // ------------------------------------------------------------------ hit path

  /**
   * The key prefix of the current generation, {@code <ns>:c:<name>:<generation>:}. Clear-alls of
   * other instances arrive over pub/sub; as a safety net a caller triggers a re-read of the generation
   * on a background thread every 30 s (every second while the pub/sub connection is down), so no
   * caller waits for it.
   */
  public byte[] prefix() {
    long now = System.currentTimeMillis();
    long every = announced ? GENERATION_CHECK_MS : GENERATION_POLL_MS;
    if (now - generationCheckedAt >= every && refreshing.compareAndSet(false, true)) {
      generationCheckedAt = now;
      try {
        redwire.workers().execute(this::refreshGeneration);
      } catch (RuntimeException closedOrFull) {
        refreshing.set(false);
      }
    }
    return prefix;
  }

  /** GET; null on a miss, when Redis fails, or while the circuit breaker is open. */
  public byte[] get(byte[] key) {
    if (!redwire.breaker().allow()) {
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

  /**
   * The value in {@code raw} (null for a cached null), or {@link #MISS} when the bytes were written for
   * another shape, are damaged, or XFetch picks this caller to recompute the entry early.
   */
  public Object hit(byte[] raw) {
    Input in = new Input(raw);
    try {
      Values.readHeader(in, fingerprint);
      int flags = in.readByte();
      int computeMillis = in.readFixedInt();
      long expiresAt = in.readFixedLong();
      if (settings.refresh() != CacheSettings.Refresh.NONE && recomputeEarly(computeMillis, expiresAt)) {
        return MISS;
      }
      if ((flags & TOMBSTONE) != 0) {
        metrics.cacheHit(name);
        return null;
      }
      V value = codec.read(in);
      in.expectEnd();
      metrics.cacheHit(name);
      return value;
    } catch (CodecException e) {
      return MISS;
    }
  }

  /** {@code hit} as the value type; only for results of {@link #hit} that are not {@link #MISS}. */
  @SuppressWarnings("unchecked")
  public V value(Object hit) {
    return (V) hit;
  }

  /**
   * XFetch: recompute when {@code now - delta * beta * ln(rand) >= expiry}, beta = 1. The closer the
   * expiry and the longer the value took to compute, the likelier; at most one caller in a burst wins
   * in practice because the others see the new entry.
   */
  private static boolean recomputeEarly(int computeMillis, long expiresAt) {
    double r = 1.0 - ThreadLocalRandom.current().nextDouble(); // (0, 1]
    return System.currentTimeMillis() - computeMillis * Math.log(r) >= expiresAt;
  }

  // ------------------------------------------------------------------ miss path

  /**
   * Loads the value for {@code key} after {@link #hit} returned {@link #MISS} (or there were no bytes):
   * serves the current value while refreshing in the background when so configured; otherwise one load
   * per key in this JVM, coordinated across JVMs with a lease. Exceptions of the delegate reach the
   * caller unchanged.
   */
  public V load(byte[] key, byte[] raw, CacheLoader<V> loader) {
    Object current = missed(raw);
    if (current != MISS && settings.refresh() == CacheSettings.Refresh.BACKGROUND) {
      refreshInBackground(key, loader);
      return value(current);
    }
    KeyBytes id = new KeyBytes(key);
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = flights.putIfAbsent(id, mine);
    if (running != null) {
      metrics.cacheStampedeWait(name);
      return value(join(running));
    }
    try {
      Object v = loadAcrossInstances(key, current, loader);
      mine.complete(v);
      return value(v);
    } catch (Throwable t) {
      mine.completeExceptionally(t);
      throw Sneaky.rethrow(t);
    } finally {
      flights.remove(id, mine);
    }
  }

  /** As {@link #load} for methods that return a future; never blocks on another instance's lease. */
  public CompletableFuture<V> loadAsync(byte[] key, byte[] raw, AsyncCacheLoader<V> loader) {
    Object current = missed(raw);
    if (current != MISS && settings.refresh() == CacheSettings.Refresh.BACKGROUND) {
      refreshInBackground(key, () -> loader.load().toCompletableFuture().get());
      return CompletableFuture.completedFuture(value(current));
    }
    KeyBytes id = new KeyBytes(key);
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = flights.putIfAbsent(id, mine);
    if (running != null) {
      metrics.cacheStampedeWait(name);
      return running.thenApply(this::value);
    }
    long started = System.nanoTime();
    CompletionStage<V> stage;
    try {
      stage = loader.load();
    } catch (Throwable t) {
      flights.remove(id, mine);
      mine.completeExceptionally(t);
      return CompletableFuture.failedFuture(t);
    }
    stage.whenComplete((v, error) -> {
      if (error != null) {
        flights.remove(id, mine);
        mine.completeExceptionally(unwrap(error));
        return;
      }
      long nanos = System.nanoTime() - started;
      metrics.cacheLoad(name, nanos);
      // the value is stored before the callers' futures complete (off the completing thread), so a
      // call made after one of them completed reads it; callers in between join this flight
      try {
        redwire.workers().execute(() -> {
          try {
            store(key, v, nanos, null);
          } finally {
            flights.remove(id, mine);
            mine.complete(v);
          }
        });
      } catch (RuntimeException rejected) {
        flights.remove(id, mine);
        mine.complete(v);
      }
    });
    return mine.thenApply(this::value);
  }

  private Object loadAcrossInstances(byte[] key, Object current, CacheLoader<V> loader) throws Exception {
    if (!redwire.breaker().allow()) {
      return compute(loader).value;
    }
    byte[] lease = Keys.withSuffix(key, LEASE_SUFFIX);
    String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
    Boolean acquired = acquire(lease, token);
    if (acquired == null) { // Redis failed: answer from the delegate, store nothing
      return compute(loader).value;
    }
    if (acquired) {
      Computed c = compute(loader);
      store(key, c.value, c.nanos, new Lease(lease, token));
      return c.value;
    }
    if (current != MISS) { // someone else is refreshing: keep serving what we have
      return current;
    }
    // another instance is loading: wait for its value, bounded by the lease
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMillis);
    long pause = 2;
    metrics.cacheStampedeWait(name);
    while (System.nanoTime() - deadline < 0) {
      sleep(pause);
      pause = Math.min(pause * 2, 50);
      byte[] raw = get(key);
      if (raw != null) {
        Object v = current(raw);
        if (v != MISS) {
          return v;
        }
      }
      Boolean retry = acquire(lease, token);
      if (retry == null) {
        break;
      }
      if (retry) { // the other loader gave up or died: our turn
        Computed c = compute(loader);
        store(key, c.value, c.nanos, new Lease(lease, token));
        return c.value;
      }
    }
    Computed c = compute(loader);
    store(key, c.value, c.nanos, null);
    return c.value;
  }

  private void refreshInBackground(byte[] key, CacheLoader<V> loader) {
    KeyBytes id = new KeyBytes(key);
    CompletableFuture<Object> mine = new CompletableFuture<>();
    if (flights.putIfAbsent(id, mine) != null) {
      return; // a refresh or load of this key is already running here
    }
    try {
      redwire.workers().execute(() -> {
        try {
          byte[] lease = Keys.withSuffix(key, LEASE_SUFFIX);
          String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
          if (Boolean.TRUE.equals(acquire(lease, token))) {
            Computed c = compute(loader);
            store(key, c.value, c.nanos, new Lease(lease, token));
            mine.complete(c.value);
          } else {
            mine.complete(MISS);
          }
        } catch (Throwable t) {
          log.warn("Background refresh of cache {} failed; the current value stays until it expires", name, t);
          mine.complete(MISS);
        } finally {
          flights.remove(id, mine);
        }
      });
    } catch (RuntimeException rejected) { // executor shut down
      flights.remove(id, mine);
    }
  }

  /**
   * The value {@link #hit} did not serve (MISS when there was none or it was unusable), counted as an
   * early refresh when there is one and as a miss otherwise.
   */
  private Object missed(byte[] raw) {
    Object current = raw == null ? MISS : current(raw);
    if (current != MISS) {
      metrics.cacheEarlyRefresh(name);
    } else {
      metrics.cacheMiss(name);
    }
    return current;
  }

  /** The decoded value of {@code raw} ignoring XFetch, or MISS. */
  private Object current(byte[] raw) {
    Input in = new Input(raw);
    try {
      Values.readHeader(in, fingerprint);
      int flags = in.readByte();
      in.readFixedInt();
      in.readFixedLong();
      if ((flags & TOMBSTONE) != 0) {
        return null;
      }
      V value = codec.read(in);
      in.expectEnd();
      return value;
    } catch (CodecException e) {
      return MISS;
    }
  }

  private Computed compute(CacheLoader<V> loader) throws Exception {
    long started = System.nanoTime();
    V v = loader.load();
    long nanos = System.nanoTime() - started;
    metrics.cacheLoad(name, nanos);
    return new Computed(v, nanos);
  }

  private record Computed(Object value, long nanos) {}

  private record Lease(byte[] key, String token) {}

  /** SET lease NX PX; null when Redis failed. */
  private Boolean acquire(byte[] lease, String token) {
    if (!redwire.breaker().allow()) {
      return null;
    }
    try {
      String ok = jedis.set(lease, token.getBytes(StandardCharsets.US_ASCII),
          SetParams.setParams().nx().px(leaseMillis));
      redwire.breaker().success();
      return "OK".equals(ok);
    } catch (RuntimeException e) {
      failed("lease", e);
      return null;
    }
  }

  // ------------------------------------------------------------------ writes

  /** Stores {@code value} under {@code key} (write-through); null per the cache's null policy. */
  public void put(byte[] key, V value) {
    store(key, value, 0, null);
  }

  /** Stores the future's value once it completes successfully. */
  public void putWhenComplete(byte[] key, CompletionStage<? extends V> stage) {
    if (stage != null) {
      stage.whenComplete((v, error) -> {
        if (error == null) {
          store(key, v, 0, null);
        }
      });
    }
  }

  /** Deletes the entry. */
  public void evict(byte[] key) {
    if (!redwire.breaker().allow()) {
      return;
    }
    try {
      jedis.del(key);
      redwire.breaker().success();
    } catch (RuntimeException e) {
      failed("evict", e);
    }
  }

  /** Deletes the entry once the future completes successfully. */
  public void evictWhenComplete(byte[] key, CompletionStage<?> stage) {
    if (stage != null) {
      stage.whenComplete((v, error) -> {
        if (error == null) {
          evict(key);
        }
      });
    }
  }

  /**
   * Clears the whole cache in O(1): the cache moves to a new generation, so every existing entry is
   * unreachable at once and expires with its TTL. One script sets the new generation and announces it
   * on the generation key's channel, so other instances switch within milliseconds.
   */
  public void evictAll() {
    String generation = newGeneration();
    applyGeneration(generation);
    generationCheckedAt = System.currentTimeMillis();
    if (!redwire.breaker().allow()) {
      log.warn("Cache {} was cleared only in this instance: Redis is unavailable", name);
      return;
    }
    try {
      NEW_GENERATION.run(jedis, 1, generationKey, generation.getBytes(StandardCharsets.US_ASCII));
      redwire.breaker().success();
    } catch (RuntimeException e) {
      failed("evictAll", e);
    }
  }

  /** Clears the whole cache once the future completes successfully. */
  public void evictAllWhenComplete(CompletionStage<?> stage) {
    if (stage != null) {
      stage.whenComplete((v, error) -> {
        if (error == null) {
          evictAll();
        }
      });
    }
  }

  /** Writes an entry (or a tombstone, or deletes) and releases {@code lease} if we hold it. */
  private void store(byte[] key, Object value, long computeNanos, Lease lease) {
    boolean keep = value != null || settings.nulls();
    long ttl = value == null ? nullTtlMillis : ttlMillis;
    ttl = jittered(ttl);
    byte[] bytes = keep ? encode(value, computeNanos, ttl) : null;
    if (!redwire.breaker().allow()) {
      return;
    }
    try {
      if (lease != null) {
        STORE_AND_RELEASE.run(jedis, 2, key, lease.key(),
            keep ? ONE : ZERO, keep ? bytes : EMPTY, ascii(ttl), lease.token().getBytes(StandardCharsets.US_ASCII));
      } else if (keep) {
        jedis.set(key, bytes, SetParams.setParams().px(ttl));
      } else {
        jedis.del(key);
      }
      redwire.breaker().success();
    } catch (RuntimeException e) {
      failed("store", e);
    }
  }

  private static final byte[] ONE = {'1'};
  private static final byte[] ZERO = {'0'};
  private static final byte[] EMPTY = {};

  private byte[] encode(Object value, long computeNanos, long ttl) {
    Output out = new Output(64);
    Values.writeHeader(out, fingerprint);
    out.writeByte(value == null ? TOMBSTONE : 0);
    out.writeFixedInt((int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(computeNanos)));
    out.writeFixedLong(System.currentTimeMillis() + ttl);
    if (value != null) {
      codec.write(out, value(value));
    }
    return out.toByteArray();
  }

  /** The TTL shortened by a random share of up to {@code jitter} percent, never below 1 ms. */
  private long jittered(long ttl) {
    int jitter = settings.jitterPercent();
    if (jitter == 0) {
      return ttl;
    }
    long cut = (long) (ttl * (jitter / 100.0) * ThreadLocalRandom.current().nextDouble());
    return Math.max(1, ttl - cut);
  }

  // ------------------------------------------------------------------ generations

  /** The cache's generation from Redis (created when absent), or null when Redis failed. */
  private String readGeneration() {
    try {
      Object g = GENERATION.run(jedis, 1, generationKey, newGeneration().getBytes(StandardCharsets.US_ASCII));
      redwire.breaker().success();
      return g instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : String.valueOf(g);
    } catch (RuntimeException e) {
      failed("generation", e);
      return null;
    }
  }

  private void refreshGeneration() {
    try {
      if (redwire.breaker().allow()) {
        long seen = changes.get();
        String generation = readGeneration();
        synchronized (this) {
          // a clear-all in this instance since the read wins over what the read returned
          if (generation != null && changes.get() == seen && !Arrays.equals(prefixFor(generation), prefix)) {
            prefix = prefixFor(generation);
          }
        }
      }
    } finally {
      refreshing.set(false);
    }
  }

  /** A generation announced by a clear-all (ours or another instance's). */
  private void applyGeneration(String generation) {
    synchronized (this) {
      changes.incrementAndGet();
      prefix = prefixFor(generation);
    }
  }

  private byte[] prefixFor(String generation) {
    return Keys.withSuffix(basePrefix, (generation + ":").getBytes(StandardCharsets.US_ASCII));
  }

  private static String newGeneration() {
    return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  // ------------------------------------------------------------------ plumbing

  private void failed(String operation, RuntimeException e) {
    redwire.breaker().failure();
    metrics.redisError(name, operation, e);
    log.debug("Cache {}: Redis {} failed; answering without the cache", name, operation, e);
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static Object join(CompletableFuture<Object> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw Sneaky.rethrow(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  /** A byte[] with value equality, for the single-flight map. */
  private record KeyBytes(byte[] bytes, int hash) {
    KeyBytes(byte[] bytes) {
      this(bytes, Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyBytes k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
