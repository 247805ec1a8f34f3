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
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntryBinary;

/**
 * A consumer of one Redis stream in one consumer group, with the delivery guarantees that durable
 * events and job queues share: at least once, acknowledged only after the handler returned, retried
 * with exponential backoff and jitter, reclaimed from stopped consumers, dead-lettered after
 * {@code maxDeliveries}, and never run twice for an id the group already handled.
 *
 * <p>Threads: one reader ({@code redwire-stream-<name>}) that reads new entries ({@code XREADGROUP},
 * blocking at most 500 ms, never more entries than there are free handler slots) and reclaims entries
 * that stayed unacknowledged for {@code reclaimIdleMillis} with any consumer ({@code XAUTOCLAIM}); a
 * pool of {@code concurrency} handler threads that run the user's handler; and one timer thread that
 * schedules retries and renews the entries this consumer holds (it never runs user code). An entry a
 * live consumer holds, however long its handler runs or its retry waits, is therefore never reclaimed:
 * only a stopped consumer's entries are.
 *
 * <p>For each entry: if its id (field {@code idField}) is in the group's handled record, it is
 * acknowledged without running the handler. Else the handler runs; when it returns, one script records
 * the id as handled and acknowledges the entry (retried until Redis answers, so an outage between the
 * handler and the ack does not run it again). When it throws {@link Poison} (undecodable), or throws on
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
 * interrupts them), and leaves every entry it has not finished pending, for the other consumers of the
 * group to reclaim.
 */
