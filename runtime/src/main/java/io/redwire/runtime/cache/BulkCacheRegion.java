package io.redwire.runtime.cache;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The bulk methods of one cache ({@code Map<K, V> byIds(Set<K> ids)}): what generated code calls. It
 * works on the {@link CacheRegion} of the same name, so a bulk method reads and writes exactly the
 * entries a single-key method of that cache does (same keys, generation, entry format and metrics),
 * and {@code @CachePut}, {@code @CacheEvict} and clear-alls of the cache apply to both.
 *
 * <p>One call is one {@link Batch}: the generated code adds each id with its key, {@link Batch#read}
 * fetches every entry with one {@code MGET} (per node on a Cluster, see {@link BulkStore}), the
 * delegate is called once with the ids that missed, and {@link Batch#complete} serves what it returned
 * and hands the stores to {@code Redwire.workers()}, pipelined, without the caller waiting for them.
 *
 * <p>Semantics, in line with the single-key path:
 *
 * <ul>
 *   <li>The returned map is unmodifiable and iterates in the order the ids were given (first
 *       occurrence of a duplicate). It holds the ids that have a value; an id with no value (a cached
 *       null, or one the delegate left out of its map or mapped to null) is not in it.
 *   <li>Ids the delegate leaves out (or maps to null) are null results: cached as tombstones when the
 *       cache keeps nulls ({@code nulls = true}), else not cached. Ids it returns that were not asked
 *       for are ignored. A null map counts as an empty one.
 *   <li>A null id throws {@link NullPointerException} before any Redis call. Duplicate ids (in a
 *       {@code List}) are read and loaded once. An empty collection costs no round trip.
 *   <li>Entries that cannot be decoded are misses, counted in {@code cacheDecodeFailure}, and
 *       written again; entries XFetch picks to be recomputed are loaded with the misses (counted as
 *       early refreshes).
 *   <li>When the delegate throws nothing is stored and nothing is left behind: the next call goes
 *       to the delegate again at once.
 *   <li>When Redis fails, its breaker is open or the cache's generation is not known yet, every id is
 *       a miss and the delegate gets them all; nothing is written.
 *   <li>Misses are not coordinated with other loads of the same keys (no single flight, no lease):
 *       two bulk calls missing the same id both ask the delegate. Stores never replace an entry
 *       written since the {@code MGET} (see {@link BulkStore}).
 * </ul>
 *
 * <p>Per entry it counts what the single-key path counts: a hit, a miss or an early refresh; the
 * delegate call is one load.
 */
public final class BulkCacheRegion<K, V> {

  /** The collection the delegate receives its missing ids in: the kind the method declares. */
  public enum Kind {
    SET, LIST, COLLECTION
  }

  private final CacheRegion<V> region;
  private final Redwire redwire;
  private final RedwireMetrics metrics;
  private final EntryFormat<V> format;
  private final BulkStore store;
  private final boolean dedupe;

  private BulkCacheRegion(CacheRegion<V> region, Kind kind) {
    this.region = region;
    this.redwire = region.redwire();
    this.metrics = redwire.metrics();
    this.format = region.format();
    this.store = new BulkStore(redwire, region.name());
    this.dedupe = kind != Kind.SET;
  }

  /** The bulk side of {@code region}, for a method whose ids come in a collection of {@code kind}. Does no I/O. */
  public static <K, V> BulkCacheRegion<K, V> of(CacheRegion<V> region, Kind kind) {
    return new BulkCacheRegion<>(region, kind);
  }

  public String name() {
    return region.name();
  }

  /**
   * Starts one bulk call of {@code size} ids. Reads the cache's generation when it is not known yet
   * (as a single-key call would), but not for an empty call, which costs no round trip.
   *
   * @throws IllegalStateException after {@code Redwire.close()}
   */
  public Batch<K, V> start(int size) {
    redwire.ensureOpen();
    return new Batch<>(this, size, size == 0 ? null : region.prefix());
  }

  /** One bulk call: its ids and keys, what was read, what is missing. Confined to the calling thread. */
  public static final class Batch<K, V> {

    private final BulkCacheRegion<K, V> bulk;
    private final byte[] prefix;
    private final Map<K, Integer> seen;
    private Object[] ids;
    private byte[][] keys;
    private int n;
    /** The entry read for each id; where it is kept for the store, the bytes that were not served. */
    private byte[][] raws;
    private Object[] values;
    /** Positions of the ids to load, in order. */
    private int[] missing;
    private int missed;
    private long started;

    private Batch(BulkCacheRegion<K, V> bulk, int size, byte[] prefix) {
      this.bulk = bulk;
      this.prefix = prefix;
      this.seen = bulk.dedupe && size > 1 ? new HashMap<>(size * 2) : null;
      this.ids = new Object[size];
      this.keys = new byte[size][];
    }

    /** The key prefix of the cache's current generation, for the keys of this call. */
    public byte[] prefix() {
      return prefix;
    }

    /**
     * Adds {@code id} with its entry key; a duplicate is ignored.
     *
     * @throws NullPointerException when {@code id} is null
     */
    public void add(K id, byte[] key) {
      if (id == null) {
        throw new NullPointerException("cache " + bulk.name() + ": the ids of a bulk call must not contain null");
      }
      if (seen != null && seen.putIfAbsent(id, n) != null) {
        return;
      }
      if (n == ids.length) { // the collection grew while we iterated it, or lied about its size
        ids = Arrays.copyOf(ids, n * 2 + 1);
        keys = Arrays.copyOf(keys, n * 2 + 1);
      }
      ids[n] = id;
      keys[n] = key;
      n++;
    }

    /**
     * Reads every entry with one {@code MGET} (none for an empty call) and serves what it can; returns
     * whether every id was answered, so nothing is left to load.
     */
    public boolean read() {
      values = new Object[n];
      if (n == 0) {
        return true;
      }
      CacheRegion<V> region = bulk.region;
      byte[][] read = region.generation().known() ? bulk.store.mget(keys, n) : null;
      raws = new byte[n][];
      missing = new int[n];
      for (int i = 0; i < n; i++) {
        byte[] raw = read == null ? null : read[i];
        if (raw != null && region.servable(raw)) {
          try {
            values[i] = region.value(raw); // null for a cached null; counted as a hit
            continue;
          } catch (RuntimeException unreadable) {
            region.decodeFailed(unreadable);
            bulk.metrics.cacheMiss(region.name());
            raws[i] = raw;
            missing[missed++] = i;
            continue;
          }
        }
        if (raw != null && bulk.format.decode(raw, region::decodeFailed).isPresent()) {
          bulk.metrics.cacheEarlyRefresh(region.name()); // XFetch picked it: recomputed with the misses
        } else {
          bulk.metrics.cacheMiss(region.name()); // an undecodable entry was counted as well
        }
        raws[i] = raw;
        missing[missed++] = i;
      }
      return missed == 0;
    }

    /** The ids to load, for a method that takes a {@code Set}: in the order given. Starts the load's clock. */
    public Set<K> missingSet() {
      LinkedHashSet<K> set = new LinkedHashSet<>(Math.max(16, missed * 2));
      for (int m = 0; m < missed; m++) {
        set.add(id(missing[m]));
      }
      started = System.nanoTime();
      return Collections.unmodifiableSet(set);
    }

    /** The ids to load, for a method that takes a {@code List} or a {@code Collection}: in the order given, no duplicates. Starts the load's clock. */
    public List<K> missingList() {
      List<K> list = new MissingList<>(ids, missing, missed);
      started = System.nanoTime();
      return list;
    }

    /**
     * Serves the hits and what the delegate returned for the misses (decoded from the bytes that will
     * be stored, as a single-key miss is), and hands the stores to a worker. Returns the map of every
     * id that has a value, in the order the ids were given.
     */
    public Map<K, V> complete(Map<K, V> loaded) {
      long nanos = System.nanoTime() - started;
      CacheRegion<V> region = bulk.region;
      bulk.metrics.cacheLoad(region.name(), nanos);
      EntryFormat<V> format = bulk.format;
      Generation generation = region.generation();
      long computeMillis = TimeUnit.NANOSECONDS.toMillis(nanos);
      long now = System.currentTimeMillis();
      byte[][] wKeys = new byte[missed][];
      byte[][] wBytes = new byte[missed][];
      long[] wTtls = new long[missed];
      byte[][] wRead = new byte[missed][];
      int w = 0;
      for (int m = 0; m < missed; m++) {
        int i = missing[m];
        V value = loaded == null ? null : loaded.get(ids[i]);
        values[i] = value;
        boolean write = !generation.isPlaceholder(keys[i]);
        if (!format.keeps(value)) { // a null that is not cached: drop the entry that was read, if any
          if (write && raws[i] != null) {
            wKeys[w] = keys[i];
            wRead[w] = raws[i];
            w++;
          }
          continue;
        }
        long ttl = format.ttl(value, ThreadLocalRandom.current().nextDouble());
        byte[] bytes;
        try {
          bytes = format.encode(value, computeMillis, now + ttl);
        } catch (RuntimeException e) {
          region.encodeFailed(e); // served as the delegate returned it, not stored
          continue;
        }
        Result<V> decoded = format.decode(bytes, region::decodeFailed);
        if (!decoded.isPresent()) {
          continue; // bytes that cannot be read back are not worth storing
        }
        values[i] = decoded.value();
        if (write) {
          wKeys[w] = keys[i];
          wBytes[w] = bytes;
          wTtls[w] = ttl;
          wRead[w] = raws[i];
          w++;
        }
      }
      if (w > 0) {
        bulk.writeLater(wKeys, wBytes, wTtls, wRead, w);
      }
      return result();
    }

    /** Every id that has a value, in the order given; after {@link #read} returned true, or {@link #complete}. */
    public Map<K, V> result() {
      if (n == 0) {
        return Map.of();
      }
      LinkedHashMap<K, V> map = new LinkedHashMap<>(Math.max(16, (int) (n / 0.75f) + 1));
      for (int i = 0; i < n; i++) {
        if (values[i] != null) {
          map.put(id(i), value(i));
        }
      }
      return Collections.unmodifiableMap(map);
    }

    @SuppressWarnings("unchecked")
    private K id(int i) {
      return (K) ids[i];
    }

    @SuppressWarnings("unchecked")
    private V value(int i) {
      return (V) values[i];
    }
  }

  /** The stores of one call, on a worker (here when none takes it); the caller does not wait for them. */
  private void writeLater(byte[][] keys, byte[][] bytes, long[] ttls, byte[][] read, int n) {
    Runnable send = () -> store.write(keys, bytes, ttls, read, n);
    try {
      redwire.workers().execute(send);
    } catch (RuntimeException fullOrClosed) {
      if (!redwire.isClosed()) {
        send.run();
      }
    }
  }

  /** The missing ids as an unmodifiable list over the batch's arrays (no copy). */
  private static final class MissingList<K> extends AbstractList<K> {
    private final Object[] ids;
    private final int[] positions;
    private final int size;

    MissingList(Object[] ids, int[] positions, int size) {
      this.ids = ids;
      this.positions = positions;
      this.size = size;
    }

    @Override
    @SuppressWarnings("unchecked")
    public K get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      return (K) ids[positions[index]];
    }

    @Override
    public int size() {
      return size;
    }
  }
}
