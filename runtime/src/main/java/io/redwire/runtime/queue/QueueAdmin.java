package io.redwire.runtime.queue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.codec.CodecException;
import io.redwire.runtime.codec.Input;
import io.redwire.runtime.script.Script;
import io.redwire.runtime.stream.DeadLetterStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The typed admin API of one queue, from the generated {@code admin(redwire)}: counts, dead jobs with
 * their arguments decoded, retry (the dead job goes back to the queue with the same job id, to run
 * again with {@code maxAttempts} fresh attempts) and purge. No I/O until a method is called.
 *
 * @param <T> the interface whose jobs the queue holds
 */
public final class QueueAdmin<T> {

  /** KEYS: stream, delayed, dead. ARGV: group. {waiting, delayed, running, dead}. */
  static final Script COUNTS = new Script("queue.counts", """
      local len = redis.call('XLEN', KEYS[1])
      local running = 0
      local ok, p = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1])
      if ok and type(p) == 'table' then running = tonumber(p[1]) end
      return {len - running, redis.call('ZCARD', KEYS[2]), running, redis.call('XLEN', KEYS[3])}
      """);

  private final Redwire redwire;
  private final QueueSettings settings;
  private final Queues keys;
  private final JobCodec codec;
  private final DeadLetterStore dead;

  private QueueAdmin(Redwire redwire, QueueSettings settings, JobCodec codec) {
    this.redwire = redwire;
    this.settings = settings;
    this.keys = new Queues(redwire, settings.queue());
    this.codec = codec;
    this.dead = new DeadLetterStore(redwire, keys.stream, keys.dead, keys.handled, Queues.ID);
  }

  public static <T> QueueAdmin<T> of(Redwire redwire, QueueSettings settings, JobCodec codec) {
    redwire.ensureOpen();
    return new QueueAdmin<>(redwire, settings, codec);
  }

  /** The queue's name. */
  public String queue() {
    return settings.queue();
  }

  /** Waiting, delayed, running and dead jobs, in one round trip. */
  public QueueCounts counts() {
    redwire.ensureOpen();
    List<?> r = (List<?>) COUNTS.run(redwire.client(), 3, keys.stream, keys.delayed, keys.dead, Queues.GROUP);
    return new QueueCounts(n(r.get(0)), n(r.get(1)), n(r.get(2)), n(r.get(3)));
  }

  /** Up to {@code limit} dead jobs, oldest first, with their arguments decoded where possible. */
  public List<DeadJob> dead(int limit) {
    List<DeadJob> out = new ArrayList<>();
    for (DeadLetterStore.Entry e : dead.list(limit)) {
      Map<String, byte[]> f = e.fields();
      String job = text(f.get(Queues.JOB));
      List<Object> args = null;
      String error = text(f.get("dead-error"));
      byte[] data = f.get(Queues.DATA);
      if (job != null && data != null) {
        try {
          Input in = new Input(data);
          Job decoded = codec.decode(job, in);
          if (decoded != null) {
            in.expectEnd();
            args = decoded.args();
          }
        } catch (CodecException undecodable) {
          args = null;
        }
      }
      String deliveries = text(f.get("dead-deliveries"));
      String at = text(f.get("dead-at"));
      out.add(new DeadJob(e.id(), text(f.get(Queues.ID)), job, args, error,
          deliveries == null ? 0 : Integer.parseInt(deliveries),
          at == null ? null : Instant.ofEpochMilli(Long.parseLong(at))));
    }
    return out;
  }

  /**
   * Puts one dead job back in the queue (same job id). A unique job takes its unique key again, so an
   * enqueue with that key while it is pending is a duplicate; when another job holds the key meanwhile,
   * the dead job is not put back (it stays dead) and this returns false. False too when there is no dead
   * job with that id. Two round trips: the dead job's unique key is read first.
   */
  public boolean retry(String id) {
    DeadLetterStore.Entry e = dead.get(id);
    if (e == null) {
      return false;
    }
    return dead.replayTaking(id, e.fields().get(Queues.UNIQUE), Queues.ID, JobQueue.UNIQUE_TTL_MILLIS) == 1;
  }

  /**
   * Puts every dead job back in the queue, oldest first; returns how many. Dead unique jobs whose key
   * another job holds stay dead (see {@link #retry}).
   */
  public long retryAll() {
    long n = 0;
    String after = null;
    while (true) {
      List<DeadLetterStore.Entry> batch = after == null ? dead.list(100) : dead.listAfter(after, 100);
      if (batch.isEmpty()) {
        return n;
      }
      for (DeadLetterStore.Entry e : batch) {
        if (dead.replayTaking(e.id(), e.fields().get(Queues.UNIQUE), Queues.ID, JobQueue.UNIQUE_TTL_MILLIS) == 1) {
          n++;
        }
        after = e.id();
      }
    }
  }

  /** Deletes one dead job; false when there is none with that id. */
  public boolean purge(String id) {
    return dead.purge(id);
  }

  /** Deletes every dead job; returns how many there were. */
  public long purgeAll() {
    return dead.purgeAll();
  }

  private static long n(Object o) {
    return o instanceof Number num ? num.longValue() : Long.parseLong(text((byte[]) o));
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
