package io.redwire.runtime.stream;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntryBinary;

/**
 * A consumer of one Redis stream in one consumer group, with the delivery guarantees that durable
 * events and job queues share: at least once, acknowledged only after the handler returned, retried
 * with exponential backoff and jitter, reclaimed from stopped consumers, dead-lettered after
 * {@code maxDeliveries}, and never run twice for an id the group already handled.
 *
 * <p>Threads: one reader ({@code redwire-stream-<name>}) that reads new entries and reclaims entries
 * that stayed unacknowledged for {@code reclaimIdleMillis} with any consumer ({@code XAUTOCLAIM}); a
 * pool of {@code concurrency} handler threads that run the user's handler; one acker
 * ({@code redwire-stream-<name>-acks}) that sends acknowledgements in batches; and one timer thread that
 * schedules retries. The entries this consumer holds are renewed on {@link Redwire#renewals()}. None of
 * these but the handler threads runs user code. An entry a live consumer holds (read ahead, running,
 * waiting for a retry or for its ack), however long it waits, is therefore never reclaimed: only a
 * stopped consumer's entries are. An entry read ahead that waited locally for a handler thread for the
 * whole reclaim time (the handlers are slow or hung) is given back to the group, its delivery not
 * counted, for another consumer to take over.
 *
 * <p>Reading ahead: the reader keeps up to {@code concurrency} plus a read-ahead of entries read for the
 * handler threads, the read-ahead being what the handlers get through in about 50 ms by their recent
 * times (none for slow handlers, at most {@value #MAX_READ_AHEAD}), and reads the next batch when half
 * of it is free, so handlers rarely wait for a read. While reads come back full, one script
 * ({@link #READ}) reads a batch ({@code XREADGROUP} without {@code BLOCK}) and admits it; once the stream
 * is drained the reader waits for the next entry with a plain {@code XREAD BLOCK} after the stream's last
 * id and the same script pipelined behind it on the connection, so that the server reads and admits the
 * new entries as soon as the wait ends: one round trip from an idle consumer's wake-up to its admitted
 * entries. That wait stays below the client's socket timeout (which Jedis does not lift in a pipeline);
 * with a client given to Redwire, whose timeout is not known here, the reader blocks in
 * {@code XREADGROUP ... BLOCK 500} and admits what arrives with the script, a second round trip.
 *
 * <p>For each entry: if its id (field {@code idField}) is in the group's handled record, it is
 * acknowledged without running the handler. Else the handler runs; when it returns, its ack joins the
 * next batch: one script ({@link #ACKS}) records every id of the batch as handled and acknowledges the
 * entries (retried until Redis answers, so an outage between the handler and the ack does not run it
 * again); the handled record is trimmed about once a second. The acker sends a batch as soon as there
 * is an ack to send, so an ack leaves right after its handler returned, and the acks of entries that
 * finish while a batch is on the wire go in the next one. With {@link StreamSettings#ackBeforeNext}
 * (job queues) the handler thread sends the batch itself and takes its next entry only once its ack
 * landed. When the handler throws {@link Poison} (undecodable), or throws on
 * delivery {@code maxDeliveries}, one script adds the entry with the error to the dead-letter stream and
 * acknowledges it. Otherwise the entry stays pending and is retried after the backoff: the retry
 * checks that the entry is still pending with this consumer ({@code XPENDING}; an entry acknowledged or
 * taken over meanwhile is not run here) and claims it again ({@code XCLAIM}, which counts the delivery
 * in Redis). A reclaimed entry that was already delivered more than
 * {@code maxDeliveries} times (its consumers stopped while handling it) goes to the dead letters.
 *
 * <p>Failures: a lost connection is retried with backoff (50 ms to 2 s) and logged once per outage; a
 * missing group or stream ({@code NOGROUP}: the stream was deleted, or a failover to a replica that
 * lags) is created again ({@code XGROUP CREATE ... MKSTREAM}) and logged. Neither ever stops the
 * consumer.
 *
 * <p>{@link #close()} stops reading, lets running handlers finish for {@code closeWaitMillis} (then
 * interrupts them), sends the acks of those that finished, gives back the entries it read but never
 * started, and hands back those it did not finish, for the other consumers of the group to reclaim at
 * their next scan.
 */
