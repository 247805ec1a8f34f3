package io.redwire.runtime.queue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.codec.Output;
import io.redwire.runtime.codec.Values;
import io.redwire.runtime.events.EventIds;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of one queue: every enqueue is one script, so one round trip, whatever the job
 * (at once, delayed, scheduled, unique). The script reads the server's clock ({@code TIME}): a job due
 * now (or in the past) is added to the stream with {@code XADD}; a later one goes to the delayed set,
 * scored by its due time on the server's clock, and when it is now the earliest there, a message on the
 * queue's wake channel tells idle workers to look again. A unique job first sets its unique key
 * ({@code SET NX PX}); when the key is already held, nothing is added ({@link RedwireMetrics#jobDuplicate}).
 *
 * <p>Failures reach the caller: a job that could not be added throws {@link JobEnqueueException}
 * (counted, and the outage reported to the circuit breaker); jobs are never dropped silently.
 * Built once per generated client; no I/O until the first enqueue. Thread-safe.
 */
public final class JobQueue {

  private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

  /** How long a unique key outlives the job's due time, at most: a backstop should the job never end. */
  static final long UNIQUE_TTL_MILLIS = 86_400_000L;

  /**
   * The prefix generated code starts a unique key with: empty, as the queue's own unique-key prefix
   * (with the queue's hash tag) is put in front of it here.
   */
  public static final byte[] UNIQUE = new byte[0];

  /**
   * KEYS: stream, delayed set, [unique key]. ARGV: mode ('now', 'in', 'at'), millis, unique TTL (0: not
   * unique), job id, wake channel, then the entry's fields. Returns 1 (queued), 2 (delayed) or 0
   * (a duplicate of a pending unique job).
   */
  static final Script ENQUEUE = new Script("queue.enqueue", """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local due = now
      if ARGV[1] == 'in' then due = now + tonumber(ARGV[2]) elseif ARGV[1] == 'at' then due = tonumber(ARGV[2]) end
      local ttl = tonumber(ARGV[3])
      if ttl > 0 then
        local px = ttl
        if due > now then px = px + due - now end
        if not redis.call('SET', KEYS[3], ARGV[4], 'NX', 'PX', px) then return 0 end
      end
      if due <= now then
        redis.call('XADD', KEYS[1], '*', unpack(ARGV, 6))
        return 1
      end
      local parts = {}
      for i = 6, #ARGV do parts[#parts + 1] = string.len(ARGV[i]) .. ':' .. ARGV[i] end
      local member = table.concat(parts)
      redis.call('ZADD', KEYS[2], due, member)
      local head = redis.call('ZRANGE', KEYS[2], 0, 0)
      if head[1] == member then redis.call('PUBLISH', ARGV[5], tostring(due)) end
      return 2
      """);

  private static final byte[] NOW = utf8("now");
  private static final byte[] IN = utf8("in");
  private static final byte[] AT = utf8("at");
  private static final byte[] ZERO = utf8("0");
  private static final byte[] UNIQUE_TTL = utf8(Long.toString(UNIQUE_TTL_MILLIS));
  private static final byte[] F_ID = utf8(Queues.ID);
  private static final byte[] F_JOB = utf8(Queues.JOB);
  private static final byte[] F_DATA = utf8(Queues.DATA);
  private static final byte[] F_AT = utf8(Queues.AT);
  private static final byte[] F_UNIQUE = utf8(Queues.UNIQUE);

  private final Redwire redwire;
  private final QueueSettings settings;
  private final Queues keys;
  private final RedwireMetrics metrics;

  private JobQueue(Redwire redwire, QueueSettings settings) {
    this.redwire = redwire;
    this.settings = settings;
    this.keys = new Queues(redwire, settings.queue());
    this.metrics = redwire.metrics();
  }

  /** The producer of {@code settings.queue()} on {@code redwire}; no I/O. */
  public static JobQueue of(Redwire redwire, QueueSettings settings) {
    return new JobQueue(redwire, settings);
  }

  /** A buffer for a job's arguments, starting with the value header of {@code fingerprint}. */
  public static Output begin(long fingerprint) {
    Output out = new Output(64);
    Values.writeHeader(out, fingerprint);
    return out;
  }

  /**
   * Enqueues job {@code job} (a method name) with its encoded arguments, to run at once.
   *
   * @param uniqueTag the unique key's parts as a key writer wrote them, or null when not unique
   * @return false when a unique job with that key is pending (nothing was added)
   * @throws JobEnqueueException when the job could not be added
   */
  public boolean enqueue(String job, Output data, byte[] uniqueTag) {
    return send(job, data, NOW, ZERO, uniqueTag);
  }

  /** Like {@link #enqueue}, to run {@code delay} after now on the server's clock (null or not positive: at once). */
  public boolean enqueueIn(String job, Output data, Duration delay, byte[] uniqueTag) {
    if (delay == null || delay.isNegative() || delay.isZero()) {
      return send(job, data, NOW, ZERO, uniqueTag);
    }
    return send(job, data, IN, utf8(Long.toString(Math.max(1, delay.toMillis()))), uniqueTag);
  }

  /** Like {@link #enqueue}, to run at {@code at} on the server's clock (null or past: at once). */
  public boolean enqueueAt(String job, Output data, Instant at, byte[] uniqueTag) {
    if (at == null) {
      return send(job, data, NOW, ZERO, uniqueTag);
    }
    return send(job, data, AT, utf8(Long.toString(at.toEpochMilli())), uniqueTag);
  }

  private boolean send(String job, Output data, byte[] mode, byte[] millis, byte[] uniqueTag) {
    long now = System.currentTimeMillis();
    byte[] id = utf8(EventIds.next(now));
    byte[] unique = uniqueTag == null ? null : keys.unique(uniqueTag);
    List<byte[]> keyList = unique == null ? List.of(keys.stream, keys.delayed)
        : List.of(keys.stream, keys.delayed, unique);
    List<byte[]> args = new ArrayList<>(16);
    args.add(mode);
    args.add(millis);
    args.add(unique == null ? ZERO : UNIQUE_TTL);
    args.add(id);
    args.add(keys.wake);
    args.add(F_ID);
    args.add(id);
    args.add(F_JOB);
    args.add(utf8(job));
    args.add(F_DATA);
    args.add(data.toByteArray());
    args.add(F_AT);
    args.add(utf8(Long.toString(now)));
    if (unique != null) {
      args.add(F_UNIQUE);
      args.add(unique);
    }
    Object reply;
    try {
      reply = ENQUEUE.run(redwire.client(), keyList, args);
    } catch (RuntimeException e) {
      redwire.failed(settings.queue(), "enqueue", e);
      metrics.jobEnqueueFailed(settings.queue(), e);
      throw new JobEnqueueException("Job " + job + " could not be added to queue " + settings.queue() + ": "
          + e.getMessage(), e);
    }
    long r = reply instanceof Long l ? l : -1;
    if (r == 0) {
      metrics.jobDuplicate(settings.queue());
      log.debug("Job {} not added to queue {}: a job with its unique key is pending", job, settings.queue());
      return false;
    }
    metrics.jobEnqueued(settings.queue(), r == 2);
    return true;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
