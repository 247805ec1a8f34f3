package io.redwire.runtime.queue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.codec.CodecException;
import io.redwire.runtime.codec.Input;
import io.redwire.runtime.pubsub.Subscriber;
import io.redwire.runtime.script.Script;
import io.redwire.runtime.stream.Poison;
import io.redwire.runtime.stream.StreamConsumer;
import io.redwire.runtime.stream.StreamEntry;
import io.redwire.runtime.stream.StreamSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one queue in one process: a {@link StreamConsumer} in the queue's group
 * ({@code workers}), which gives jobs their delivery guarantees (ack after the method returned, the
 * lease renewed while a job runs, a stopped worker's jobs reclaimed after the lease, retries with
 * backoff and jitter, dead jobs with their last error), and one promoter thread that moves delayed jobs
 * that fell due into the queue.
 *
 * <p>Promotion runs on the server's clock: one script takes the due jobs ({@code TIME}, then
 * {@code ZRANGEBYSCORE}), adds them to the stream and answers how long until the next one is due; the
 * promoter waits that long (at most a second), or until the queue's wake channel says a job was
 * delayed to an earlier time. An idle worker therefore starts a delayed job a few milliseconds after it
 * is due. Every worker of a queue promotes; the script makes that safe.
 *
 * <p>A job's data that cannot be decoded (another shape of its arguments after a deploy, damaged bytes,
 * a job name this interface does not have) is dead at once, never retried. An attempt that outlives
 * the queue's {@code timeout} is interrupted (from {@link Redwire#renewals()}) and fails.
 */
