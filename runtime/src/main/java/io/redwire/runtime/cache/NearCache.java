package io.redwire.runtime.cache;

import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.key.KeyWriter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The in-process L1 of a cache declared with {@code @Cached(near = N)}: decoded values keyed by their
 * full Redis key, so a hit costs no round trip and no decoding.
 *
 * <p><b>The hit.</b> {@link #get} looks the key up while it is still in the caller's {@link KeyWriter}
 * (through a per-thread probe object whose {@code equals} compares the writer's bytes): no key is
 * copied, nothing is allocated, and the only lock-free structure read is a {@link ConcurrentHashMap},
 * whose {@code get} takes no lock. An entry is served until the Redis entry's own expiry (read from its
 * bytes, and never later than this instance's TTL from the moment it was read), less a margin of four
 * times the time the value took to compute, so that near its expiry callers go back to Redis where the
 * probabilistic early refresh (XFetch) of the Redis tier decides as before.
 *
 * <p><b>Bound.</b> At most {@code capacity} entries. An insert that goes over evicts with a CLOCK
 * (second chance): a hit sets the entry's reference bit, the hand clears set bits and evicts entries
 * whose bit is clear. Eviction runs on the inserting thread under a lock that only inserts take.
 *
 * <p><b>Coherence.</b> Values enter only through {@link #put}, with the {@link #stamp} read before the
 * Redis GET that produced them. Every invalidation bumps the sequence of the key's stripe before it
 * removes the key, and a put re-checks its stamp after it inserts: an invalidation that arrives while
 * the value is on its way from Redis either makes the put undo itself or removes what it inserted, so
 * it never leaves the older value behind. {@link #disable} (the invalidation connection is down)
 * clears everything and bypasses the cache until {@link #enable} (clears again, then serves).
 *
 * <p>Values are shared by every caller: they must be immutable (the processor warns where a near
 * cache holds a visibly mutable type; decoded lists, sets and maps are unmodifiable).
 */
public final class NearCache<V> {

  private static final int STRIPES = 64;
  /** Served until this many compute times before the Redis expiry: then XFetch on the Redis tier decides. */
  private static final int XFETCH_MARGIN = 4;

  private static final ThreadLocal<Probe> PROBE = ThreadLocal.withInitial(Probe::new);

  private final String name;
  private final RedwireMetrics metrics;
  private final int capacity;
  private final long ttlMillis;
  private final ConcurrentHashMap<Object, Entry<V>> map;
  private final AtomicLongArray sequences = new AtomicLongArray(STRIPES);
  private final Object evicting = new Object();
  private Iterator<Entry<V>> hand; // guarded by evicting
  private volatile boolean enabled;

  NearCache(String name, RedwireMetrics metrics, int capacity, long ttlMillis) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("near cache capacity must be positive: " + capacity);
    }
    this.name = name;
    this.metrics = metrics;
    this.capacity = capacity;
    this.ttlMillis = ttlMillis;
    this.map = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
  }

  /** One cached value; the hit path returns it as it is, so a hit allocates nothing. */
  public static final class Entry<V> {
    final Key key;
    final V value;
    final long until;
    /** The CLOCK reference bit: written only when it was clear, so hot entries are read-only. */
    volatile boolean referenced;

    Entry(Key key, V value, long until) {
      this.key = key;
      this.value = value;
      this.until = until;
    }

    /** The decoded value (null for a cached null). Shared by every caller: never modify it. */
    public V value() {
      return value;
    }
  }

  /** A stored key: the entry key's bytes and their hash. */
  static final class Key {
    final byte[] bytes;
    final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = KeyWriter.hash(bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (o instanceof Key k) {
        return k.hash == hash && Arrays.equals(k.bytes, bytes);
      }
      return o instanceof Probe p && p.equals(this);
    }
  }

  /** The lookup key of one thread: the sealed key still in its writer. Never stored. */
  private static final class Probe {
    KeyWriter writer;
    int hash;

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && writer.keyEquals(k.bytes);
    }
  }

  /**
   * The live entry for the key in {@code writer}, or null. On a hit the writer is released (the key
   * is never copied) and the hit is counted; on a miss the writer is left sealed for {@code end()}.
   */
  Entry<V> get(KeyWriter writer) {
    if (!enabled) {
      return null;
    }
    writer.seal();
    Probe p = PROBE.get();
    p.writer = writer;
    p.hash = writer.keyHash();
    Entry<V> e = map.get(p);
    p.writer = null;
    if (e == null) {
      return null;
    }
    if (System.currentTimeMillis() >= e.until) {
      map.remove(e.key, e);
      return null;
    }
    if (!e.referenced) {
      e.referenced = true;
    }
    writer.release();
    metrics.nearHit(name);
    return e;
  }

  /** Whether lookups are served (false while the invalidation connection is down or not yet open). */
  boolean enabled() {
    return enabled;
  }

  /** The stamp to pass to {@link #put}: read it before the GET whose value will be put. */
  long stamp(byte[] key) {
    return sequences.get(KeyWriter.hash(key) & (STRIPES - 1));
  }

  /**
   * Keeps {@code value}, read from the Redis entry {@code raw} stored under {@code key}, unless the key
   * was invalidated since {@code stamp} was read, the cache is bypassed, or the entry is too close to
   * its expiry to be worth keeping.
   */
  void put(byte[] key, long stamp, V value, byte[] raw) {
    if (!enabled) {
      return;
    }
    long now = System.currentTimeMillis();
    long until = Math.min(expiresAt(raw) - XFETCH_MARGIN * (long) computeMillis(raw), now + ttlMillis);
    if (until <= now) {
      return;
    }
    Key k = new Key(key);
    Entry<V> e = new Entry<>(k, value, until);
    map.put(k, e);
    if (sequences.get(k.hash & (STRIPES - 1)) != stamp || !enabled) {
      map.remove(k, e); // an invalidation (or a clear) came in while the value was on its way
      return;
    }
    if (map.size() > capacity) {
      evict();
    }
  }

  /** Drops the entry of {@code key} (its Redis key changed); a put racing with it is undone. */
  void invalidate(byte[] key) {
    Key k = new Key(key);
    sequences.incrementAndGet(k.hash & (STRIPES - 1));
    if (map.remove(k) != null) {
      metrics.nearInvalidation(name);
    }
  }

  /** Drops every entry; puts racing with it are undone. */
  void clear() {
    for (int i = 0; i < STRIPES; i++) {
      sequences.incrementAndGet(i);
    }
    map.clear();
    metrics.nearClear(name);
  }

  /** Stops serving and drops everything, until {@link #enable}. */
  void disable() {
    enabled = false;
    clear();
  }

  /** Drops everything (what was kept may have missed invalidations), then serves again. */
  void enable() {
    clear();
    enabled = true;
  }

  /** How many entries are held (for tests and metrics). */
  public int size() {
    return map.size();
  }

  private void evict() {
    synchronized (evicting) {
      int passes = 0;
      while (map.size() > capacity) {
        if (hand == null || !hand.hasNext()) {
          if (++passes > 3) {
            return; // entries keep being referenced or removed under us: the next insert goes on
          }
          hand = map.values().iterator();
          continue;
        }
        Entry<V> e = hand.next();
        if (e.referenced) {
          e.referenced = false;
        } else {
          map.remove(e.key, e);
        }
      }
    }
  }

  private static long expiresAt(byte[] raw) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (raw[EntryFormat.EXPIRES_AT_OFFSET + i] & 0xFF);
    }
    return v;
  }

  private static int computeMillis(byte[] raw) {
    int o = EntryFormat.FLAGS_OFFSET + 1;
    return ((raw[o] & 0xFF) << 24) | ((raw[o + 1] & 0xFF) << 16) | ((raw[o + 2] & 0xFF) << 8) | (raw[o + 3] & 0xFF);
  }
}
