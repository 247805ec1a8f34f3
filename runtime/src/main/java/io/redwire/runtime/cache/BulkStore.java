package io.redwire.runtime.cache;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.pubsub.ShardedSubscriber;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The Redis calls of bulk cached methods, behind the {@code Redwire}'s circuit breaker; like {@link
 * CacheStore} it never throws: a read that fails reads as all misses, a write that fails is skipped,
 * and every failure is reported through {@link Redwire#failed}.
 *
 * <p>Reads are one {@code MGET}. On a Redis Cluster the keys of one bulk spread over many slots, and
 * Jedis 8 does not send one {@code MGET} for them: {@code JedisCluster} refuses keys of different
 * slots, and {@code RedisClusterClient.mget} splits them by slot and sends the parts one after the
 * other (a round trip per slot). So on a Cluster the keys are grouped by slot here and the per-slot
 * {@code MGET}s go out in one cluster pipeline: one round trip per node, each reply put back at its
 * key's position. No {@code MGET} names more than {@link #MGET_CHUNK} keys: a larger bulk (or slot) is
 * read with several in one pipeline, so one bulk never blocks the server for long. A cluster pipeline
 * does not follow {@code MOVED} or {@code ASK} (a slot moved by resharding): such a command is sent
 * again on its own through the cluster client, which follows the redirect and learns the slot's new
 * owner, so only that slot's keys cost a round trip more, not the whole bulk a miss.
 *
 * <p>Writes are pipelined (one round trip per node), the replacing scripts with them, and never replace an entry written since the
 * read: an entry that was absent is written with {@code SET NX}; an entry that was there but could not
 * be served (another type shape, damaged bytes, or XFetch picked it to be recomputed) is replaced, or
 * deleted, only while it is still the entry that was read (one small script, compared by its header
 * and metadata), so a put or evict made meanwhile wins.
 */
final class BulkStore {

  private static final Logger log = LoggerFactory.getLogger(BulkStore.class);

  /**
   * Replaces (or deletes) an entry only while it still starts with {@code ARGV[1]}, the header and
   * metadata of the entry the bulk read; gone or rewritten since: leave it.
   */
  private static final Script REPLACE = new Script("redwire-cache-bulk-replace", """
      local entry = redis.call('GET', KEYS[1])
      if not entry or string.sub(entry, 1, #ARGV[1]) ~= ARGV[1] then
        return 0
      end
      if ARGV[2] == '1' then
        redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
      else
        redis.call('DEL', KEYS[1])
      end
      return 1
      """);

  /**
   * The most keys one {@code MGET} names: a larger bulk is read with several, pipelined, so no single
   * command keeps the server from answering other clients for long.
   */
  static final int MGET_CHUNK = 1000;

  private static final byte[] ONE = {'1'};
  private static final byte[] ZERO = {'0'};
  private static final byte[] EMPTY = {};

  private final Redwire redwire;
  private final UnifiedJedis jedis;
  private final String name;
  private final boolean cluster;

  BulkStore(Redwire redwire, String name) {
    this.redwire = redwire;
    this.jedis = redwire.client();
    this.name = name;
    this.cluster = ShardedSubscriber.isCluster(jedis);
  }

  private boolean available() {
    return !redwire.isClosed() && redwire.breaker().allow();
  }

  /**
   * The entries of the first {@code n} {@code keys}, in order (null where absent); null when Redis
   * failed or is skipped (then every key is a miss).
   */
  byte[][] mget(byte[][] keys, int n) {
    if (!available()) {
      return null;
    }
    try {
      byte[][] raws = cluster ? mgetBySlot(keys, n) : mgetOnce(keys, n);
      redwire.breaker().success();
      return raws;
    } catch (RuntimeException e) {
      failed("mget", e);
      return null;
    }
  }

  private byte[][] mgetOnce(byte[][] keys, int n) {
    if (n <= MGET_CHUNK) {
      List<byte[]> replies = jedis.mget(n == keys.length ? keys : Arrays.copyOf(keys, n));
      return replies.toArray(new byte[n][]);
    }
    // a large bulk: MGETs of at most MGET_CHUNK keys, all in one pipeline (one round trip), so the
    // server answers other clients between them instead of being blocked by one huge MGET
    List<Response<List<byte[]>>> replies = new ArrayList<>(n / MGET_CHUNK + 1);
    try (AbstractPipeline pipeline = jedis.pipelined()) {
      for (int from = 0; from < n; from += MGET_CHUNK) {
        replies.add(pipeline.mget(Arrays.copyOfRange(keys, from, Math.min(n, from + MGET_CHUNK))));
      }
      pipeline.sync();
    }
    byte[][] raws = new byte[n][];
    int i = 0;
    for (Response<List<byte[]>> reply : replies) {
      for (byte[] raw : reply.get()) {
        raws[i++] = raw;
      }
    }
    return raws;
  }

  private byte[][] mgetBySlot(byte[][] keys, int n) {
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      bySlot.computeIfAbsent(JedisClusterCRC16.getSlot(keys[i]), s -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> groups = new ArrayList<>(bySlot.size());
    for (List<Integer> slot : bySlot.values()) { // a slot with many keys: MGETs of at most MGET_CHUNK
      for (int from = 0; from < slot.size(); from += MGET_CHUNK) {
        groups.add(slot.subList(from, Math.min(slot.size(), from + MGET_CHUNK)));
      }
    }
    List<Response<List<byte[]>>> replies = new ArrayList<>(groups.size());
    List<byte[][]> parts = new ArrayList<>(groups.size());
    try (AbstractPipeline pipeline = jedis.pipelined()) {
      for (List<Integer> group : groups) {
        byte[][] part = new byte[group.size()][];
        for (int j = 0; j < part.length; j++) {
          part[j] = keys[group.get(j)];
        }
        parts.add(part);
        replies.add(pipeline.mget(part));
      }
      pipeline.sync();
    }
    byte[][] raws = new byte[n][];
    for (int g = 0; g < groups.size(); g++) {
      List<byte[]> values;
      try {
        values = replies.get(g).get();
      } catch (JedisRedirectionException moved) { // the slot moved (resharding) and the pipeline does not follow
        values = jedis.mget(parts.get(g)); // this does, and teaches the client the slot's new owner
      }
      List<Integer> group = groups.get(g);
      for (int j = 0; j < group.size(); j++) {
        raws[group.get(j)] = values.get(j);
      }
    }
    return raws;
  }

  /**
   * Writes the first {@code n} entries: {@code bytes[i]} (null: delete) with {@code ttls[i]}; where
   * {@code read[i]} is null the entry was absent and is written only if it still is, else it is
   * replaced only while it still is the entry that was read. Runs on a worker; nobody waits for it.
   */
  void write(byte[][] keys, byte[][] bytes, long[] ttls, byte[][] read, int n) {
    if (!available()) {
      return;
    }
    List<Response<String>> sets = new ArrayList<>(n);
    List<Integer> setAt = new ArrayList<>(n);
    List<Response<Object>> replaces = new ArrayList<>();
    List<byte[][]> replaceArgs = new ArrayList<>();
    try {
      try (AbstractPipeline pipeline = jedis.pipelined()) {
        for (int i = 0; i < n; i++) {
          if (read[i] == null) {
            if (bytes[i] != null) {
              sets.add(pipeline.set(keys[i], bytes[i], SetParams.setParams().px(ttls[i]).nx()));
              setAt.add(i);
            }
          } else { // an entry of another shape, damaged, or refreshed early: replaced only while it is still there
            boolean keep = bytes[i] != null;
            byte[] header = Arrays.copyOf(read[i], Math.min(read[i].length, EntryFormat.VALUE_OFFSET));
            byte[][] args = {keys[i], header, keep ? ONE : ZERO, keep ? bytes[i] : EMPTY,
                Long.toString(ttls[i]).getBytes(StandardCharsets.US_ASCII)};
            replaces.add(REPLACE.queue(pipeline, 1, args));
            replaceArgs.add(args);
          }
        }
        pipeline.sync();
      }
      replaceMissing(replaces, replaceArgs);
      redwire.breaker().success();
    } catch (RuntimeException e) {
      failed("store", e);
      return;
    }
    for (int s = 0; s < sets.size(); s++) {
      try {
        try {
          sets.get(s).get(); // "OK", or null when the entry was written meanwhile
        } catch (JedisRedirectionException moved) { // resharding: sent again where the slot is now
          int i = setAt.get(s);
          jedis.set(keys[i], bytes[i], SetParams.setParams().px(ttls[i]).nx());
        }
      } catch (RuntimeException commandError) { // OOM and the like: report the first, like a failed store
        failed("store", commandError);
        return;
      }
    }
  }

  /**
   * Runs again the replacing scripts a server answered {@code NOSCRIPT} to (a fresh server, or one
   * that lost its scripts): the first with its source, which caches it there, the rest pipelined again
   * with {@code EVALSHA}; on a Cluster each node may need its own round of that.
   */
  private void replaceMissing(List<Response<Object>> replies, List<byte[][]> args) {
    while (true) {
      List<byte[][]> missing = new ArrayList<>();
      for (int r = 0; r < replies.size(); r++) {
        try {
          replies.get(r).get();
        } catch (JedisRedirectionException moved) { // resharding: run again where the slot is now
          REPLACE.run(jedis, 1, args.get(r));
        } catch (RuntimeException e) {
          if (!Script.missing(e)) {
            throw e;
          }
          missing.add(args.get(r));
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      REPLACE.run(jedis, 1, missing.get(0)); // EVALSHA, then EVAL: the server has the script from now on
      if (missing.size() == 1) {
        return;
      }
      replies = new ArrayList<>(missing.size() - 1);
      args = missing.subList(1, missing.size());
      try (AbstractPipeline pipeline = jedis.pipelined()) {
        for (byte[][] a : args) {
          replies.add(REPLACE.queue(pipeline, 1, a));
        }
        pipeline.sync();
      }
    }
  }

  private void failed(String operation, RuntimeException e) {
    if (redwire.isClosed()) {
      return;
    }
    redwire.failed(name, operation, e);
    log.debug("Cache {}: Redis bulk {} failed; answering without the cache", name, operation, e);
  }
}