public final class QueueWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
  private static final int PROMOTE_BATCH = 100;
  private static final long IDLE_POLL_MILLIS = 1_000;

  /**
   * KEYS: stream, delayed set. ARGV: most jobs to move. Moves due jobs to the stream; returns {moved,
   * milliseconds until the next is due (-1: none left)}.
   */
  static final Script PROMOTE = new Script("queue.promote", """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
      for _, m in ipairs(due) do
        local f = {}
        local pos = 1
        while pos <= #m do
          local c = string.find(m, ':', pos, true)
          local n = tonumber(string.sub(m, pos, c - 1))
          f[#f + 1] = string.sub(m, c + 1, c + n)
          pos = c + n + 1
        end
        redis.call('XADD', KEYS[1], '*', unpack(f))
        redis.call('ZREM', KEYS[2], m)
      end
      local nxt = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
      if #nxt == 0 then return {#due, -1} end
      return {#due, math.max(0, tonumber(nxt[2]) - now)}
      """);

  private final Redwire redwire;
  private final QueueSettings settings;
  private final Queues keys;
  private final JobCodec codec;
  private final RedwireMetrics metrics;
  private final Semaphore wake = new Semaphore(0);
  private final Thread promoter;
  private final Subscriber.Listener wakeListener;
  private volatile StreamConsumer consumer;
  private volatile boolean running = true;

  private QueueWorker(Redwire redwire, QueueSettings settings, JobCodec codec) {
    this.redwire = redwire;
    this.settings = settings;
    this.keys = new Queues(redwire, settings.queue());
    this.codec = codec;
    this.metrics = redwire.metrics();
    this.promoter = new Thread(this::promoteLoop, "redwire-queue-" + settings.queue() + "-promoter");
    this.promoter.setDaemon(true);
    this.wakeListener = new Subscriber.Listener() {
      @Override
      public void onMessage(byte[] channel, byte[] message) {
        wake.release();
      }

      @Override
      public void onActive() {
        wake.release(); // messages may have been missed while the connection was down
      }
    };
  }

  /**
   * Starts working {@code settings.queue()} on background threads and returns at once; closed with
   * {@code redwire} or by {@link #close()}.
   */
  public static QueueWorker start(Redwire redwire, QueueSettings settings, JobCodec codec, WorkOptions options) {
    redwire.ensureOpen();
    QueueWorker w = new QueueWorker(redwire, settings, codec);
    Queues k = w.keys;
    StreamSettings s = new StreamSettings(settings.queue(), k.stream, Queues.GROUP, k.dead, k.handled,
        Queues.ID, options.concurrency(), settings.maxAttempts(), settings.backoffMillis(),
        options.leaseMillis(), options.handledRetainMillis(), options.deadMaxLen(), options.closeWaitMillis(),
        true, Queues.UNIQUE, true);
    redwire.onClose(w);
    w.consumer = StreamConsumer.start(redwire, s, options.consumerName(), w::handle, new Events(w.metrics,
        settings.queue()));
    Subscriber.of(redwire).subscribe(k.wake, w.wakeListener);
    w.promoter.start();
    return w;
  }

  /** This worker's name in the queue's consumer group. */
  public String consumerName() {
    return consumer.consumerName();
  }

  // ----------------------------------------------------------------------------------- running

  private void handle(StreamEntry entry) throws Exception {
    String name = entry.text(Queues.JOB);
    byte[] data = entry.field(Queues.DATA);
    if (name == null || data == null) {
      throw new Poison("undecodable: no '" + Queues.JOB + "' or '" + Queues.DATA + "' field", null);
    }
    Job job;
    try {
      Input in = new Input(data);
      job = codec.decode(name, in);
      if (job == null) {
        throw new Poison("undecodable: queue " + settings.queue() + " has no job '" + name + "' here", null);
      }
      in.expectEnd();
    } catch (CodecException e) {
      throw new Poison("undecodable: " + e.getMessage(), e);
    }
    if (settings.timeoutMillis() <= 0) {
      job.run();
      return;
    }
    runWithTimeout(job, name);
  }

  /** 0 running, 1 done, 2 timed out. */
  private void runWithTimeout(Job job, String name) throws Exception {
    AtomicInteger state = new AtomicInteger();
    Thread runner = Thread.currentThread();
    ScheduledFuture<?> timer = redwire.renewals().schedule(() -> {
      synchronized (state) { // so the interrupt lands before the runner clears it
        if (state.compareAndSet(0, 2)) {
          runner.interrupt();
        }
      }
    }, settings.timeoutMillis(), TimeUnit.MILLISECONDS);
    Exception failure = null;
    try {
      job.run();
    } catch (Exception e) {
      failure = e;
    } finally {
      timer.cancel(false);
    }
    boolean timedOut;
    synchronized (state) {
      timedOut = !state.compareAndSet(0, 1);
      if (timedOut) {
        Thread.interrupted(); // the interrupt was for this attempt only
      }
    }
    if (timedOut) {
      metrics.jobTimedOut(settings.queue());
      JobTimeoutException timeout = new JobTimeoutException("job " + name + " of queue " + settings.queue()
          + " ran longer than its timeout of " + settings.timeoutMillis() + " ms");
      if (failure != null) {
        timeout.addSuppressed(failure);
      }
      throw timeout;
    }
    if (failure != null) {
      throw failure;
    }
  }

  // --------------------------------------------------------------------------------- promoting

  private void promoteLoop() {
    long backoff = 0;
    while (running) {
      long wait;
      try {
        List<?> r = (List<?>) PROMOTE.run(redwire.client(), 2, keys.stream, keys.delayed,
            Long.toString(PROMOTE_BATCH).getBytes(StandardCharsets.US_ASCII));
        int moved = ((Number) r.get(0)).intValue();
        long next = ((Number) r.get(1)).longValue();
        if (moved > 0) {
          metrics.jobPromoted(settings.queue(), moved);
        }
        backoff = 0;
        if (moved >= PROMOTE_BATCH || next == 0) {
          continue;
        }
        wait = next < 0 ? IDLE_POLL_MILLIS : Math.min(next, IDLE_POLL_MILLIS);
      } catch (RuntimeException e) {
        if (!running || redwire.isClosed()) {
          return;
        }
        redwire.failed(settings.queue(), "promote", e);
        if (backoff == 0) {
          log.warn("Queue {}: cannot promote delayed jobs: {}; retrying with backoff", settings.queue(),
              e.toString());
        }
        backoff = backoff == 0 ? 50 : Math.min(2_000, backoff * 2);
        wait = backoff;
      }
      try {
        if (wake.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // ----------------------------------------------------------------------------------- closing

  /**
   * Stops taking jobs and promoting, lets running jobs finish within the close wait (then interrupts
   * them), and leaves unfinished jobs pending: another worker runs them after their lease. Idempotent.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    promoter.interrupt();
    try {
      Subscriber.of(redwire).unsubscribe(keys.wake, wakeListener);
    } catch (RuntimeException closing) {
      // the Redwire is closing: its subscriber goes with it
    }
    StreamConsumer c = consumer;
    if (c != null) {
      c.close();
    }
  }

  /** Forwards what the stream consumer does to {@link RedwireMetrics}. */
  private record Events(RedwireMetrics m, String queue) implements StreamConsumer.Events {
    @Override
    public void handled(long nanos, boolean success) {
      m.jobRan(queue, nanos, success);
    }

    @Override
    public void retried(int nextDelivery) {
      m.jobRetried(queue, nextDelivery);
    }

    @Override
    public void deadLettered(String reason) {
      m.jobDead(queue, reason);
    }

    @Override
    public void reclaimed(int count) {
      m.jobReclaimed(queue, count);
    }

    @Override
    public void handedBack(int count) {
      m.jobHandedBack(queue, count);
    }

    @Override
    public void recovered(String what) {
      m.jobWorkerRecovered(queue, what);
    }
  }
}