public final class StreamConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);
  private static final int BLOCK_MILLIS = 500;
  private static final long MAX_BACKOFF_MS = 2000;
  private static final int ERROR_TEXT_LIMIT = 2000;
  /** Most ids the handled record keeps, whatever the window. */
  private static final long HANDLED_CAP = 1_000_000;
  private static final byte[] START = "0-0".getBytes(StandardCharsets.US_ASCII);
  /** How often the group's lag is sampled. */
  static final long LAG_SAMPLE_MILLIS = 5_000;

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
   * Decides, for a batch of entries (ARGV from 3 on: entry id, id, replay group triples), what to do
   * with each: 1 when the group already handled the id, or when the entry is a dead letter replayed for
   * another group (acknowledge, do not run); 2 when another entry carrying the same
   * id is still pending in the group (a copy: a publisher that retried an add whose reply it lost, or a
   * copy added by hand; acknowledge it, the pending one runs, retries or dead-letters); else 0 (run it),
   * after recording this entry as the id's owner. One round trip per batch, like the read.
   * KEYS: stream, handled, owners. ARGV: group, owners' time to live.
   */
  static final Script ADMIT = new Script("stream.admit", """
      local out = {}
      local owned = false
      for i = 3, #ARGV, 3 do
        local entry, id, replay = ARGV[i], ARGV[i + 1], ARGV[i + 2]
        local verdict = 0
        if replay ~= '' and replay ~= ARGV[1] then
          verdict = 1
        elseif id == '' then
          verdict = 0
        elseif redis.call('ZSCORE', KEYS[2], id) then
          verdict = 1
        else
          local owner = redis.call('HGET', KEYS[3], id)
          if owner and owner ~= entry
              and #redis.call('XPENDING', KEYS[1], ARGV[1], owner, owner, 1) > 0 then
            verdict = 2
          else
            redis.call('HSET', KEYS[3], id, entry)
            owned = true
          end
        end
        out[#out + 1] = verdict
      end
      if owned then
        redis.call('PEXPIRE', KEYS[3], ARGV[2])
      end
      return out
      """);

  /**
   * Records the id as handled, drops this entry's ownership of it and acknowledges the entry, in one
   * round trip; with ARGV[7] = '1' also deletes it from the stream, and with a KEYS[4] releases that key
   * if it still holds the id. KEYS: stream, handled, owners[, release].
   */
  static final Script ACK = new Script("stream.ack", """
      local now = tonumber(ARGV[4])
      local window = tonumber(ARGV[5])
      redis.call('ZADD', KEYS[2], now, ARGV[3])
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
      redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1 - tonumber(ARGV[6]))
      redis.call('PEXPIRE', KEYS[2], window)
      if redis.call('HGET', KEYS[3], ARGV[3]) == ARGV[2] then
        redis.call('HDEL', KEYS[3], ARGV[3])
      end
      local n = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
      if ARGV[7] == '1' then redis.call('XDEL', KEYS[1], ARGV[2]) end
      if KEYS[4] and redis.call('GET', KEYS[4]) == ARGV[3] then redis.call('DEL', KEYS[4]) end
      return n
      """);

  /**
   * Adds the entry (fields from ARGV[6] on) to the dead letters, drops its ownership of its id
   * (ARGV[5]) and acknowledges it; with ARGV[4] = '1' also deletes it from the stream, and with a
   * KEYS[4] releases that key if it holds the id. KEYS: stream, dead letters, owners[, release].
   */
  static final Script DEAD = new Script("stream.dead", """
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 6))
      if ARGV[5] ~= '' and redis.call('HGET', KEYS[3], ARGV[5]) == ARGV[2] then
        redis.call('HDEL', KEYS[3], ARGV[5])
      end
      local n = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
      if ARGV[4] == '1' then redis.call('XDEL', KEYS[1], ARGV[2]) end
      if KEYS[4] and redis.call('GET', KEYS[4]) == ARGV[5] then redis.call('DEL', KEYS[4]) end
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
  private final Semaphore slots;
  private final Thread reader;
  /** The lease renewal of held entries, on {@link Redwire#renewals()}. */
  private volatile java.util.concurrent.ScheduledFuture<?> renewal;
  /** Entries this consumer holds: running, queued, or waiting for a retry. */
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  /** Entries read but never started because the consumer was closing, with their delivery number. */
  private final Map<String, Integer> unstarted = new ConcurrentHashMap<>();
  private final io.redwire.runtime.Throttle refusals = new io.redwire.runtime.Throttle(java.time.Duration.ofSeconds(10));
  private volatile boolean running = true;
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
    this.slots = new Semaphore(settings.concurrency());
    AtomicInteger n = new AtomicInteger();
    this.handlers = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0,
        TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> daemon(r,
            "redwire-stream-" + settings.name() + "-" + n.incrementAndGet()));
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
        r -> daemon(r, "redwire-stream-" + settings.name() + "-retries"));
    t.setRemoveOnCancelPolicy(true);
    this.timers = t;
    this.reader = daemon(this::readLoop, "redwire-stream-" + settings.name());
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
        if (m.startsWith("NOGROUP")) {
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
      redwire.client().xgroupCreate(s.stream(), s.group(), START, true);
      log.debug("Stream consumer {}: created group", s.name());
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
        throw e;
      }
    }
  }

  private void readNew() {
    int free;
    try {
      if (!slots.tryAcquire(BLOCK_MILLIS, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return;
    }
    free = 1 + slots.drainPermits();
    List<StreamEntryBinary> read = new ArrayList<>();
    try {
      List<Map.Entry<byte[], List<StreamEntryBinary>>> reply = redwire.client().xreadGroupBinary(s.group(),
          consumer, XReadGroupParams.xReadGroupParams().count(free).block(BLOCK_MILLIS),
          Map.of(s.stream(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
      if (reply != null) {
        for (Map.Entry<byte[], List<StreamEntryBinary>> e : reply) {
          read.addAll(e.getValue());
        }
      }
    } catch (RuntimeException e) {
      slots.release(free);
      throw e;
    }
    if (read.size() < free) {
      slots.release(free - read.size());
    }
    List<StreamEntry> entries = new ArrayList<>(read.size());
    for (StreamEntryBinary b : read) {
      entries.add(new StreamEntry(b.getID().toString(), Replies.fields(b.getFields()), 1));
    }
    dispatch(entries, true);
  }

  /**
   * Keeps the entries this consumer holds (running, or waiting for a retry) from being reclaimed while
   * it is alive: every third of the reclaim time, {@code XCLAIM ... JUSTID} resets their idle time
   * (without counting a delivery). Only entries idle for at least that long are touched, so an entry
   * another consumer took over in the meantime stays with it. On {@link Redwire#renewals()}; never user
   * code.
   */
  private void heartbeat() {
    if (held.isEmpty() || !running) {
      return;
    }
    byte[][] ids = held.stream().map(StreamConsumer::bytes).toArray(byte[][]::new);
    try {
      redwire.client().xclaimJustId(s.stream(), s.group(), consumer, Math.max(1, s.reclaimIdleMillis() / 3 - 10),
          XClaimParams.xClaimParams(), ids);
    } catch (RuntimeException e) {
      if (running && !redwire.isClosed()) {
        redwire.failed(s.name(), "heartbeat", e);
      }
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
    dispatch(entries, false);
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

  /** Acknowledges entries the group already handled; hands the others to the handler threads. */
  private void dispatch(List<StreamEntry> entries, boolean holdSlots) {
    if (entries.isEmpty()) {
      return;
    }
    // every entry read holds a handler slot; an entry handed to a handler thread gives it back when it
    // is processed, and the finally block gives back all the others (skipped, already held here,
    // refused while closing, or not reached because the admission or an ack failed), or the consumer
    // would stop reading new entries for good
    int started = 0;
    try {
      List<Long> verdicts = admit(entries);
      for (int i = 0; i < entries.size(); i++) {
        StreamEntry e = entries.get(i);
        long verdict = verdicts.get(i);
        if (held.contains(e.id())) {
          // already running or waiting for a retry here (delivered again after the group was created
          // again): the run in progress finishes it
          continue;
        }
        if (verdict != 0) {
          skip(e, verdict);
          continue;
        }
        held.add(e.id());
        try {
          handlers.execute(() -> process(e, holdSlots));
          started++;
        } catch (RejectedExecutionException closing) {
          held.remove(e.id());
          unstarted.put(e.id(), e.delivery());
        }
      }
    } finally {
      if (holdSlots && started < entries.size()) {
        slots.release(entries.size() - started);
      }
    }
  }

  /** Acknowledges an entry without running it: 1 already handled (or replayed for another group), 2 a copy. */
  private void skip(StreamEntry e, long verdict) {
    byte[] entryId = e.id().getBytes(StandardCharsets.US_ASCII);
    if (verdict == 1 && (s.deleteOnAck() || s.releaseField() != null)) {
      ACK.run(redwire.client(), ackKeys(e), ackArgs(e)); // deleted and released as if handled now
    } else {
      // a copy of an entry in flight keeps the original's ownership and unique key: a plain ack
      redwire.client().xack(s.stream(), s.group(), entryId);
      if (s.deleteOnAck()) {
        redwire.client().xdel(s.stream(), entryId);
      }
    }
    if (verdict == 1) {
      events.skipped();
    } else {
      events.duplicate();
      log.info("Stream consumer {}: entry {} carries the id of an entry still pending; acknowledged"
          + " without running it", s.name(), e.id());
    }
  }


  /** One verdict per entry from {@link #ADMIT}: 0 run, 1 already handled, 2 a copy of a pending entry. */
  private List<Long> admit(List<StreamEntry> entries) {
    byte[][] keysAndArgs = new byte[5 + 3 * entries.size()][];
    keysAndArgs[0] = s.stream();
    keysAndArgs[1] = s.handled();
    keysAndArgs[2] = s.owners();
    keysAndArgs[3] = s.group();
    keysAndArgs[4] = bytes(Long.toString(s.handledRetainMillis()));
    for (int i = 0; i < entries.size(); i++) {
      byte[] id = entries.get(i).field(s.idField());
      byte[] replay = entries.get(i).field(REPLAY_FIELD);
      keysAndArgs[5 + 3 * i] = bytes(entries.get(i).id());
      keysAndArgs[6 + 3 * i] = id != null ? id : new byte[0];
      keysAndArgs[7 + 3 * i] = replay != null ? replay : new byte[0];
    }
    Object reply = ADMIT.run(redwire.client(), 3, keysAndArgs);
    List<Long> verdicts = new ArrayList<>(entries.size());
    for (Object o : (List<?>) reply) {
      verdicts.add((Long) o);
    }
    return verdicts;
  }

  // ---------------------------------------------------------------------------------- handling

  private void process(StreamEntry e, boolean holdsSlot) {
    boolean keep = false;
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
      long start = System.nanoTime();
      try {
        handler.handle(e);
      } catch (Poison p) {
        events.handled(System.nanoTime() - start, false);
        deadLetter(e, p.getMessage());
        return;
      } catch (Exception | LinkageError | AssertionError | StackOverflowError failure) {
        events.handled(System.nanoTime() - start, false);
        if (e.delivery() >= s.maxDeliveries()) {
          deadLetter(e, describe(failure));
        } else {
          keep = scheduleRetry(e, failure);
        }
        return;
      }
      events.handled(System.nanoTime() - start, true);
      ack(e);
    } finally {
      if (!keep) {
        held.remove(e.id());
      }
      if (holdsSlot) {
        slots.release();
      }
    }
  }

  private void ack(StreamEntry e) {
    writeUntilDone(e, "ack", () -> ACK.run(redwire.client(), ackKeys(e), ackArgs(e)));
    events.acked();
  }

  /**
   * The stream, the handled record, the owners, and the key to release (when the settings name one and
   * the entry has it).
   */
  private List<byte[]> ackKeys(StreamEntry e) {
    byte[] release = s.releaseField() == null ? null : e.field(s.releaseField());
    return release == null ? List.of(s.stream(), s.handled(), s.owners())
        : List.of(s.stream(), s.handled(), s.owners(), release);
  }

  private List<byte[]> ackArgs(StreamEntry e) {
    byte[] id = e.field(s.idField());
    return List.of(s.group(), bytes(e.id()), id == null ? new byte[0] : id,
        bytes(Long.toString(System.currentTimeMillis())), bytes(Long.toString(s.handledRetainMillis())),
        bytes(Long.toString(HANDLED_CAP)), bytes(s.deleteOnAck() ? "1" : "0"));
  }

  private void deadLetter(StreamEntry e, String reason) {
    List<byte[]> args = new ArrayList<>();
    args.add(s.group());
    args.add(bytes(e.id()));
    args.add(bytes(Long.toString(s.deadLetterMaxLen())));
    args.add(bytes(s.deleteOnAck() ? "1" : "0"));
    byte[] eventId = e.field(s.idField());
    args.add(eventId != null ? eventId : new byte[0]);
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
    List<byte[]> keys = release == null ? List.of(s.stream(), s.deadLetters(), s.owners())
        : List.of(s.stream(), s.deadLetters(), s.owners(), release);
    writeUntilDone(e, "dead-letter", () -> DEAD.run(redwire.client(), keys, args));
    log.warn("Stream consumer {}: entry {} moved to the dead letters: {}", s.name(), e.id(), reason);
    events.deadLettered(reason);
  }

  /**
   * Runs a write that must land (the ack of a handled entry): retried while Redis is down, for as
   * long as the consumer runs (plus the close bound), so an outage after the handler returned does not
   * run it again. A command error is reported and given up: the entry stays pending.
   */
  private void writeUntilDone(StreamEntry e, String op, Runnable write) {
    long backoff = 0;
    long deadline = Long.MAX_VALUE;
    while (true) {
      try {
        write.run();
        return;
      } catch (RuntimeException failure) {
        if (redwire.isClosed()) {
          log.warn("Stream consumer {}: could not {} entry {} before close; it stays pending", s.name(), op,
              e.id());
          return;
        }
        boolean outage = redwire.failed(s.name(), op, failure);
        if (!outage && String.valueOf(failure.getMessage()).startsWith("NOGROUP")) {
          log.warn("Stream consumer {}: {} of entry {} failed: the group is gone; it is delivered again"
              + " when the group is created again", s.name(), op, e.id(), failure);
          return;
        }
        if (!outage && refusals.tryAcquire()) {
          // a refusal (OOM under maxmemory, a key of another type) after the handler ran: giving up would
          // leave the entry to be reclaimed and run again; it stays held (renewed) and is tried again
          log.warn("Stream consumer {}: Redis refuses the {} of entry {} ({}); trying again until it lands"
              + " (logged at most every 10 s)", s.name(), op, e.id(), failure.toString());
        }
        if (!running) {
          deadline = Math.min(deadline, System.nanoTime() + s.closeWaitMillis() * 1_000_000L);
          if (System.nanoTime() - deadline > 0) {
            return;
          }
        }
        backoff = backoff == 0 ? 20 : Math.min(outage ? 250 : 1000, backoff * 2);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
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
   * waits one more second), and leaves every entry not yet finished pending for the other consumers.
   * Idempotent.
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
    java.util.concurrent.ScheduledFuture<?> r = renewal;
    if (r != null) {
      r.cancel(false);
    }
    timers.shutdownNow();
    try {
      // the reader's last read (at most BLOCK_MILLIS) is dispatched while the handlers still accept it
      reader.join(BLOCK_MILLIS * 4L);
      handlers.shutdown();
      if (!handlers.awaitTermination(s.closeWaitMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Stream consumer {}: handlers still running after {} ms; interrupting them (their entries"
            + " stay pending)", s.name(), s.closeWaitMillis());
        handlers.shutdownNow();
        handlers.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    giveBackUnstarted();
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