public final class StreamConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);
  private static final int BLOCK_MILLIS = 500;
  /** The shortest pipelined wait worth making (see {@link #waitMillis}). */
  private static final int MIN_WAIT_MILLIS = 50;
  private static final long MAX_BACKOFF_MS = 2000;
  private static final int ERROR_TEXT_LIMIT = 2000;
  /** Most ids the handled record keeps, whatever the window. */
  private static final long HANDLED_CAP = 1_000_000;
  private static final byte[] START = "0-0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ONE = {'1'};
  private static final byte[] ZERO = {'0'};
  private static final byte[] RECORD = {'a'};
  private static final byte[] PLAIN = {'p'};
  /** How often the group's lag is sampled. */
  static final long LAG_SAMPLE_MILLIS = 5_000;
  /** Most entries read ahead (read, admitted and waiting locally for a handler thread) beyond concurrency. */
  static final int MAX_READ_AHEAD = 128;
  /**
   * How long, by the handlers' recent run times, an entry read ahead should wait locally at most: read-ahead
   * shrinks to nothing for slow handlers (long jobs stay in Redis for other workers) and grows to
   * {@link #MAX_READ_AHEAD} for fast ones.
   */
  static final long READ_AHEAD_WAIT_NANOS = 50_000_000L;
  /** The longest a handler thread waits for other threads' acks to join its batch (see {@link #linger}). */
  static final long MAX_LINGER_NANOS = 200_000L;
  /** What a linger allows beyond the handlers' run times, for the other threads to be scheduled. */
  static final long LINGER_SLACK_NANOS = 100_000L;
  /** Sends without lingering after a linger that waited its whole bound. */
  static final int LINGER_PAUSE = 16;
  /** The number of recent wakes the herd share is averaged over (see {@link #countWake}). */
  static final int HERD_WINDOW = 16;
  /** The share of wakes that found nothing above which idle reads block in {@code XREADGROUP}. */
  static final int HERD_SHARE_PERCENT = 60;
  /** The active consumers of a group from which on a herd is worth two round trips per wake. */
  static final int HERD_CONSUMERS = 3;
  /** A consumer that read within this time counts as active (see {@link #activeConsumers}). */
  static final long HERD_ACTIVE_MILLIS = 5_000;
  /** How long idle reads block in {@code XREADGROUP} once a herd was seen. */
  static final long HERD_PAUSE_NANOS = 30_000_000_000L;
  /** Most acknowledgements in one script call. */
  static final int MAX_ACK_BATCH = 256;
  /** Acknowledgements waiting to be sent beyond which the reader stops reading. */
  static final int MAX_ACK_BACKLOG = 4 * MAX_ACK_BATCH;
  /** How often the handled record is trimmed (to its window and cap), by the ack batch that comes next. */
  static final long TRIM_EVERY_MILLIS = 1_000;

  /** Handles one entry; a normal return acknowledges it. */
  public interface Handler {
    void handle(StreamEntry entry) throws Exception;
  }

  /** What the consumer does, for metrics; every method has a no-op default and must be quick. */
  public interface Events {
    default void delivered(StreamEntry entry) {}

    default void handled(long nanos, boolean success) {}

    default void acked() {}

    /** An entry whose id the group already handled was acknowledged without running the handler. */
    default void skipped() {}

    /**
     * An entry whose id another entry still pending in the group carries (a copy) was acknowledged
     * without running the handler.
     */
    default void duplicate() {}

    default void retried(int nextDelivery) {}

    default void deadLettered(String reason) {}

    default void reclaimed(int count) {}

    /**
     * At close, {@code count} entries whose handlers did not finish within the close bound were handed
     * back: made idle for the whole reclaim time, so another consumer takes them over at its next scan.
     */
    default void handedBack(int count) {}

    /**
     * Most of this consumer's idle wakes found nothing (other consumers of the group took the entries):
     * for a while its idle reads block in {@code XREADGROUP}, which wakes one consumer per entry.
     */
    default void herd() {}

    /** The consumer recovered by itself (reconnected, or created its group again). */
    default void recovered(String what) {}

    /**
     * The group's lag: entries in the stream not yet delivered to the group ({@code XINFO GROUPS}),
     * sampled every {@value StreamConsumer#LAG_SAMPLE_MILLIS} ms on Redis 7.0+ and Valkey (older servers
     * do not report it, and neither does a server that cannot count it after deletions).
     */
    default void lag(long entries) {}
  }

  /** The field a replayed dead letter carries: the one group it is replayed for. */
  public static final String REPLAY_FIELD = "replay-group";

  /**
   * Reads and admits in one round trip. First decides, for entries already read (ARGV from 7 on: entry
   * id, id, replay group triples; a blocking read or a reclaim found them), what to do with each; then,
   * when ARGV[4] (a count) is positive, reads up to that many new entries ({@code XREADGROUP} without
   * {@code BLOCK}) and decides the same for them. Verdicts: 1 when the group already handled the id, or
   * when the entry is a dead letter replayed for another group (acknowledge, do not run); 2 when another
   * entry carrying the same id is still pending in the group (a copy: a publisher that retried an add
   * whose reply it lost, or a copy added by hand; acknowledge it, the pending one runs, retries or
   * dead-letters); else 0 (run it), after recording this entry as the id's owner. When the read found
   * fewer entries than it asked for (everything was delivered), it also answers the id of the stream's
   * last entry ('0-0' when it is empty): a plain {@code XREAD BLOCK} after that id wakes on the next
   * entry added, and on nothing already there.
   * KEYS: stream, handled, owners. ARGV: group, owners' time to live, consumer, count, id field, replay
   * field. Returns {verdicts of the given entries, the entries read, their verdicts, that last id or ''}.
   */
  static final Script READ = new Script("stream.read", """
      local group = ARGV[1]
      local entries, ids, replays = {}, {}, {}
      for i = 7, #ARGV, 3 do
        entries[#entries + 1], ids[#ids + 1], replays[#replays + 1] = ARGV[i], ARGV[i + 1], ARGV[i + 2]
      end
      local given = #entries
      local read, last = {}, ''
      if tonumber(ARGV[4]) > 0 then
        local r = redis.call('XREADGROUP', 'GROUP', group, ARGV[3], 'COUNT', ARGV[4], 'STREAMS', KEYS[1], '>')
        if r then
          read = r[1][2]
          for _, e in ipairs(read) do
            local id, replay = '', ''
            local f = e[2]
            for j = 1, #f, 2 do
              if f[j] == ARGV[5] then id = f[j + 1] elseif f[j] == ARGV[6] then replay = f[j + 1] end
            end
            entries[#entries + 1], ids[#ids + 1], replays[#replays + 1] = e[1], id, replay
          end
        end
        if #read < tonumber(ARGV[4]) then
          local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
          last = top[1] and top[1][1] or '0-0'
        end
      end
      -- one ZMSCORE and one HMGET for the whole batch (in chunks: unpack has a limit), not three
      -- commands per entry
      local function lookup(cmd, key, list)
        local out = {}
        for i = 1, #list, 1000 do
          local r = redis.call(cmd, key, unpack(list, i, math.min(i + 999, #list)))
          for j = 1, #r do out[#out + 1] = r[j] end
        end
        return out
      end
      local verdicts, look, lookIds = {}, {}, {}
      for k = 1, #entries do
        if replays[k] ~= '' and replays[k] ~= group then
          verdicts[k] = 1
        elseif ids[k] == '' then
          verdicts[k] = 0
        else
          look[#look + 1] = k
          lookIds[#lookIds + 1] = ids[k]
        end
      end
      local owning = {}
      if #look > 0 then
        local handled = lookup('ZMSCORE', KEYS[2], lookIds)
        local owners = lookup('HMGET', KEYS[3], lookIds)
        local mine = {}
        for n, k in ipairs(look) do
          local id, entry = ids[k], entries[k]
          local owner = mine[id] or owners[n]
          if handled[n] then
            verdicts[k] = 1
          elseif owner and owner ~= entry
              and (mine[id] or #redis.call('XPENDING', KEYS[1], group, owner, owner, 1) > 0) then
            verdicts[k] = 2
          else
            verdicts[k] = 0
            mine[id] = entry
            owning[#owning + 1] = id
            owning[#owning + 1] = entry
          end
        end
      end
      for i = 1, #owning, 1000 do
        redis.call('HSET', KEYS[3], unpack(owning, i, math.min(i + 999, #owning)))
      end
      if #owning > 0 then
        redis.call('PEXPIRE', KEYS[3], ARGV[2])
      end
      local first, rest = {}, {}
      for k = 1, #entries do
        if k <= given then first[k] = verdicts[k] else rest[k - given] = verdicts[k] end
      end
      return {first, read, rest, last}
      """);

  /**
   * Acknowledges a batch of entries in one round trip. Per entry (ARGV from 7 on: entry id, id, mode,
   * release key index): mode 'a' records the id as handled, drops this entry's ownership of it and,
   * with an index above 0, releases KEYS[3 + index] if it still holds the id; mode 'p' (a copy, or an
   * id already handled) only acknowledges. Then one {@code XACK} (and with ARGV[5] = '1' one
   * {@code XDEL}) for the whole batch; with ARGV[6] = '1' the handled record is trimmed to the window
   * and the cap (the consumer asks for that about once a second, not per batch).
   * KEYS: stream, handled, owners, release keys... ARGV: group, now, window, cap, delete, trim.
   */
  static final Script ACKS = new Script("stream.acks", """
      local now = tonumber(ARGV[2])
      local ids, recorded, recordedIds, recordedEntries, releases = {}, {}, {}, {}, {}
      for i = 7, #ARGV, 4 do
        local entry, id, rel = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 3])
        if ARGV[i + 2] == 'a' then
          recorded[#recorded + 1] = now
          recorded[#recorded + 1] = id
          recordedIds[#recordedIds + 1] = id
          recordedEntries[#recordedEntries + 1] = entry
          if rel > 0 then
            releases[#releases + 1] = rel
            releases[#releases + 1] = id
          end
        end
        ids[#ids + 1] = entry
      end
      if #recordedIds > 0 then
        -- one ZADD, one HMGET and one HDEL for the batch (in chunks: unpack has a limit)
        for i = 1, #recorded, 1000 do
          redis.call('ZADD', KEYS[2], unpack(recorded, i, math.min(i + 999, #recorded)))
        end
        local drop = {}
        for i = 1, #recordedIds, 1000 do
          local j = math.min(i + 999, #recordedIds)
          local owners = redis.call('HMGET', KEYS[3], unpack(recordedIds, i, j))
          for n = 1, #owners do
            if owners[n] == recordedEntries[i + n - 1] then drop[#drop + 1] = recordedIds[i + n - 1] end
          end
        end
        if #drop > 0 then redis.call('HDEL', KEYS[3], unpack(drop)) end
        -- after the record: a failure above (a handled key of another type) leaves the unique keys held
        for i = 1, #releases, 2 do
          local held = redis.pcall('GET', KEYS[3 + releases[i]])
          if held == releases[i + 1] then redis.call('DEL', KEYS[3 + releases[i]]) end
        end
      end
      local n = redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
      if ARGV[5] == '1' then redis.call('XDEL', KEYS[1], unpack(ids)) end
      if #recordedIds > 0 then
        if ARGV[6] == '1' then
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[3]))
          redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1 - tonumber(ARGV[4]))
        end
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
      end
      return n
      """);

  /**
   * Adds the entry (fields from ARGV[8] on) to the dead letters, drops its ownership of its id
   * (ARGV[5]) and acknowledges it; with ARGV[4] = '1' also deletes it from the stream, and with a
   * KEYS[5] releases that key if it holds the id. The id also goes into the handled record (at ARGV[6],
   * the record expiring after ARGV[7] ms): a dead letter is final for its group until it is replayed
   * (the replay takes it out again), so a copy of the entry, or the same entry read again after the
   * group was created anew ({@code NOGROUP}), is acknowledged without running.
   * KEYS: stream, dead letters, owners, handled[, release].
   */
  static final Script DEAD = new Script("stream.dead", """
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 8))
      if ARGV[5] ~= '' then
        if redis.call('HGET', KEYS[3], ARGV[5]) == ARGV[2] then
          redis.call('HDEL', KEYS[3], ARGV[5])
        end
        redis.call('ZADD', KEYS[4], ARGV[6], ARGV[5])
        redis.call('PEXPIRE', KEYS[4], ARGV[7])
      end
      local n = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
      if ARGV[4] == '1' then redis.call('XDEL', KEYS[1], ARGV[2]) end
      -- pcall: a key of another type there must not fail the script after the XADD (its retry would
      -- add the dead letter again), as in stream.acks
      if KEYS[5] and redis.pcall('GET', KEYS[5]) == ARGV[5] then redis.call('DEL', KEYS[5]) end
      return n
      """);

  private final Redwire redwire;
  private final StreamSettings s;
  private final byte[] consumer;
  private final String consumerName;
  private final Handler handler;
  private final Events events;
  private final ThreadPoolExecutor handlers;
  private final ScheduledExecutorService timers;
  private final Thread reader;
  /** Sends the acknowledgements of finished entries in batches ({@link #ACKS}); never runs user code. */
  private final Thread acker;
  /**
   * Entries read for the handler threads and not yet finished by one (waiting locally or running), plus
   * the slots a read in progress reserved. The reader reads only while it is below the capacity.
   */
  private final AtomicInteger outstanding = new AtomicInteger();
  /** The reader waits on it for room (handler slots, or an ack backlog to drain). */
  private final Object room = new Object();
  private volatile boolean readerWaiting;
  /** The handlers' recent run time, an exponential moving average (racy updates are fine). */
  private volatile long handlerNanos = READ_AHEAD_WAIT_NANOS;
  /** The handler's own recent run time (without waiting for acks), an exponential moving average. */
  private volatile long runNanos = READ_AHEAD_WAIT_NANOS;
  /** The handler thread that lingers before sending an ack batch (see {@link #linger}), or null. */
  private final AtomicReference<Linger> lingerer = new AtomicReference<>();
  /** Sends left before the sender lingers again, after a linger that waited its whole bound. */
  private int lingerPause; // guarded by sending (one sender at a time; a taken-over linger's thread no
  // longer writes it once its turn was taken: the thread that took it ends that turn)
  /** Acknowledgements not yet sent, for the acker: handled entries, and entries skipped without running. */
  private final LinkedBlockingQueue<Ack> acks = new LinkedBlockingQueue<>();
  /** With {@link StreamSettings#ackBeforeNext}: handled entries whose handler threads send their acks. */
  private final LinkedBlockingQueue<Ack> handlerAcks = new LinkedBlockingQueue<>();
  /** Whether a handler thread is sending an ack batch (lingering, or waiting for its reply). */
  private final AtomicBoolean sending = new AtomicBoolean();
  /** Set by close once the handlers stopped: the acker sends what is left and ends. */
  private volatile boolean ackerStop;
  /** Set by the acker when it ended: a handler that finishes later sends its own ack. */
  private volatile boolean ackerDone;
  private volatile long lastTrim;
  /** Entries handed to the handler pool but not started yet (read ahead), by id. */
  private final Map<String, StreamEntry> waiting = new ConcurrentHashMap<>();
  /** When each entry in {@link #waiting} was handed to the pool ({@link System#nanoTime()}). */
  private final Map<String, Long> waitingSince = new ConcurrentHashMap<>();
  /** Entries whose handler is running. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /** Whether the last read found fewer entries than it asked for: the next one blocks for new entries. */
  private boolean drained = true; // reader thread only
  /**
   * The id of the stream's last entry when the last read drained it (see {@link #READ}); null when not
   * known, and the next read does not block.
   */
  private byte[] lastSeen; // reader thread only
  /**
   * Whether a read failed without its reply (a timeout, a dropped connection): the server may have run
   * {@link #READ} all the same (the pipelined wait's script runs as soon as the wait ends, also when the
   * client has given up on it), leaving entries pending with this consumer that it never saw. They are
   * adopted by {@link #adoptOrphans} before the next read.
   */
  private boolean orphansPossible; // reader thread only
  /** The share of pipelined waits that woke and found nothing, in percent x {@link #HERD_WINDOW}. */
  private int lostWakes; // reader thread only
  /** Until when ({@link System#nanoTime()}) idle reads block in {@code XREADGROUP}; 0: not since start. */
  private long herdUntil; // reader thread only
  /**
   * How long the pipelined wait ({@link #awaitAndAdmit}) blocks: below the client's socket timeout,
   * which Jedis does not lift for a command in a pipeline; 0 when that timeout is not known (a client
   * given to Redwire) or too short, and the idle read is a blocking {@code XREADGROUP}, then {@link #READ}.
   * Set to 0 by the reader when a pipelined wait timed out before it could have ended: the client's real
   * socket timeout is shorter than the one declared with {@code Redwire.builder().socketTimeout}, and every
   * idle wait would fail (and open the circuit breaker for every pattern).
   */
  private int waitMillis; // reader thread only after construction
  /** The lease renewal of held entries, on {@link Redwire#renewals()}. */
  private volatile java.util.concurrent.ScheduledFuture<?> renewal;
  /**
   * Whether the heartbeat renews held entries: until close hands entries back (not merely until it
   * starts), so entries whose handlers still run within the close wait are not taken over meanwhile.
   * Cleared under {@link #renewLock}, so no renewal is on the wire when the hand-back makes entries idle.
   */
  private volatile boolean renewing = true;
  private final Object renewLock = new Object();
  /**
   * Entries this consumer holds: waiting locally, running, waiting for a retry, or handled and waiting
   * for their ack to land (renewed by the heartbeat, so never reclaimed by another consumer meanwhile).
   */
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  /** Entries read but never started because the consumer was closing, with their delivery number. */
  private final Map<String, Integer> unstarted = new ConcurrentHashMap<>();
  private final io.redwire.runtime.Throttle refusals = new io.redwire.runtime.Throttle(java.time.Duration.ofSeconds(10));
  private volatile boolean running = true;
  /**
   * Set by close just before it interrupts the handlers that overran the close wait: a failure from then
   * on is the interrupt's, not the entry's, so the entry is neither retried nor dead-lettered here but
   * handed back (its delivery counted) for another consumer to run.
   */
  private volatile boolean interrupting;
  private final Object closeLock = new Object();
  private boolean closed; // guarded by closeLock

  private StreamConsumer(Redwire redwire, StreamSettings settings, String consumerName, Handler handler,
      Events events) {
    this.redwire = redwire;
    this.s = settings;
    this.consumerName = consumerName;
    this.consumer = consumerName.getBytes(StandardCharsets.UTF_8);
    this.handler = handler;
    this.events = events;
    AtomicInteger n = new AtomicInteger();
    this.handlers = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0,
        TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> daemon(r,
            "redwire-stream-" + settings.name() + "-" + n.incrementAndGet()));
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
        r -> daemon(r, "redwire-stream-" + settings.name() + "-retries"));
    t.setRemoveOnCancelPolicy(true);
    this.timers = t;
    this.reader = daemon(this::readLoop, "redwire-stream-" + settings.name());
    long socket = redwire.socketTimeout().map(java.time.Duration::toMillis).orElse(0L);
    int wait = (int) Math.min(BLOCK_MILLIS, socket / 2);
    this.waitMillis = wait >= MIN_WAIT_MILLIS ? wait : 0;
    this.acker = daemon(this::ackLoop, "redwire-stream-" + settings.name() + "-acks");
  }

  /**
   * Starts consuming on background threads and returns at once; the consumer is closed with
   * {@code redwire} (before its client), or earlier by {@link #close()}.
   *
   * @param consumerName this instance's name in the group, stable for the life of the instance
   */
  public static StreamConsumer start(Redwire redwire, StreamSettings settings, String consumerName,
      Handler handler, Events events) {
    redwire.ensureOpen();
    StreamConsumer c = new StreamConsumer(redwire, settings, consumerName, handler, events);
    redwire.onClose(c);
    c.acker.start();
    c.reader.start();
    long every = Math.max(50, settings.reclaimIdleMillis() / 3);
    // on the renewal scheduler (never user code), so busy handler threads never delay a renewal
    c.renewal = redwire.renewals().scheduleWithFixedDelay(c::heartbeat, every, every, TimeUnit.MILLISECONDS);
    c.timers.scheduleWithFixedDelay(c::sampleLag, 0, LAG_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    return c;
  }

  /** This consumer's name in its group. */
  public String consumerName() {
    return consumerName;
  }

  /** The settings it runs with. */
  public StreamSettings settings() {
    return s;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  // ------------------------------------------------------------------------------------ reading

  private void readLoop() {
    boolean groupReady = false;
    long backoff = 0;
    long nextReclaim = 0;
    long reclaimEvery = Math.max(100, Math.min(5_000, s.reclaimIdleMillis() / 4)) * 1_000_000L;
    String down = null;
    while (running) {
      try {
        if (!groupReady) {
          createGroup();
          groupReady = true;
        }
        long now = System.nanoTime();
        if (down == null && now - nextReclaim >= 0) {
          reclaim();
          nextReclaim = now + reclaimEvery;
        }
        if (orphansPossible) {
          adoptOrphans();
          orphansPossible = false;
        }
        readNew();
        if (down != null) {
          log.info("Stream consumer {} ({}) reads again after: {}", s.name(), consumerName, down);
          events.recovered("reconnected");
          down = null;
          // idle time that accrued while Redis was down says nothing about the other consumers: they
          // could not ack or renew either, and retry their acks every 250 ms at most. Reclaim only after
          // a full idle time with Redis up, so a handled entry is not run a second time elsewhere.
          nextReclaim = System.nanoTime() + s.reclaimIdleMillis() * 1_000_000L;
        }
        backoff = 0;
      } catch (JedisDataException e) {
        if (!running) {
          break;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("NOGROUP")) { // also inside a script error (stream.read) on older servers
          log.warn("Stream consumer {}: the group or stream is gone ({}); creating it again", s.name(), m);
          events.recovered("group created again");
          groupReady = false;
          continue;
        }
        redwire.failed(s.name(), "read", e);
        backoff = pause(backoff);
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        redwire.failed(s.name(), "read", e);
        orphansPossible = true;
        if (down == null) {
          down = String.valueOf(e);
          log.warn("Stream consumer {} ({}) cannot read: {}; retrying with backoff", s.name(), consumerName,
              down);
        }
        backoff = pause(backoff);
      }
    }
  }

  private long pause(long backoff) {
    long next = backoff == 0 ? 50 : Math.min(MAX_BACKOFF_MS, backoff * 2);
    try {
      Thread.sleep(next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
    return next;
  }

  private void createGroup() {
    try {
      // from the start of what the stream retains: events published before the group existed are kept
      lastSeen = null; // a group created anew delivers the stream from its start
      redwire.client().xgroupCreate(s.stream(), s.group(), START, true);
      log.debug("Stream consumer {}: created group", s.name());
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
        throw e;
      }
    }
  }

  /**
   * Reads the next batch once there is room for it (see {@link #room()}), so that the handler threads
   * still have entries read ahead while it is read. While reads come back full, each is one
   * {@link #READ} (read and admit). Once the stream is drained, the next read waits for a new entry and
   * admits it in one round trip ({@link #awaitAndAdmit}: {@code XREAD BLOCK} after the last id, with
   * {@link #READ} pipelined behind it, which the server runs as soon as the wait ends); without a known
   * socket timeout it blocks in {@code XREADGROUP ... BLOCK} and admits what it found with {@link #READ},
   * which also reads on.
   */
  private void readNew() {
    int want = room();
    if (want <= 0) {
      return;
    }
    outstanding.addAndGet(want); // reserved; what is not handed to a handler is given back below
    int dispatched = 0;
    try {
      List<StreamEntry> found = new ArrayList<>();
      Admitted a;
      boolean herd = waitMillis > 0 && herdUntil != 0 && System.nanoTime() - herdUntil < 0;
      if (drained && lastSeen != null && waitMillis > 0 && !herd) {
        a = awaitAndAdmit(want);
      } else {
        if (drained && (waitMillis == 0 || herd)) {
          List<Map.Entry<byte[], List<StreamEntryBinary>>> reply = redwire.client().xreadGroupBinary(s.group(),
              consumer, XReadGroupParams.xReadGroupParams().count(want).block(herd ? waitMillis : BLOCK_MILLIS),
              Map.of(s.stream(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
          if (reply != null) {
            for (Map.Entry<byte[], List<StreamEntryBinary>> e : reply) {
              for (StreamEntryBinary b : e.getValue()) {
                found.add(new StreamEntry(b.getID().toString(), Replies.fields(b.getFields()), 1));
              }
            }
          }
          if (found.isEmpty()) {
            return;
          }
        }
        a = readAndAdmit(found, want - found.size());
      }
      int more = want - found.size();
      drained = a.read() < more || more == 0 && found.size() < want;
      lastSeen = a.last();
      dispatched = a.entries().size();
      dispatch(a.entries(), a.verdicts(), true);
    } finally {
      release(want - dispatched);
    }
  }

  /**
   * The idle read, one round trip once an entry arrives: a plain {@code XREAD BLOCK} after
   * {@link #lastSeen} (which does not deliver anything to the group, and returns at once when an entry
   * was added since) and, pipelined behind it on the same connection, {@link #READ} for up to
   * {@code want} new entries, which the server runs as soon as the wait ends (or times out). The admission
   * stays in the script, before anything runs.
   */
  private Admitted awaitAndAdmit(int want) {
    byte[][] keysAndArgs = readArgs(List.of(), want);
    Object reply;
    Response<?> woke;
    long started = System.nanoTime();
    try (AbstractPipeline p = redwire.client().pipelined()) {
      woke = p.xread(XReadParams.xReadParams().count(1).block(waitMillis), Map.entry(s.stream(), lastSeen));
      Response<Object> read = READ.queue(p, 3, keysAndArgs);
      p.sync();
      try {
        reply = read.get();
      } catch (RuntimeException e) {
        if (!Script.missing(e)) {
          throw e;
        }
        // the script did not run (nothing was read): once more, sending its source
        reply = READ.run(redwire.client(), 3, keysAndArgs);
      }
    } catch (JedisConnectionException e) {
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (waited < waitMillis && timedOut(e)) {
        // no server stall ends a wait early: the socket timeout is shorter than the wait
        log.warn("Stream consumer {} ({}): the client gave up on a {} ms wait after {} ms: its socket timeout is"
            + " shorter than the one declared with Redwire.builder().socketTimeout(...); idle reads block in"
            + " XREADGROUP from now on (declare the client's real socket timeout)", s.name(), consumerName,
            waitMillis, waited);
        waitMillis = 0;
      }
      throw e;
    }
    Admitted a = admitted(List.of(), (List<?>) reply);
    countWake(woke.get() != null, a.read() > 0);
    return a;
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Bounds the herd of the pipelined wait: a plain {@code XREAD} wakes every idle consumer of the stream
   * for each new entry, and all but one find nothing. Keeps the share of this consumer's wakes that found
   * nothing (an exponential moving average over about {@value #HERD_WINDOW} wakes); above
   * {@link #HERD_SHARE_PERCENT} percent (three or more consumers idle on the stream), the idle read is a
   * blocking {@code XREADGROUP}, which the server serves to one consumer only, then the admission script
   * (two round trips), for {@link #HERD_PAUSE_NANOS}; then the pipelined wait is tried again.
   */
  private void countWake(boolean woke, boolean found) {
    if (!woke) {
      return; // the wait timed out: no entry, no race
    }
    lostWakes += ((found ? 0 : 100 * HERD_WINDOW) - lostWakes) / HERD_WINDOW;
    if (lostWakes > HERD_SHARE_PERCENT * HERD_WINDOW) {
      lostWakes = 0;
      if (activeConsumers() < HERD_CONSUMERS) {
        // two consumers: one can lose nearly every race (the one whose reply comes second), but the
        // herd costs one wake and one script more per entry, less than the switch's extra round trip
        return;
      }
      herdUntil = System.nanoTime() + HERD_PAUSE_NANOS;
      events.herd();
      log.debug("Stream consumer {} ({}): most wakes found nothing (other consumers took the entries);"
          + " waiting in XREADGROUP for {} s", s.name(), consumerName, HERD_PAUSE_NANOS / 1_000_000_000L);
    }
  }

  /**
   * The consumers of the group that read within the last {@link #HERD_ACTIVE_MILLIS} ({@code XINFO
   * CONSUMERS}, their idle time); {@link Integer#MAX_VALUE} when that cannot be read (the switch is then
   * made on the wakes alone).
   */
  private int activeConsumers() {
    try {
      int active = 0;
      for (Object c : redwire.client().xinfoConsumers(s.stream(), s.group())) {
        Object idle = Replies.map(c).get("idle");
        if (idle instanceof Number n && n.longValue() < HERD_ACTIVE_MILLIS) {
          active++;
        }
      }
      return active;
    } catch (RuntimeException e) {
      log.debug("Stream consumer {}: could not count the group's consumers: {}", s.name(), e.toString());
      return Integer.MAX_VALUE;
    }
  }

  /**
   * Waits (at most {@link #BLOCK_MILLIS}) until a read is worth making and returns how many entries it
   * may ask for (0: not now). The capacity is {@code concurrency} plus the read-ahead, which is as many
   * entries as the handlers get through in {@link #READ_AHEAD_WAIT_NANOS} by their recent run times (at
   * most {@link #MAX_READ_AHEAD}); a read waits until half the read-ahead (at least one slot) is free, so
   * reads come in batches, and while the acknowledgements waiting to be sent exceed
   * {@link #MAX_ACK_BACKLOG} (Redis refuses them: reading on would only pile up more).
   */
  private int room() {
    long deadline = System.nanoTime() + BLOCK_MILLIS * 1_000_000L;
    synchronized (room) {
      readerWaiting = true;
      try {
        while (running) {
          int free = readable();
          if (free > 0) {
            return free;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return 0;
          }
          room.wait(Math.max(1, left / 1_000_000L));
        }
        return 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
        return 0;
      } finally {
        readerWaiting = false;
      }
    }
  }

  /** How many entries a read may ask for now (see {@link #room()}); 0 when it is not worth making yet. */
  private int readable() {
    int extra = readAhead();
    int free = s.concurrency() + extra - outstanding.get();
    return free >= Math.max(1, extra / 2) && acks.size() <= MAX_ACK_BACKLOG ? free : 0;
  }

  private int readAhead() {
    if (s.maxDeliveries() <= 1) {
      // an entry read ahead by a consumer that is then killed has a delivery counted when another
      // consumer reclaims it, though it never ran: with one delivery it would be dead-lettered unrun
      return 0;
    }
    long perEntry = Math.max(1_000, handlerNanos);
    return (int) Math.min(MAX_READ_AHEAD, READ_AHEAD_WAIT_NANOS * s.concurrency() / perEntry);
  }

  /** Gives back {@code n} counted slots and wakes the reader if it waits for room. */
  private void release(int n) {
    if (n == 0) {
      return;
    }
    outstanding.addAndGet(-n);
    wakeReader();
  }

  /**
   * Wakes the reader if it waits for room and a read is now worth making: not on every entry finished or
   * every ack batch landed, which would wake it for nothing while it waits for half its read-ahead. The
   * condition is read after the change that could satisfy it, and the reader sets {@link #readerWaiting}
   * before it reads the condition, so a change it missed wakes it.
   */
  private void wakeReader() {
    if (readerWaiting && readable() > 0) {
      synchronized (room) {
        room.notifyAll();
      }
    }
  }

  /**
   * Keeps the entries this consumer holds (read ahead, running, waiting for a retry or for their ack)
   * from being reclaimed while
   * it is alive: every third of the reclaim time, {@code XCLAIM ... JUSTID} resets their idle time
   * (without counting a delivery). Only entries idle for at least that long are touched, so an entry
   * another consumer took over in the meantime stays with it. On {@link Redwire#renewals()}; never user
   * code.
   */
  private void heartbeat() {
    if (held.isEmpty() || !renewing) {
      return;
    }
    if (running) {
      giveBackStale();
    }
    synchronized (renewLock) {
      if (!renewing) {
        return;
      }
      byte[][] ids = held.stream().map(StreamConsumer::bytes).toArray(byte[][]::new);
      if (ids.length == 0) {
        return;
      }
      try {
        redwire.client().xclaimJustId(s.stream(), s.group(), consumer,
            Math.max(1, s.reclaimIdleMillis() / 3 - 10), XClaimParams.xClaimParams(), ids);
      } catch (RuntimeException e) {
        if (renewing && !redwire.isClosed()) {
          redwire.failed(s.name(), "heartbeat", e);
        }
      }
    }
  }

  /**
   * Entries read ahead that waited locally for longer than the reclaim time (every handler thread busy
   * for that long, e.g. hung) are given back to the group, their delivery not counted
   * ({@code XCLAIM ... IDLE <reclaim time> RETRYCOUNT <deliveries before> JUSTID}), so another consumer
   * takes them over at its next scan instead of their waiting here as long as the handlers do. Their
   * pool task finds them gone and only gives back the reader's slot.
   */
  private void giveBackStale() {
    long limit = s.reclaimIdleMillis() * 1_000_000L;
    long now = System.nanoTime();
    Map<Integer, List<byte[]>> byCount = new HashMap<>();
    int n = 0;
    for (Map.Entry<String, Long> w : waitingSince.entrySet()) {
      if (now - w.getValue() < limit) {
        continue;
      }
      StreamEntry e = waiting.remove(w.getKey());
      waitingSince.remove(w.getKey());
      if (e == null) {
        continue; // started meanwhile
      }
      held.remove(e.id());
      byCount.computeIfAbsent(Math.max(0, e.delivery() - 1), k -> new ArrayList<>()).add(bytes(e.id()));
      n++;
    }
    if (n == 0) {
      return;
    }
    try {
      for (Map.Entry<Integer, List<byte[]>> e : byCount.entrySet()) {
        redwire.client().xclaimJustId(s.stream(), s.group(), consumer, 0,
            XClaimParams.xClaimParams().idle(s.reclaimIdleMillis()).retryCount(e.getKey()),
            e.getValue().toArray(new byte[0][]));
      }
      log.info("Stream consumer {} ({}): gave back {} entries read ahead that waited longer than the reclaim"
          + " time for a handler thread", s.name(), consumerName, n);
    } catch (RuntimeException e) {
      // not renewed any more: reclaimed by the others after the reclaim time all the same
      redwire.failed(s.name(), "give back", e);
    }
  }

  /** Reports the group's lag when the server counts it. On the timer thread; never user code. */
  private void sampleLag() {
    if (!running) {
      return;
    }
    try {
      String group = new String(s.group(), StandardCharsets.UTF_8);
      for (Object o : redwire.client().xinfoGroups(s.stream())) {
        Map<String, Object> fields = Replies.map(o);
        if (group.equals(Replies.text(fields.get("name"))) && fields.get("lag") instanceof Long entries) {
          events.lag(entries);
        }
      }
    } catch (RuntimeException e) {
      // no stream yet (before the group exists), or Redis away: the read loop reports outages
      log.debug("Stream consumer {}: could not sample the group's lag", s.name(), e);
    }
  }

  /** Where the next XAUTOCLAIM scan starts; back to the start when the server says it went round. */
  private byte[] reclaimCursor = START;

  /**
   * Entries pending with this consumer that it does not hold: delivered by a {@link #READ} whose reply
   * was lost (see {@link #orphansPossible}). They are run here, with the delivery that the lost read
   * counted, instead of waiting for the reclaim time and being counted a second time (with
   * {@code maxDeliveries = 1}, dead-lettered without ever running). Only entries idle for less than
   * half the reclaim time are taken, so none that another consumer may be reclaiming right now.
   */
  private void adoptOrphans() {
    List<Object> pending = redwire.client().xpending(s.stream(), s.group(),
        XPendingParams.xPendingParams(START, "+".getBytes(StandardCharsets.US_ASCII), 1000).consumer(consumer));
    if (pending.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>();
    List<Integer> deliveries = new ArrayList<>();
    List<Response<List<Object>>> bodies = new ArrayList<>();
    try (AbstractPipeline p = redwire.client().pipelined()) { // the bodies in one round trip
      for (Object o : pending) {
        if (!(o instanceof List<?> e) || e.size() < 4) {
          continue;
        }
        byte[] id = Replies.bytes(e.get(0));
        String text = Replies.text(id);
        long idle = ((Number) e.get(2)).longValue();
        long count = ((Number) e.get(3)).longValue();
        if (held.contains(text) || idle >= s.reclaimIdleMillis() / 2) {
          continue;
        }
        ids.add(text);
        deliveries.add((int) Math.min(Integer.MAX_VALUE, count));
        bodies.add(p.xrange(s.stream(), id, id, 1));
      }
      p.sync();
    }
    List<StreamEntry> entries = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      List<Replies.Raw> found = Replies.entries(bodies.get(i).get());
      if (found.isEmpty() || found.get(0).fields() == null) {
        continue; // trimmed: left to the reclaim scan, which acknowledges it
      }
      entries.add(new StreamEntry(ids.get(i), found.get(0).fields(), deliveries.get(i)));
    }
    if (entries.isEmpty()) {
      return;
    }
    log.info("Stream consumer {} ({}) runs {} entries read for it by a read whose reply was lost", s.name(),
        consumerName, entries.size());
    Admitted a = readAndAdmit(entries, 0);
    dispatch(a.entries(), a.verdicts(), false);
  }

  /** Takes over entries idle for longer than the reclaim time, from any consumer of the group. */
  private void reclaim() {
    Object reply = redwire.client().xautoclaim(s.stream(), s.group(), consumer, s.reclaimIdleMillis(),
        reclaimCursor, XAutoClaimParams.xAutoClaimParams().count(100));
    if (!(reply instanceof List<?> parts) || parts.size() < 2) {
      return;
    }
    // the scan goes on from where the server stopped, so idle entries behind many live ones are found
    byte[] next = Replies.bytes(parts.get(0));
    reclaimCursor = next == null || "0-0".equals(Replies.text(next)) ? START : next;
    int replied = parts.get(1) instanceof List<?> l ? l.size() : 0;
    List<Replies.Raw> claimed = Replies.entries(parts.get(1));
    List<Replies.Raw> mine = new ArrayList<>();
    for (Replies.Raw r : claimed) {
      if (!held.contains(r.id())) {
        mine.add(r);
      }
    }
    if (claimed.size() < replied) {
      // Redis 6.2 answers nil for an entry trimmed from the stream while pending: it would stay pending
      // for ever; newer servers drop such entries from the pending list themselves
      ackTrimmed();
    }
    if (mine.isEmpty()) {
      return;
    }
    events.reclaimed(mine.size());
    log.info("Stream consumer {} ({}) reclaimed {} entries left pending by other consumers", s.name(),
        consumerName, mine.size());
    Map<String, Long> counts = deliveryCounts(mine);
    List<StreamEntry> entries = new ArrayList<>();
    for (Replies.Raw r : mine) {
      if (r.fields() == null) { // deleted from the stream (trimmed) while pending
        redwire.client().xack(s.stream(), s.group(), r.id().getBytes(StandardCharsets.US_ASCII));
        continue;
      }
      long count = counts.getOrDefault(r.id(), 1L);
      entries.add(new StreamEntry(r.id(), r.fields(), (int) Math.min(Integer.MAX_VALUE, count)));
    }
    if (!entries.isEmpty()) {
      Admitted a = readAndAdmit(entries, 0);
      dispatch(a.entries(), a.verdicts(), false);
    }
  }

  /** Acknowledges the pending entries that Redis 6.2's XAUTOCLAIM answered nil for (trimmed away). */
  private void ackTrimmed() {
    List<Object> pending = redwire.client().xpending(s.stream(), s.group(),
        XPendingParams.xPendingParams(START, "+".getBytes(StandardCharsets.US_ASCII), 1000).consumer(consumer));
    List<byte[]> gone = new ArrayList<>();
    for (Object o : pending) {
      if (o instanceof List<?> p && !p.isEmpty()) {
        byte[] id = Replies.bytes(p.get(0));
        String text = Replies.text(id);
        if (!held.contains(text) && redwire.client().xrange(s.stream(), id, id, 1).isEmpty()) {
          gone.add(id);
        }
      }
    }
    if (!gone.isEmpty()) {
      redwire.client().xack(s.stream(), s.group(), gone.toArray(new byte[0][]));
      log.info("Stream consumer {}: acknowledged {} entries trimmed from the stream while pending", s.name(),
          gone.size());
    }
  }

  private Map<String, Long> deliveryCounts(List<Replies.Raw> entries) {
    Map<String, Long> counts = new HashMap<>();
    String first = entries.get(0).id();
    String last = entries.get(entries.size() - 1).id();
    List<Object> pending = redwire.client().xpending(s.stream(), s.group(),
        XPendingParams.xPendingParams(first.getBytes(StandardCharsets.US_ASCII),
            last.getBytes(StandardCharsets.US_ASCII), entries.size() * 2 + 10).consumer(consumer));
    for (Object o : pending) {
      if (o instanceof List<?> p && p.size() >= 4) {
        counts.put(Replies.text(p.get(0)), Replies.number(p.get(3)));
      }
    }
    return counts;
  }

  /**
   * Entries with their verdicts (0 run, 1 already handled, 2 a copy); {@code read} of them were new;
   * {@code last}: the stream's last id when the read drained it, else null.
   */
  private record Admitted(List<StreamEntry> entries, List<Long> verdicts, int read, byte[] last) {}

  /**
   * One {@link #READ}: admits {@code given} (already read) and, when {@code more} is positive, reads up to
   * that many new entries and admits them too.
   */
  private Admitted readAndAdmit(List<StreamEntry> given, int more) {
    return admitted(given, (List<?>) READ.run(redwire.client(), 3, readArgs(given, more)));
  }

  /** The keys and arguments of a {@link #READ} call. */
  private byte[][] readArgs(List<StreamEntry> given, int more) {
    byte[][] keysAndArgs = new byte[9 + 3 * given.size()][];
    keysAndArgs[0] = s.stream();
    keysAndArgs[1] = s.handled();
    keysAndArgs[2] = s.owners();
    keysAndArgs[3] = s.group();
    keysAndArgs[4] = bytes(Long.toString(s.handledRetainMillis()));
    keysAndArgs[5] = consumer;
    keysAndArgs[6] = bytes(Integer.toString(Math.max(0, more)));
    keysAndArgs[7] = bytes(s.idField());
    keysAndArgs[8] = bytes(REPLAY_FIELD);
    for (int i = 0; i < given.size(); i++) {
      byte[] id = given.get(i).field(s.idField());
      byte[] replay = given.get(i).field(REPLAY_FIELD);
      keysAndArgs[9 + 3 * i] = bytes(given.get(i).id());
      keysAndArgs[10 + 3 * i] = id != null ? id : new byte[0];
      keysAndArgs[11 + 3 * i] = replay != null ? replay : new byte[0];
    }
    return keysAndArgs;
  }

  /** {@link #READ}'s reply, with the {@code given} entries it admitted first. */
  private static Admitted admitted(List<StreamEntry> given, List<?> reply) {
    List<StreamEntry> entries = new ArrayList<>(given);
    List<Long> verdicts = new ArrayList<>(given.size());
    for (Object o : (List<?>) reply.get(0)) {
      verdicts.add((Long) o);
    }
    List<Replies.Raw> read = Replies.entries(reply.get(1));
    for (Replies.Raw r : read) {
      entries.add(new StreamEntry(r.id(), r.fields() == null ? Map.of() : r.fields(), 1));
    }
    for (Object o : (List<?>) reply.get(2)) {
      verdicts.add((Long) o);
    }
    if (verdicts.size() != entries.size()) {
      throw new IllegalStateException("stream.read answered " + verdicts.size() + " verdicts for "
          + entries.size() + " entries");
    }
    byte[] last = reply.size() > 3 ? Replies.bytes(reply.get(3)) : null;
    return new Admitted(entries, verdicts, read.size(), last == null || last.length == 0 ? null : last);
  }

  /**
   * Hands entries to run to the handler threads and queues the acknowledgement of the others (already
   * handled, or a copy). With {@code counted}, every entry holds one of the reader's slots: an entry
   * handed to a handler thread gives it back when it is processed, and the finally block gives back all
   * the others (skipped, already held here, refused while closing, or not reached), or the consumer
   * would stop reading new entries for good.
   */
  private void dispatch(List<StreamEntry> entries, List<Long> verdicts, boolean counted) {
    int started = 0;
    try {
      for (int i = 0; i < entries.size(); i++) {
        StreamEntry e = entries.get(i);
        long verdict = verdicts.get(i);
        if (!held.add(e.id())) {
          // already running, waiting or acked here (delivered again after the group was created again):
          // the run in progress finishes it
          continue;
        }
        if (verdict != 0) {
          // 1 (already handled): deleted and released as if handled now where the settings say so; a
          // copy of an entry in flight keeps the original's ownership and unique key: a plain ack
          acks.add(new Ack(e, verdict == 1 ? Ack.SKIPPED : Ack.COPY,
              verdict == 1 && (s.deleteOnAck() || s.releaseField() != null)));
          continue;
        }
        waitingSince.put(e.id(), System.nanoTime());
        waiting.put(e.id(), e);
        try {
          handlers.execute(() -> {
            if (waiting.remove(e.id()) == null) {
              // given back by the heartbeat after waiting locally for the reclaim time (see giveBackStale)
              if (counted) {
                release(1);
              }
              return;
            }
            process(e, counted);
          });
          started++;
        } catch (RejectedExecutionException closing) {
          waiting.remove(e.id());
          waitingSince.remove(e.id());
          held.remove(e.id());
          unstarted.put(e.id(), e.delivery());
        }
      }
    } finally {
      if (counted && started < entries.size()) {
        release(entries.size() - started);
      }
    }
  }

  // ---------------------------------------------------------------------------------- handling

  private void process(StreamEntry e, boolean holdsSlot) {
    waiting.remove(e.id());
    waitingSince.remove(e.id());
    boolean keep = false;
    long begun = System.nanoTime();
    try {
      if (!running) {
        unstarted.put(e.id(), e.delivery()); // closing: left pending for the others, this delivery undone
        return;
      }
      if (e.delivery() > s.maxDeliveries()) {
        deadLetter(e, "delivered " + e.delivery() + " times without being acknowledged (more than"
            + " maxDeliveries = " + s.maxDeliveries() + "): its consumers stopped while handling it");
        return;
      }
      if (e.field(s.idField()) == null) {
        deadLetter(e, "undecodable: no '" + s.idField() + "' field");
        return;
      }
      events.delivered(e);
      inFlight.add(e.id());
      long start = System.nanoTime();
      try {
        handler.handle(e);
      } catch (Poison p) {
        events.handled(System.nanoTime() - start, false);
        deadLetter(e, p.getMessage());
        return;
      } catch (Exception | LinkageError | AssertionError | StackOverflowError failure) {
        events.handled(System.nanoTime() - start, false);
        if (interrupting) {
          // interrupted by the close: left pending, handed back by the close (not a failed delivery)
          log.debug("Stream consumer {}: entry {} was interrupted by the close; handed back", s.name(),
              e.id(), failure);
          return;
        }
        if (e.delivery() >= s.maxDeliveries()) {
          deadLetter(e, describe(failure));
        } else {
          keep = scheduleRetry(e, failure);
        }
        return;
      } finally {
        inFlight.remove(e.id());
      }
      long ran = System.nanoTime() - start;
      events.handled(ran, true);
      runNanos += (ran - runNanos) / 4;
      keep = true; // held (and renewed) until the ack lands
      Ack a = new Ack(e, Ack.HANDLED, true);
      if (s.ackBeforeNext()) {
        ackHere(a);
      } else {
        ack(a);
      }
    } finally {
      if (!keep) {
        held.remove(e.id());
      }
      // the entry's whole time on its thread: what read-ahead is sized by
      handlerNanos += (System.nanoTime() - begun - handlerNanos) / 4;
      if (holdsSlot) {
        release(1);
      }
    }
  }

  // ------------------------------------------------------------------------------------ acking

  /**
   * An acknowledgement to send: {@code record} records the id as handled (and releases the entry's key)
   * before the {@code XACK}; without it, the entry is only acknowledged (and deleted with
   * {@code deleteOnAck}).
   */
  private static final class Ack {
    static final int HANDLED = 0;
    static final int SKIPPED = 1;
    static final int COPY = 2;

    private final StreamEntry entry;
    private final int kind;
    private final boolean record;
    private volatile boolean sent; // written under this
    /** Handed the next send by the thread whose send just ended (see {@link #handTurn}). */
    private boolean turn; // guarded by this
    /** Whether its handler thread still waits for it in {@link #ackHere}. */
    volatile boolean waiting;

    Ack(StreamEntry entry, int kind, boolean record) {
      this.entry = entry;
      this.kind = kind;
      this.record = record;
    }

    StreamEntry entry() {
      return entry;
    }

    int kind() {
      return kind;
    }

    boolean record() {
      return record;
    }

    /**
     * Marks it sent and wakes the thread waiting for it. The waits are on this object's monitor, never
     * {@code LockSupport.park}: a park permit left over would cut short the first park of the thread's
     * next job (a {@code parkNanos}, a lock or latch wait in user code).
     */
    synchronized void sent() {
      sent = true;
      notifyAll();
    }

    boolean isSent() {
      return sent;
    }

    /** Wakes its thread to send the next batch (it does, if no other thread started one meanwhile). */
    synchronized void yourTurn() {
      turn = true;
      notifyAll();
    }

    /** Waits until it was sent or its thread was handed the next send. */
    synchronized void awaitSentOrTurn() throws InterruptedException {
      while (!sent && !turn) {
        wait();
      }
      turn = false;
    }

    /** Waits until the batch that carries it was sent (landed or given up); false when interrupted. */
    synchronized boolean awaitSent() {
      while (!sent) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * {@link StreamSettings#ackBeforeNext}: the handler threads send their acks themselves, one batch on
   * the wire at a time (group commit): a thread whose ack is not sent yet waits while another thread's
   * batch is on the wire, then sends every ack waiting, its own and those of the threads that finished
   * meanwhile, unless that batch already carried its own. Returns once its ack was sent, or when the
   * close interrupts the thread (the close's last send takes the ack). An interrupt that is not the
   * close's (the job left its thread's status set, or something of the job's interrupts it later) is
   * kept aside until the ack was sent, then restored. No hand-off to another thread on the way.
   */
  private void ackHere(Ack a) {
    boolean interrupted = !interrupting && Thread.interrupted();
    if (interrupted && interrupting) { // the close's interrupt came in between: it is not put aside
      Thread.currentThread().interrupt();
      interrupted = false;
    }
    try {
      interrupted |= sendInTurn(a);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (!a.isSent() && ackerDone) {
      sendRest(); // queued after the acker's last send (a handler that overran the close): sent here
    }
  }

  /** {@link #ackHere} less the interrupt status; true when an interrupt not the close's came meanwhile. */
  private boolean sendInTurn(Ack a) {
    boolean interruptedMeanwhile = false;
    a.waiting = true;
    handlerAcks.add(a);
    List<Ack> batch = new ArrayList<>();
    try {
      Linger waitingToSend = lingerer.get();
      if (waitingToSend != null && handlerAcks.size() >= s.concurrency()
          && lingerer.compareAndSet(waitingToSend, null)) {
        // this ack fills the batch another thread lingers for: sent from here, in that thread's turn
        // (its sending flag passes to this thread), and that thread is woken once its ack went with it;
        // waking it to send would put one more thread wake-up between the batches
        try {
          sendWaiting(batch);
        } finally {
          waitingToSend.release();
          endTurn();
        }
        batch.clear();
      }
      while (!a.isSent()) {
        if (!sending.compareAndSet(false, true)) {
          // another thread's batch is on its way: woken when a batch carried this ack, or when this
          // thread is handed the next send
          try {
            a.awaitSentOrTurn();
          } catch (InterruptedException e) {
            if (interrupting) {
              Thread.currentThread().interrupt(); // the close's: its last send takes the ack
              return interruptedMeanwhile;
            }
            interruptedMeanwhile = true;
          }
          continue;
        }
        boolean passedOn = false;
        try {
          if (a.isSent()) {
            return interruptedMeanwhile; // sent by the batch that was on the wire; the finally hands on
          }
          if (linger()) {
            passedOn = true; // the thread that filled the batch sent it and ended this turn
            continue;
          }
          sendWaiting(batch);
        } finally {
          if (!passedOn) {
            endTurn();
          }
        }
        if (batch.isEmpty()) { // taken by the close's last send
          a.awaitSent();
          return interruptedMeanwhile;
        }
        batch.clear();
      }
      return interruptedMeanwhile;
    } finally {
      a.waiting = false;
    }
  }

  /** Sends the handler threads' acks queued so far (at most {@link #MAX_ACK_BATCH}) in one batch, if any. */
  private void sendWaiting(List<Ack> batch) {
    handlerAcks.drainTo(batch, MAX_ACK_BATCH);
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  /** Ends a handler thread's turn to send: puts {@link #sending} down and hands the next turn on. */
  private void endTurn() {
    sending.set(false);
    handTurn();
  }

  /**
   * After a send, with {@link #sending} down: hands the next send to the first queued ack whose thread
   * still waits. An ack queued before its thread failed to start a send is seen here, so that thread, or
   * one whose batch takes its ack along, sends next.
   */
  private void handTurn() {
    for (Ack next : handlerAcks) {
      if (next.waiting) {
        next.yourTurn();
        return;
      }
    }
  }

  /**
   * Before a handler thread sends an ack batch: when entries are queued locally for every handler thread
   * that is not waiting for its own ack, and the handlers' recent run time is short, waits (at most
   * {@link #MAX_LINGER_NANOS}, or four run times plus {@link #LINGER_SLACK_NANOS} when that is less) for
   * those threads' acks to join the batch. Without it, the threads released by one batch run their next
   * entries while the thread that sends next goes out alone, and batches alternate between one ack and
   * the rest: twice the round trips and script runs per entry for short jobs, on both sides of the wire.
   * A linger that waited its whole bound (a handler ran long) pauses lingering for the next
   * {@link #LINGER_PAUSE} sends. Called by the sending thread only.
   *
   * <p>Returns true when the thread whose ack filled the batch sent it instead (see {@link #sendInTurn}):
   * it took over this thread's turn and has ended it. This thread is back from the wait only once that
   * thread unparked it, and no unpark is left over for the job it runs next.
   */
  private boolean linger() {
    if (lingerPause > 0) {
      lingerPause--;
      return false;
    }
    int waitingAcks = handlerAcks.size();
    int others = s.concurrency() - waitingAcks;
    long run = runNanos;
    if (others <= 0 || run > MAX_LINGER_NANOS || handlers.getQueue().size() < others || !running) {
      return false;
    }
    long deadline = System.nanoTime() + Math.min(MAX_LINGER_NANOS, 4 * run + LINGER_SLACK_NANOS);
    Thread me = Thread.currentThread();
    Linger linger = new Linger(me);
    lingerer.set(linger);
    boolean outlasted = false;
    while (handlerAcks.size() < s.concurrency() && lingerer.get() == linger) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        outlasted = true;
        break;
      }
      if (me.isInterrupted()) {
        break;
      }
      LockSupport.parkNanos(this, left);
    }
    if (lingerer.compareAndSet(linger, null)) {
      if (outlasted) {
        lingerPause = LINGER_PAUSE;
      }
      return false; // still this thread's turn: it sends
    }
    linger.awaitRelease(); // taken over: the other thread sends this batch, then releases this one
    return true;
  }

  /**
   * One linger of a handler thread, for the thread that takes it over (see {@link #sendInTurn}): that
   * thread sends the batch, then {@link #release releases} the lingering one with an unpark.
   */
  private static final class Linger {
    private static final int WAITS = 0;
    private static final int RELEASING = 1;
    private static final int RELEASED = 2;

    private final Thread thread;
    private volatile int state = WAITS;

    Linger(Thread thread) {
      this.thread = thread;
    }

    /** Called once, by the thread that took this linger over, after its send. */
    void release() {
      state = RELEASING;
      LockSupport.unpark(thread);
      state = RELEASED;
    }

    /**
     * Waits until released. An interrupt meanwhile is kept aside (a park returns at once while the status
     * is set) and restored at the end; the close's too, so a close that interrupts the handlers waits
     * for this thread as long as the send of the thread that took its turn lasts (its job is finished;
     * its ack is in that send). The releasing unpark may come after this thread saw the state
     * change: one unpark of its own and one park after it was made leave no permit behind for the job
     * this thread runs next.
     */
    void awaitRelease() {
      boolean interrupted = false;
      while (state == WAITS) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
      while (state != RELEASED) {
        Thread.yield(); // the other thread is between its send and its unpark
      }
      LockSupport.unpark(thread);
      LockSupport.park(this);
      if (interrupted) {
        thread.interrupt();
      }
    }
  }

  /** Queues the ack for the acker; once the acker ended (after close), sends it here. */
  private void ack(Ack a) {
    acks.add(a);
    if (ackerDone) {
      sendRest();
    }
  }

  /**
   * The acker: sends every ack queued so far in one script call as soon as there is one, so at low rates
   * an ack leaves right after its handler returned, and while a call is on the wire the acks of the
   * entries that finish meanwhile gather for the next one (at most {@link #MAX_ACK_BATCH} per call).
   */
  private void ackLoop() {
    List<Ack> batch = new ArrayList<>();
    try {
      while (true) {
        Ack first = acks.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (ackerStop) {
            break;
          }
          continue;
        }
        batch.add(first);
        acks.drainTo(batch, MAX_ACK_BATCH - 1);
        send(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ackerDone = true;
      sendRest();
    }
  }

  /** Sends whatever acks are queued, from the calling thread. */
  private void sendRest() {
    List<Ack> rest = new ArrayList<>();
    while (acks.drainTo(rest, MAX_ACK_BATCH) > 0 || handlerAcks.drainTo(rest, MAX_ACK_BATCH) > 0) {
      send(rest);
      rest.clear();
    }
  }

  /** One {@link #ACKS} call for the batch, retried until it lands (see {@link #writeUntilDone}). */
  private void send(List<Ack> batch) {
    List<byte[]> keys = new ArrayList<>(3 + batch.size());
    keys.add(s.stream());
    keys.add(s.handled());
    keys.add(s.owners());
    long now = System.currentTimeMillis();
    boolean trim = now - lastTrim >= TRIM_EVERY_MILLIS;
    List<byte[]> args = new ArrayList<>(6 + 4 * batch.size());
    args.add(s.group());
    args.add(bytes(Long.toString(now)));
    args.add(bytes(Long.toString(s.handledRetainMillis())));
    args.add(bytes(Long.toString(HANDLED_CAP)));
    args.add(s.deleteOnAck() ? ONE : ZERO);
    args.add(trim ? ONE : ZERO);
    for (Ack a : batch) {
      StreamEntry e = a.entry();
      byte[] id = e.field(s.idField());
      byte[] release = a.record() && s.releaseField() != null ? e.field(s.releaseField()) : null;
      args.add(bytes(e.id()));
      args.add(id == null ? new byte[0] : id);
      args.add(a.record() ? RECORD : PLAIN);
      if (release != null) {
        keys.add(release);
        args.add(bytes(Integer.toString(keys.size() - 3)));
      } else {
        args.add(ZERO);
      }
    }
    String what = batch.size() == 1 ? "entry " + batch.get(0).entry().id() : batch.size() + " entries";
    boolean landed = writeUntilDone(what, "ack", () -> ACKS.run(redwire.client(), keys, args));
    if (landed && trim) {
      lastTrim = now;
    }
    for (Ack a : batch) {
      held.remove(a.entry().id());
      a.sent();
      if (!landed) {
        continue;
      }
      switch (a.kind()) {
        case Ack.HANDLED -> events.acked();
        case Ack.SKIPPED -> events.skipped();
        default -> {
          events.duplicate();
          log.info("Stream consumer {}: entry {} carries the id of an entry still pending; acknowledged"
              + " without running it", s.name(), a.entry().id());
        }
      }
    }
    wakeReader();
  }

  private void deadLetter(StreamEntry e, String reason) {
    List<byte[]> args = new ArrayList<>();
    args.add(s.group());
    args.add(bytes(e.id()));
    args.add(bytes(Long.toString(s.deadLetterMaxLen())));
    args.add(bytes(s.deleteOnAck() ? "1" : "0"));
    byte[] eventId = e.field(s.idField());
    args.add(eventId != null ? eventId : new byte[0]);
    args.add(bytes(Long.toString(System.currentTimeMillis())));
    args.add(bytes(Long.toString(s.handledRetainMillis())));
    for (Map.Entry<String, byte[]> f : e.fields().entrySet()) {
      if (!f.getKey().startsWith("dead-") && !f.getKey().equals(REPLAY_FIELD)) {
        args.add(bytes(f.getKey()));
        args.add(f.getValue());
      }
    }
    args.add(bytes("dead-error"));
    args.add(bytes(reason.length() > ERROR_TEXT_LIMIT ? reason.substring(0, ERROR_TEXT_LIMIT) : reason));
    args.add(bytes("dead-deliveries"));
    args.add(bytes(Integer.toString(e.delivery())));
    args.add(bytes("dead-source"));
    args.add(bytes(e.id()));
    args.add(bytes("dead-at"));
    args.add(bytes(Long.toString(System.currentTimeMillis())));
    byte[] release = s.releaseField() == null ? null : e.field(s.releaseField());
    List<byte[]> keys = release == null ? List.of(s.stream(), s.deadLetters(), s.owners(), s.handled())
        : List.of(s.stream(), s.deadLetters(), s.owners(), s.handled(), release);
    writeUntilDone("entry " + e.id(), "dead-letter", () -> DEAD.run(redwire.client(), keys, args));
    log.warn("Stream consumer {}: entry {} moved to the dead letters: {}", s.name(), e.id(), reason);
    events.deadLettered(reason);
  }

  /**
   * Runs a write that must land (the ack of a handled entry): retried while Redis is down, for as
   * long as the consumer runs (plus the close bound), so an outage after the handler returned does not
   * run it again. A command error is reported and given up: the entry stays pending. Returns whether it
   * landed.
   */
  private boolean writeUntilDone(String what, String op, Runnable write) {
    long backoff = 0;
    long deadline = Long.MAX_VALUE;
    while (true) {
      try {
        write.run();
        return true;
      } catch (RuntimeException failure) {
        if (redwire.isClosed()) {
          log.warn("Stream consumer {}: could not {} {} before close; it stays pending", s.name(), op, what);
          return false;
        }
        boolean outage = redwire.failed(s.name(), op, failure);
        if (!outage && String.valueOf(failure.getMessage()).contains("NOGROUP")) {
          log.warn("Stream consumer {}: {} of {} failed: the group is gone; it is delivered again"
              + " when the group is created again", s.name(), op, what, failure);
          return false;
        }
        if (!outage && refusals.tryAcquire()) {
          // a refusal (OOM under maxmemory, a key of another type) after the handler ran: giving up would
          // leave the entry to be reclaimed and run again; it stays held (renewed) and is tried again
          log.warn("Stream consumer {}: Redis refuses the {} of {} ({}); trying again until it lands"
              + " (logged at most every 10 s)", s.name(), op, what, failure.toString());
        }
        if (!running) {
          deadline = Math.min(deadline, System.nanoTime() + s.closeWaitMillis() * 1_000_000L);
          if (System.nanoTime() - deadline > 0) {
            return false;
          }
        }
        backoff = backoff == 0 ? 20 : Math.min(outage ? 250 : 1000, backoff * 2);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /** Schedules the next delivery; returns whether the entry stays held. */
  private boolean scheduleRetry(StreamEntry e, Throwable failure) {
    int next = e.delivery() + 1;
    long delay = s.backoff(next, ThreadLocalRandom.current().nextDouble());
    log.debug("Stream consumer {}: entry {} failed on delivery {}; retrying in {} ms", s.name(), e.id(),
        e.delivery(), delay, failure);
    events.retried(next);
    try {
      timers.schedule(() -> retry(e, next, delay), delay, TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException closing) {
      return false;
    }
  }

  /** On the timer thread: hands the retry to a handler thread (the timer never runs user code). */
  private void retry(StreamEntry e, int delivery, long delay) {
    try {
      handlers.execute(() -> claimAndProcess(e, delivery, delay));
    } catch (RejectedExecutionException closing) {
      held.remove(e.id());
    }
  }

  private void claimAndProcess(StreamEntry e, int delivery, long delay) {
    if (!running) {
      held.remove(e.id());
      return;
    }
    Object reply;
    try {
      // still ours? (acknowledged meanwhile, or taken over by another consumer after a stall: not ours)
      if (!ownedHere(e.id())) {
        held.remove(e.id());
        return;
      }
      // counts the delivery in Redis, resets the idle time, and returns the entry
      reply = redwire.client().xclaim(s.stream(), s.group(), consumer, 0, XClaimParams.xClaimParams(),
          bytes(e.id()));
    } catch (RuntimeException failure) {
      redwire.failed(s.name(), "claim", failure);
      try {
        timers.schedule(() -> retry(e, delivery, delay), Math.min(delay, MAX_BACKOFF_MS), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        held.remove(e.id());
      }
      return;
    }
    List<Replies.Raw> claimed = Replies.entries(reply);
    if (claimed.isEmpty() || claimed.get(0).fields() == null) {
      held.remove(e.id());
      return;
    }
    process(new StreamEntry(e.id(), claimed.get(0).fields(), delivery), false);
  }

  /** Whether the entry is pending with this consumer. */
  private boolean ownedHere(String id) {
    byte[] b = bytes(id);
    List<Object> pending = redwire.client().xpending(s.stream(), s.group(),
        XPendingParams.xPendingParams(b, b, 1));
    if (pending.isEmpty() || !(pending.get(0) instanceof List<?> p) || p.size() < 2) {
      return false;
    }
    return consumerName.equals(Replies.text(p.get(1)));
  }

  private static String describe(Throwable t) {
    StringBuilder b = new StringBuilder(t.toString());
    for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
      b.append("; caused by ").append(c);
    }
    return b.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------------ closing

  /**
   * Stops reading, lets running handlers finish for {@code closeWaitMillis} (then interrupts them and
   * waits one more second), sends the acks of every entry that finished, gives back the entries it read
   * but never started, and hands back those whose handlers did not finish (made idle for the reclaim
   * time, so another consumer takes them over at its next scan rather than after the lease). Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    running = false;
    synchronized (room) {
      room.notifyAll();
    }
    timers.shutdownNow();
    List<String> unfinished = List.of();
    try {
      // the reader's last read (at most BLOCK_MILLIS) is dispatched while the handlers still accept it
      reader.join(BLOCK_MILLIS * 4L);
      handlers.shutdown();
      if (!handlers.awaitTermination(s.closeWaitMillis(), TimeUnit.MILLISECONDS)) {
        unfinished = new ArrayList<>(inFlight);
        log.warn("Stream consumer {}: {} handlers still running after {} ms; interrupting them (their entries"
            + " are handed back to the group)", s.name(), unfinished.size(), s.closeWaitMillis());
        interrupting = true;
        handlers.shutdownNow();
        handlers.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // read ahead but never started (their tasks were dropped by the interrupting shutdown)
    waiting.forEach((id, e) -> {
      unstarted.put(id, e.delivery());
      held.remove(id);
    });
    waiting.clear();
    waitingSince.clear();
    ackerStop = true;
    try {
      acker.join(s.closeWaitMillis() + 2_000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // renewed until here (handlers within the close wait, acks being sent); none after: the hand-back
    // makes entries idle for the reclaim time, a renewal would undo that
    synchronized (renewLock) {
      renewing = false;
    }
    java.util.concurrent.ScheduledFuture<?> r = renewal;
    if (r != null) {
      r.cancel(false);
    }
    handBack(unfinished);
    giveBackUnstarted();
  }

  /**
   * Entries whose handlers did not finish within the close bound (still running, or interrupted):
   * {@code XCLAIM ... IDLE <reclaim time> JUSTID} keeps their delivery count (they did run) and makes them
   * idle, so another consumer's next reclaim scan takes them over. Entries acknowledged meanwhile are no
   * longer pending and are not touched.
   */
  private void handBack(List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    try {
      List<byte[]> back = redwire.client().xclaimJustId(s.stream(), s.group(), consumer, 0,
          XClaimParams.xClaimParams().idle(s.reclaimIdleMillis()), ids.stream().map(StreamConsumer::bytes)
              .toArray(byte[][]::new));
      if (!back.isEmpty()) {
        events.handedBack(back.size());
        log.warn("Stream consumer {}: handed back {} entries whose handlers did not finish within {} ms;"
            + " another consumer takes them over at its next reclaim scan", s.name(), back.size(),
            s.closeWaitMillis());
      }
    } catch (RuntimeException e) {
      log.warn("Stream consumer {}: could not hand back {} unfinished entries ({}); they are reclaimed"
          + " after the reclaim time", s.name(), ids.size(), e.toString());
    }
  }

  /**
   * Entries read but never started because the consumer was closing: their delivery is not counted
   * against {@code maxDeliveries} ({@code XCLAIM ... RETRYCOUNT} back to the deliveries before it), and
   * they are made idle for the whole reclaim time so that another consumer takes them over at once.
   */
  private void giveBackUnstarted() {
    if (unstarted.isEmpty()) {
      return;
    }
    Map<Integer, List<byte[]>> byCount = new HashMap<>();
    unstarted.forEach((id, delivery) -> byCount.computeIfAbsent(delivery - 1, k -> new ArrayList<>()).add(bytes(id)));
    try {
      for (Map.Entry<Integer, List<byte[]>> e : byCount.entrySet()) {
        redwire.client().xclaimJustId(s.stream(), s.group(), consumer, 0,
            XClaimParams.xClaimParams().idle(s.reclaimIdleMillis()).retryCount(e.getKey()),
            e.getValue().toArray(new byte[0][]));
      }
      log.debug("Stream consumer {}: gave back {} entries it read but never started", s.name(), unstarted.size());
    } catch (RuntimeException e) {
      log.debug("Stream consumer {}: could not give back the entries it never started", s.name(), e);
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return !running;
  }
}
