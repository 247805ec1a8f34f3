package io.redwire.runtime.cache;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.Throttle;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.FingerprintMismatchException;
import io.redwire.runtime.codec.Input;
import io.redwire.runtime.key.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache of one {@code Redwire}: what generated {@code @Cached}, {@code @CachePut} and
 * {@code @CacheEvict} methods call. A facade over its parts, each with one job:
 *
 * <ul>
 *   <li>{@link EntryFormat}: the bytes of an entry, jittered TTLs, the XFetch test;
 *   <li>{@link Generation}: the key prefix of the current generation, clear-alls and their
 *       announcements;
 *   <li>{@link Flights}: one load per key at a time in this JVM;
 *   <li>{@link CacheStore}: every Redis call, behind the circuit breaker; never throws;
 *   <li>{@link NearCache} and {@link NearInvalidation}: the in-process L1 of {@code @Cached(near = N)}
 *       and what keeps it coherent.
 * </ul>
 *
 * <p>This class keeps the miss policy. A miss is loaded once per key in this JVM (single flight) and,
 * across JVMs, by whichever instance takes the short per-key lease ({@code SET NX PX}); the others
 * poll for the value up to the lease time and then load it themselves. The lease is released whatever
 * the delegate does. Synchronous loads, loads of methods returning futures and background refreshes
 * all go through that one flight-and-lease path; a flight always ends with a value to serve, the
 * delegate's exception, or (only a background refresh that could not run) nothing, and then whoever
 * joined it loads the value itself. A miss returns the value as a hit would: decoded from the bytes
 * just stored.
 *
 * <p>Redis failures never reach the caller: reads miss, writes are skipped, the delegate answers.
 * Bytes that cannot be decoded are a miss and are written again; a value that cannot be encoded is
 * served but not stored. Both are counted ({@link RedwireMetrics#cacheDecodeFailure},
 * {@link RedwireMetrics#cacheEncodeFailure}) and logged.
 */
public final class CacheRegion<V> {

  private static final Logger log = LoggerFactory.getLogger(CacheRegion.class);

  private static final byte[] LEASE_SUFFIX = ":lease".getBytes(StandardCharsets.UTF_8);
  private static final long MAX_LEASE_MS = 5000;

  private final Redwire redwire;
  private final RedwireMetrics metrics;
  private final String name;
  private final boolean xfetch;
  /**
   * How much misses have outnumbered hits lately: a miss adds 1 (up to {@link #MISS_RUN_MAX}), a hit
   * takes 1 away, so it climbs only while most reads miss. From {@link #SKIP_GET} on, reads skip the GET
   * and go straight to the lease script, which returns the entry if there is one: a miss then costs its
   * caller the lease (no GET; the store follows on a worker), and a hit one script instead of a GET
   * (XFetch still applies to the entry it returns), until hits bring it down again. Reads Redis did
   * not answer leave it alone. A heuristic read and written without synchronisation (a lost update
   * only shifts when it switches); written only when it changes, so steady hits never write it.
   */
  private int missRun;
  static final int SKIP_GET = 64;
  static final int MISS_RUN_MAX = 128;
  private final boolean background;
  private final long leaseMillis;
  private final EntryFormat<V> format;
  private final CacheStore store;
  private final Generation generation;
  /** The in-process L1 ({@code @Cached(near = N)}), or null; see {@link NearCache}. */
  private final NearCache<V> near;
  private final NearInvalidation nearInvalidation;
  private final Flights<V> flights = new Flights<>();
  private final Consumer<RuntimeException> decodeFailed = this::decodeFailed;
  /** Decode and encode failures are logged at most every 10 s (every one is counted). */
  private final Throttle warnings = new Throttle(Duration.ofSeconds(10));

  /** Pure: no I/O, nothing registered (a racing {@code Redwire.shared} may discard it). */
  private CacheRegion(Redwire redwire, CacheSettings settings, long fingerprint, Codec<V> codec) {
    this.redwire = redwire;
    this.metrics = redwire.metrics();
    this.name = settings.name();
    this.xfetch = settings.refresh() != CacheSettings.Refresh.NONE;
    this.background = settings.refresh() == CacheSettings.Refresh.BACKGROUND;
    long ttlMillis = Math.max(1, redwire.ttl(name, Duration.ofMillis(settings.ttlMillis())).toMillis());
    long nullTtlMillis = settings.nullTtlMillis() == settings.ttlMillis() ? ttlMillis : settings.nullTtlMillis();
    this.leaseMillis = redwire.lease(name, Duration.ofMillis(Math.min(MAX_LEASE_MS, Math.max(100, ttlMillis))))
        .toMillis();
    this.format = new EntryFormat<>(fingerprint, codec, ttlMillis, nullTtlMillis, settings.jitterPercent(),
        settings.nulls());
    this.store = new CacheStore(redwire, name);
    this.generation = new Generation(redwire, store, name, redwire.prefix("c", name));
    this.near = settings.near() > 0 ? new NearCache<>(name, metrics, settings.near(), ttlMillis) : null;
    this.nearInvalidation = near == null ? null
        : new NearInvalidation(redwire, near, name, redwire.prefix("c", name), generation.key());
  }

  /**
   * The region for {@code settings.name()} in {@code redwire}, shared by every proxy built on it, so
   * single flight and the generation are per cache, not per proxy. Does no I/O.
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
   * The key prefix of the current generation, {@code <ns>:c:<name>:<generation>:}. The first call
   * reads the generation (see {@link Generation}); later calls cost a clock read and a few volatile
   * reads.
   *
   * @throws IllegalStateException after {@code Redwire.close()}
   */
  public byte[] prefix() {
    redwire.ensureOpen();
    return generation.prefix();
  }

  /**
   * GET; null on a miss, when Redis fails, while the circuit breaker is open, or while the generation is
   * unknown; also null without a round trip while misses dominate (see {@link #missRun}).
   */
  public byte[] get(byte[] key) {
    if (!generation.known() || missRun >= SKIP_GET) {
      return null;
    }
    byte[] raw = store.read(key);
    if (raw == CacheStore.UNREAD) { // Redis failed or was skipped: not a miss of the data, leave the count
      return null;
    }
    if (raw == null) {
      missed();
    } else {
      found();
    }
    return raw;
  }

  /** A read that missed: {@link #missRun} up by one (read once, so a race only loses an update). */
  private void missed() {
    int r = missRun;
    if (r < MISS_RUN_MAX) {
      missRun = r + 1;
    }
  }

  /** A read that found its entry: {@link #missRun} down by one, never below 0 (read once, as above). */
  private void found() {
    int r = missRun;
    if (r > 0) {
      missRun = r - 1;
    }
  }

  /**
   * Whether the GET is being skipped: then the lease script, which answers the entry when there is one
   * and takes the lease when there is none, is the call's first and only round trip before its load.
   */
  private boolean skippingGet() {
    return missRun >= SKIP_GET;
  }

  /**
   * Whether {@code raw} (what {@link #get} returned) can be served: an entry of this value type's
   * shape that XFetch did not pick to be recomputed early. Reads the bytes in place and allocates
   * nothing. When it returns true the generated code reads the value with {@link #value} (or the
   * primitive reader of its type); when it returns false, or that read throws, {@link #load} decides
   * (and counts) what the miss was.
   */
  public boolean servable(byte[] raw) {
    double random = xfetch ? 1.0 - ThreadLocalRandom.current().nextDouble() : 1.0; // (0, 1]
    return format.servable(raw, xfetch, xfetch ? System.currentTimeMillis() : 0, random);
  }

  /**
   * The value of a {@link #servable} entry (null for a cached null), counted as a hit.
   *
   * @throws RuntimeException when the bytes cannot be decoded (damaged, or refused by the codec or a
   *     record's constructor): the caller then goes to {@link #load}, which counts the failure
   */
  public V value(byte[] raw) {
    V value = EntryFormat.tombstone(raw) ? null : decode(raw);
    metrics.cacheHit(name);
    return value;
  }

  /** One decoding cursor per thread, so a hit allocates no {@link Input}. */
  private static final ThreadLocal<Cursor> CURSOR = ThreadLocal.withInitial(Cursor::new);

  private static final class Cursor {
    private static final byte[] NONE = {};
    final Input in = new Input(NONE);
    /** Set while decoding: a codec that decodes another cached value on this thread gets its own. */
    boolean busy;
  }

  private V decode(byte[] raw) {
    Cursor c = CURSOR.get();
    if (c.busy) {
      return format.value(raw);
    }
    c.busy = true;
    try {
      return format.value(c.in.reset(raw, EntryFormat.VALUE_OFFSET, raw.length - EntryFormat.VALUE_OFFSET));
    } finally {
      c.in.reset(Cursor.NONE, 0, 0); // keep no reference to the entry's bytes
      c.busy = false;
    }
  }

  // Readers of a servable entry of a primitive type: the value is written by the built-in codec of
  // its box (Codecs.LONG and so on), read here without boxing. Same contract as value(byte[]).

  /** {@link #value} for a {@code boolean} cache. */
  public boolean booleanValue(byte[] raw) {
    Input in = EntryFormat.valueInput(raw);
    boolean v = in.readBoolean();
    in.expectEnd();
    metrics.cacheHit(name);
    return v;
  }

  /** {@link #value} for a {@code byte} cache. */
  public byte byteValue(byte[] raw) {
    Input in = EntryFormat.valueInput(raw);
    byte v = in.readByte();
    in.expectEnd();
    metrics.cacheHit(name);
    return v;
  }

  /** {@link #value} for a {@code short} cache. */
  public short shortValue(byte[] raw) {
    Input in = EntryFormat.valueInput(raw);
    short v = in.readShort();
    in.expectEnd();
    metrics.cacheHit(name);
    return v;
  }

  /** {@link #value} for a {@code char} cache. */
  public char charValue(byte[] raw) {
    Input in = EntryFormat.valueInput(raw);
    char v = in.readChar();
    in.expectEnd();
    metrics.cacheHit(name);
    return v;
  }

  /** {@link #value} for an {@code int} cache. */
  public int intValue(byte[] raw) {
    Input in = EntryFormat.valueInput(raw);
    int v = in.readInt();
    in.expectEnd();
    metrics.cacheHit(name);
    return v;
  }

  /** {@link #value} for a {@code long} cache. */
  public long longValue(byte[] raw) {
    Input in = EntryFormat.valueInput(raw);
    long v = in.readLong();
    in.expectEnd();
    metrics.cacheHit(name);
    return v;
  }

  /** {@link #value} for a {@code float} cache. */
  public float floatValue(byte[] raw) {
    Input in = EntryFormat.valueInput(raw);
    float v = in.readFloat();
    in.expectEnd();
    metrics.cacheHit(name);
    return v;
  }

  /** {@link #value} for a {@code double} cache. */
  public double doubleValue(byte[] raw) {
    Input in = EntryFormat.valueInput(raw);
    double v = in.readDouble();
    in.expectEnd();
    metrics.cacheHit(name);
    return v;
  }

  // ------------------------------------------------------------------ near cache

  /**
   * The near-cache entry for the key in {@code writer} (built on {@link #prefix}), or null: then the
   * writer's {@code end()} gives the key for {@link #nearLoad}. A hit allocates nothing, takes no lock
   * and sends nothing; its value is shared by every caller.
   */
  public NearCache.Entry<V> near(io.redwire.runtime.key.KeyWriter writer) {
    return near.get(writer);
  }

  /**
   * A near-cache miss: the Redis tier as without a near cache ({@link #get}, then {@link #load}); a value
   * read from Redis is kept in the near cache unless the key was invalidated meanwhile.
   */
  public V nearLoad(byte[] key, CacheLoader<V> loader) {
    long stamp = nearMiss(key);
    byte[] raw = get(key);
    if (servable(raw)) {
      try {
        V value = value(raw);
        near.put(key, stamp, value, raw);
        return value;
      } catch (RuntimeException unreadable) {
        // bytes the codec refuses are a miss: loaded below, counted and written again
      }
    }
    return load(key, raw, loader);
  }

  /** {@link #nearLoad} for methods that return a future. */
  public CompletableFuture<V> nearLoadAsync(byte[] key, AsyncCacheLoader<V> loader) {
    long stamp = nearMiss(key);
    byte[] raw = get(key);
    if (servable(raw)) {
      try {
        V value = value(raw);
        near.put(key, stamp, value, raw);
        return CompletableFuture.completedFuture(value);
      } catch (RuntimeException unreadable) {
        // loaded below
      }
    }
    return loadAsync(key, raw, loader);
  }

  private long nearMiss(byte[] key) {
    nearInvalidation.start();
    metrics.nearMiss(name);
    return near.stamp(key);
  }

  /** The near cache, or null when this cache has none (for tests). */
  public NearCache<V> nearCache() {
    return near;
  }

  /** After this instance wrote or deleted {@code key}: drop it here now, and tell others if they need it. */
  private void nearWrote(byte[] key) {
    if (near != null) {
      nearInvalidation.start();
      near.invalidate(key);
      if (nearInvalidation.publishes()) {
        nearInvalidation.published(key);
      }
    }
  }

  // ------------------------------------------------------------------ miss path

  /**
   * Loads the value for {@code key} when {@code raw} (what {@link #get} returned) could not be served:
   * serves the current value while refreshing in the background when so configured; otherwise one load
   * per key in this JVM, coordinated across JVMs with a lease. Exceptions of the delegate reach the
   * caller unchanged.
   */
  public V load(byte[] key, byte[] raw, CacheLoader<V> loader) {
    Result<V> current = current(raw);
    Source<V> source = () -> CompletableFuture.completedFuture(loader.load());
    if (background && current.isPresent()) {
      metrics.cacheEarlyRefresh(name);
      refreshInBackground(key, source);
      return current.value();
    }
    boolean first = true;
    while (true) {
      Flights.Flight<V> flight = flights.enter(key);
      boolean countHere = first && flight.owner() && !current.isPresent();
      boolean skipped = countHere && raw == null && skippingGet();
      count(current, flight, first && !countHere);
      first = false;
      if (flight.owner()) {
        own(flight, key, current, source, false, countHere, skipped);
      }
      Result<V> result = join(flight.future());
      if (result.isPresent()) {
        return result.value();
      }
      // joined a background refresh that could not run: load it ourselves
    }
  }

  /**
   * As {@link #load} for methods that return a future; never blocks on another instance's lease, and
   * the future completes once the value is stored (so the next call reads it).
   */
  public CompletableFuture<V> loadAsync(byte[] key, byte[] raw, AsyncCacheLoader<V> loader) {
    Result<V> current = current(raw);
    Source<V> source = loader::load;
    if (background && current.isPresent()) {
      metrics.cacheEarlyRefresh(name);
      refreshInBackground(key, source);
      return CompletableFuture.completedFuture(current.value());
    }
    return loadShared(key, current, source, true);
  }

  private CompletableFuture<V> loadShared(byte[] key, Result<V> current, Source<V> source, boolean first) {
    Flights.Flight<V> flight = flights.enter(key);
    boolean countHere = first && flight.owner() && !current.isPresent();
    boolean skipped = countHere && skippingGet();
    count(current, flight, first && !countHere);
    if (flight.owner()) {
      own(flight, key, current, source, true, countHere, skipped);
    }
    return flight.future().thenCompose(r -> r.isPresent()
        ? CompletableFuture.completedFuture(r.value())
        : loadShared(key, Result.absent(), source, false));
  }

  /** Starts a background refresh of {@code key} unless one (or a load) is running; never waits. */
  private void refreshInBackground(byte[] key, Source<V> source) {
    Flights.Flight<V> flight = flights.startIfIdle(key);
    if (flight == null) {
      return;
    }
    try {
      redwire.workers().execute(() -> {
        try {
          Lease lease = Lease.of(key);
          if (store.acquire(key, lease.key, lease.token, leaseMillis, false).status()
              != CacheStore.Lease.ACQUIRED) {
            flight.finish(Result.absent()); // another loader has it: joiners load (and wait for it) themselves
            return;
          }
          fly(flight, key, source, lease, true, true);
        } catch (Throwable t) {
          flight.finish(Result.absent());
          throw t;
        }
      });
    } catch (RuntimeException fullOrClosed) { // RejectedExecutionException, or closed: skip the refresh
      flight.finish(Result.absent());
      log.debug("Cache {}: background refresh skipped ({})", name, fullOrClosed.toString());
    }
  }

  /**
   * Runs the flight this caller owns: takes the lease and loads, or serves the current value while
   * another instance refreshes it, or (synchronous callers) waits for another instance's load.
   * The flight is always ended, whatever happens.
   */
  /**
   * Loads for the flight's owner behind the lease. {@code countHere}: the owner of a plain miss is
   * counted here, once the lease script has answered: a hit when it found the entry (stored since the
   * GET, or the GET was skipped), else a miss. {@code skipped}: the call skipped its GET (see
   * {@link #missRun}).
   */
  private void own(Flights.Flight<V> flight, byte[] key, Result<V> current, Source<V> source, boolean async,
      boolean countHere, boolean skipped) {
    try {
      if (generation.isPlaceholder(key)) { // no generation known: bypass Redis entirely
        if (countHere) {
          metrics.cacheMiss(name);
        }
        fly(flight, key, source, null, false, false);
        return;
      }
      Lease lease = Lease.of(key);
      // a plain miss also looks for an entry stored since our GET; an early refresh knows there is one
      CacheStore.Leased got = acquire(key, lease, !current.isPresent());
      if (countHere) {
        if (got.status() == CacheStore.Lease.FOUND) {
          if (skipped) {
            found();
          }
          if (skipped && xfetch && !servable(got.entry())) {
            // XFetch picked this caller, as it would have after a GET: an early refresh, not a hit,
            // so a hot key keeps being refreshed ahead of its expiry while most reads miss
            Result<V> found = format.decode(got.entry(), decodeFailed);
            metrics.cacheEarlyRefresh(name);
            if (background) {
              flight.finish(found); // served the current value; then refreshed on a worker
              refreshInBackground(key, source);
            } else {
              own(flight, key, found, source, async, false, false); // takes the lease unchecked, as an early refresh does
            }
            return;
          }
          metrics.cacheHit(name);
        } else {
          metrics.cacheMiss(name);
          if (skipped && got.status() != CacheStore.Lease.FAILED) {
            missed();
          }
        }
      }
      switch (got.status()) {
        case FOUND -> flight.finish(format.decode(got.entry(), decodeFailed));
        case ACQUIRED -> fly(flight, key, source, lease, true, false);
        case FAILED -> fly(flight, key, source, null, false, false); // Redis failed: store nothing
        case BUSY -> {
          if (current.isPresent()) {
            flight.finish(current); // another loader is refreshing it: keep serving what we have
          } else if (async) {
            fly(flight, key, source, null, true, false);
          } else {
            awaitOtherLoader(flight, key, lease, source);
          }
        }
      }
    } catch (Throwable t) {
      flight.fail(t); // a no-op when the flight already ended
      throw t;
    }
  }

  /**
   * Takes the lease of {@code key} unless ({@code check}) its entry is there, in one round trip. An
   * entry that cannot be decoded (another shape, damaged) is not served: the lease is taken over it.
   * Only {@link CacheStore.Lease#FOUND} results carry an entry, and it decodes.
   */
  private CacheStore.Leased acquire(byte[] key, Lease lease, boolean check) {
    CacheStore.Leased got = store.acquire(key, lease.key, lease.token, leaseMillis, check);
    if (got.status() == CacheStore.Lease.FOUND && !format.decode(got.entry(), e -> {}).isPresent()) {
      got = store.acquire(key, lease.key, lease.token, leaseMillis, false);
    }
    return got;
  }

  /** Another instance holds the lease: poll for its value, bounded by the lease time, then load. */
  private void awaitOtherLoader(Flights.Flight<V> flight, byte[] key, Lease lease, Source<V> source) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMillis);
    long pause = 2;
    metrics.cacheStampedeWait(name);
    while (System.nanoTime() - deadline < 0) {
      sleep(pause);
      pause = Math.min(pause * 2, 50);
      CacheStore.Leased again = acquire(key, lease, true); // its value, or the lease if it gave up
      if (again.status() == CacheStore.Lease.FOUND) {
        flight.finish(format.decode(again.entry(), decodeFailed));
        return;
      }
      if (again.status() == CacheStore.Lease.FAILED) {
        break;
      }
      if (again.status() == CacheStore.Lease.ACQUIRED) { // the other loader gave up or died: our turn
        fly(flight, key, source, lease, true, false);
        return;
      }
    }
    fly(flight, key, source, null, true, false);
  }

  /**
   * Runs the delegate for the flight's owner, then stores what it returned and ends the flight with
   * the stored form. Whatever happens the lease is released: with the write when there is one, else on
   * its own. A synchronous delegate completes on this thread and is stored here; an asynchronous one
   * is stored on a worker once it completes (no thread waits for it). A failure ends the flight with
   * the delegate's exception, or, for a background refresh, with nothing.
   */
  private void fly(Flights.Flight<V> flight, byte[] key, Source<V> source, Lease lease, boolean write,
      boolean isBackground) {
    Thread starter = Thread.currentThread();
    long started = System.nanoTime();
    CompletionStage<V> stage;
    try {
      stage = source.start();
      if (stage == null) {
        throw new NullPointerException("the delegate of cache " + name + " returned a null future");
      }
    } catch (Throwable t) {
      loadFailed(flight, lease, t, isBackground);
      return;
    }
    stage.whenComplete((v, error) -> {
      try {
        if (error != null) {
          onThread(starter, () -> loadFailed(flight, lease, unwrap(error), isBackground));
          return;
        }
        long nanos = System.nanoTime() - started;
        metrics.cacheLoad(name, nanos);
        onThread(starter, () -> storeAndServe(flight, key, v, nanos, lease, write, isBackground));
      } catch (Throwable t) { // a metrics listener that threw, say: the flight must still end
        try {
          release(lease);
        } finally {
          flight.fail(t);
        }
      }
    });
  }

  /** Runs {@code task} here when this is {@code starter}'s thread, else on a worker (here if none takes it). */
  private void onThread(Thread starter, Runnable task) {
    if (Thread.currentThread() == starter) {
      task.run();
      return;
    }
    try {
      redwire.workers().execute(task);
    } catch (RuntimeException fullOrClosed) {
      task.run();
    }
  }

  private void loadFailed(Flights.Flight<V> flight, Lease lease, Throwable t, boolean isBackground) {
    try {
      if (lease != null) {
        store.release(lease.key, lease.token); // the next caller, here or elsewhere, must not wait for us
      }
    } finally {
      if (isBackground) {
        log.warn("Background refresh of cache {} failed; the current value stays until it expires", name, t);
        flight.finish(Result.absent());
      } else {
        flight.fail(t);
      }
    }
  }

  /**
   * Serves {@code value} to the flight as a hit would (decoded from the bytes just encoded) and writes
   * it (when the key and the cache's null policy allow). With a lease the write goes out after the
   * flight is served, on a worker, so the caller does not wait for its reply: the miss costs the caller
   * the GET and the lease (while most reads miss, the lease only: see {@link #missRun}). The flight stays joinable until the write has landed (callers arriving
   * meanwhile share the value instead of missing again), and the write is dropped by Redis if a put or
   * evict of the key came after the lease was taken (see {@link CacheStore}). When encoding or
   * decoding fails nothing is written (counted and logged) and the delegate's value is served as it is.
   * The flight always ends.
   */
  private void storeAndServe(Flights.Flight<V> flight, byte[] key, V value, long nanos, Lease lease,
      boolean write, boolean isBackground) {
    Result<V> served = Result.present(value);
    boolean handedOver = false;
    try {
      write = write && !generation.isPlaceholder(key);
      if (!format.keeps(value)) { // a null that is not cached: drop any old entry
        served = Result.present(null);
        handedOver = writeLater(flight, served, key, null, 0, lease, write, isBackground);
        return;
      }
      long ttl = format.ttl(value, ThreadLocalRandom.current().nextDouble());
      byte[] bytes;
      try {
        bytes = format.encode(value, TimeUnit.NANOSECONDS.toMillis(nanos), System.currentTimeMillis() + ttl);
      } catch (RuntimeException e) {
        encodeFailed(e);
        release(lease);
        return;
      }
      Result<V> decoded = format.decode(bytes, decodeFailed);
      if (!decoded.isPresent()) { // bytes that cannot be read back are not worth storing
        release(lease);
        return;
      }
      served = decoded;
      handedOver = writeLater(flight, served, key, bytes, ttl, lease, write, isBackground);
    } finally {
      if (!handedOver) {
        flight.finish(served);
      }
    }
  }

  /**
   * Serves the flight, then writes {@code bytes} (null: delete) and releases the lease; without a
   * write, only releases it. A write under a lease is sent from a worker (here when none takes it),
   * and the flight ends once it has landed; a write without a lease (Redis failed at the lease, or a
   * caller that gave up waiting for another instance) is sent here, as before. Returns whether the
   * end of the flight was handed over to the write.
   */
  private boolean writeLater(Flights.Flight<V> flight, Result<V> served, byte[] key, byte[] bytes, long ttl,
      Lease lease, boolean write, boolean isBackground) {
    if (!write) {
      release(lease);
      return false;
    }
    if (lease == null) {
      store.write(key, bytes, ttl, null, null);
      return false;
    }
    flight.serve(served);
    Runnable send = () -> {
      try {
        store.write(key, bytes, ttl, lease.key, lease.token);
      } finally {
        flight.finish(served);
      }
    };
    if (isBackground) {
      send.run(); // already on a worker, and nobody waits for it
      return true;
    }
    try {
      redwire.workers().execute(send);
    } catch (RuntimeException fullOrClosed) {
      send.run();
    }
    return true;
  }

  private void release(Lease lease) {
    if (lease != null) {
      store.release(lease.key, lease.token);
    }
  }

  /**
   * What the hit path did not serve, decoded again ignoring XFetch: present when XFetch picked this
   * caller to refresh early, else absent (a decoding failure is counted here).
   */
  private Result<V> current(byte[] raw) {
    return raw == null ? Result.absent() : format.decode(raw, decodeFailed);
  }

  /**
   * Counts a call that reached the miss path, once it has entered a flight ({@code first}: on its
   * first entry): an early refresh, or a miss; but a call that joins a flight which has already served
   * its value (the store still on its way to Redis) is counted as a hit, since nothing is loaded for
   * it. Joining a flight still running is also a stampede wait.
   */
  private void count(Result<V> current, Flights.Flight<V> flight, boolean first) {
    if (first) {
      if (current.isPresent()) {
        metrics.cacheEarlyRefresh(name);
      } else if (!flight.owner() && served(flight)) {
        metrics.cacheHit(name);
        return;
      } else {
        metrics.cacheMiss(name);
      }
    }
    if (!flight.owner()) {
      metrics.cacheStampedeWait(name);
    }
  }

  private static boolean served(Flights.Flight<?> flight) {
    CompletableFuture<? extends Result<?>> f = flight.future();
    if (!f.isDone() || f.isCompletedExceptionally()) {
      return false;
    }
    Result<?> r = f.getNow(null);
    return r != null && r.isPresent();
  }

  // ------------------------------------------------------------------ writes

  /**
   * Stores {@code value} under {@code key} (write-through); null per the cache's null policy. Never
   * throws: a value that cannot be encoded is not written (counted and logged).
   */
  public void put(byte[] key, V value) {
    byte[] k = generation.resolve(key);
    if (k == null) {
      log.debug("Cache {}: put skipped, the generation could not be read", name);
      return;
    }
    flights.forget(k); // nobody here joins a load that started before this write
    if (!format.keeps(value)) {
      store.writeFenced(k, null, 0, Lease.key(k));
      nearWrote(k);
      return;
    }
    long ttl = format.ttl(value, ThreadLocalRandom.current().nextDouble());
    byte[] bytes;
    try {
      bytes = format.encode(value, 0, System.currentTimeMillis() + ttl);
    } catch (RuntimeException e) {
      encodeFailed(e);
      store.writeFenced(k, null, 0, Lease.key(k)); // the entry would be stale now
      nearWrote(k);
      return;
    }
    store.writeFenced(k, bytes, ttl, Lease.key(k));
    nearWrote(k);
  }

  /** Stores the future's value once it completes successfully. */
  public void putWhenComplete(byte[] key, CompletionStage<? extends V> stage) {
    if (stage != null) {
      stage.whenComplete((v, error) -> {
        if (error == null && !redwire.isClosed()) {
          put(key, v);
        }
      });
    }
  }

  /** Deletes the entry. */
  public void evict(byte[] key) {
    byte[] k = generation.resolve(key);
    if (k == null) {
      log.debug("Cache {}: evict skipped, the generation could not be read", name);
      return;
    }
    flights.forget(k); // nobody here joins a load that started before this evict
    store.writeFenced(k, null, 0, Lease.key(k));
    nearWrote(k);
  }

  /** Deletes the entry once the future completes successfully. */
  public void evictWhenComplete(byte[] key, CompletionStage<?> stage) {
    if (stage != null) {
      stage.whenComplete((v, error) -> {
        if (error == null && !redwire.isClosed()) {
          evict(key);
        }
      });
    }
  }

  /**
   * Clears the whole cache in O(1): the cache moves to a new generation, so every existing entry is
   * unreachable at once and expires with its TTL. One script sets the new generation and announces it,
   * so other instances switch within milliseconds. A clear that cannot reach Redis applies here at once
   * and is retried until it lands (see {@link Generation}).
   *
   * @throws IllegalStateException after {@code Redwire.close()}
   */
  public void evictAll() {
    redwire.ensureOpen();
    generation.clear();
    if (near != null) {
      near.clear();
    }
  }

  /** Clears the whole cache once the future completes successfully. */
  public void evictAllWhenComplete(CompletionStage<?> stage) {
    if (stage != null) {
      stage.whenComplete((v, error) -> {
        if (error == null && !redwire.isClosed()) {
          evictAll();
        }
      });
    }
  }

  // ------------------------------------------------------------------ plumbing

  /** Starts the delegate's computation; a synchronous loader has finished when it returns. */
  @FunctionalInterface
  private interface Source<V> {
    CompletionStage<V> start() throws Exception;
  }

  /** A load lease: {@code <entry key>:lease} holding a random token. */
  private record Lease(byte[] key, byte[] token) {
    static Lease of(byte[] entry) {
      String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
      return new Lease(key(entry), token.getBytes(StandardCharsets.US_ASCII));
    }

    /** The lease key of an entry key (same hash tag, so the same Cluster slot). */
    static byte[] key(byte[] entry) {
      return Keys.withSuffix(entry, LEASE_SUFFIX);
    }
  }

  // ------------------------------------------------------------------ for BulkCacheRegion

  Redwire redwire() {
    return redwire;
  }

  EntryFormat<V> format() {
    return format;
  }

  Generation generation() {
    return generation;
  }

  void decodeFailed(RuntimeException e) {
    metrics.cacheDecodeFailure(name, e);
    if (e instanceof FingerprintMismatchException) {
      log.debug("Cache {}: an entry of another type shape reads as a miss", name);
    } else if (warnings.tryAcquire()) {
      log.warn("Cache {}: an entry could not be decoded and is loaded again ({}); further failures are"
          + " counted in cacheDecodeFailure and logged at most every 10 s", name, e.toString());
    }
  }

  void encodeFailed(RuntimeException e) {
    metrics.cacheEncodeFailure(name, e);
    if (warnings.tryAcquire()) {
      log.warn("Cache {}: a value could not be encoded and was not stored; further failures are counted"
          + " in cacheEncodeFailure and logged at most every 10 s", name, e);
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
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
}
