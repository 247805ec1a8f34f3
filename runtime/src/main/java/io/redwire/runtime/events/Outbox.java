package io.redwire.runtime.events;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import java.util.ArrayDeque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.params.XAddParams;

/**
 * The durable events of one channel that could not be added to its stream yet (Redis down, or the
 * circuit breaker open), kept in publish order in a bounded local queue and added by one daemon thread
 * ({@code redwire-outbox-<channel>}) as soon as Redis answers. While it holds events, new events queue
 * behind them, so the stream keeps the publish order of this instance. A full outbox refuses new events
 * with {@link EventPublishException}; everything is counted ({@code eventOutboxed}, {@code
 * eventPublishFailed}). Events still waiting when the {@code Redwire} closes are logged as lost.
 * Capacity: {@value #CAPACITY} events per channel.
 */
final class Outbox implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  static final int CAPACITY = 10_000;

  private final Redwire redwire;
  private final Publication publication;
  private final byte[] stream;
  private final RedwireMetrics metrics;
  private final ArrayDeque<Map<byte[], byte[]>> queue = new ArrayDeque<>(); // guarded by this
  private Thread drainer; // guarded by this
  private boolean closed; // guarded by this

  private Outbox(Redwire redwire, Publication publication) {
    this.redwire = redwire;
    this.publication = publication;
    this.stream = Channels.stream(redwire, publication.channel());
    this.metrics = redwire.metrics();
  }

  /** The outbox of the channel (one per Redwire and channel). */
  static Outbox of(Redwire redwire, Publication publication) {
    return (Outbox) redwire.shared("events.outbox:" + publication.channel(), () -> new Outbox(redwire,
        publication));
  }

  void publish(Map<byte[], byte[]> fields) {
    synchronized (this) {
      if (!queue.isEmpty()) {
        enqueue(fields, null);
        return;
      }
    }
    RuntimeException failure = null;
    if (redwire.breaker().allow()) {
      try {
        add(fields);
        return;
      } catch (RuntimeException e) {
        if (!redwire.failed(publication.channel(), "publish", e)) {
          metrics.eventPublishFailed(publication.channel(), e);
          throw new EventPublishException("Redis refused the event for channel " + publication.channel(), e);
        }
        failure = e;
      }
    }
    synchronized (this) {
      enqueue(fields, failure);
    }
  }

  private void add(Map<byte[], byte[]> fields) {
    XAddParams params = XAddParams.xAddParams().approximateTrimming();
    if (publication.retainCount() > 0) {
      params.maxLen(publication.retainCount());
    } else {
      params.minId((System.currentTimeMillis() - publication.retainMillis()) + "-0");
    }
    redwire.client().xadd(stream, params, fields);
    redwire.breaker().success();
    metrics.eventPublished(publication.channel());
  }

  /** Under the lock. */
  private void enqueue(Map<byte[], byte[]> fields, RuntimeException cause) {
    if (closed) {
      IllegalStateException e = new IllegalStateException("Redwire is closed");
      metrics.eventPublishFailed(publication.channel(), e);
      throw e;
    }
    if (queue.size() >= CAPACITY) {
      EventPublishException e = new EventPublishException("The outbox of channel " + publication.channel()
          + " is full (" + CAPACITY + " events waiting for Redis); this event was not published", cause);
      metrics.eventPublishFailed(publication.channel(), e);
      throw e;
    }
    if (queue.isEmpty()) {
      log.warn("Redis is unreachable: durable events of channel {} wait in the local outbox (up to {})",
          publication.channel(), CAPACITY);
    }
    queue.addLast(fields);
    metrics.eventOutboxed(publication.channel(), queue.size());
    metrics.eventOutboxDepth(publication.channel(), queue.size());
    if (drainer == null) {
      drainer = new Thread(this::drain, "redwire-outbox-" + publication.channel());
      drainer.setDaemon(true);
      drainer.start();
      redwire.onClose(this);
    }
    notifyAll();
  }

  /** How many events wait. */
  synchronized int depth() {
    return queue.size();
  }

  private void drain() {
    long backoff = 0;
    while (true) {
      Map<byte[], byte[]> next;
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        next = queue.peekFirst();
      }
      try {
        add(next);
        backoff = 0;
        int depth;
        synchronized (this) {
          queue.pollFirst();
          depth = queue.size();
          if (depth == 0) {
            log.info("The outbox of channel {} is empty again: every waiting event was published",
                publication.channel());
          }
        }
        metrics.eventOutboxDepth(publication.channel(), depth);
      } catch (RuntimeException e) {
        if (redwire.isClosed()) {
          return;
        }
        if (!redwire.failed(publication.channel(), "publish", e)) {
          // a command error will not go away by itself: drop this event, loudly
          int depth;
          synchronized (this) {
            queue.pollFirst();
            depth = queue.size();
          }
          metrics.eventOutboxDepth(publication.channel(), depth);
          metrics.eventPublishFailed(publication.channel(), e);
          log.error("Redis refused an outboxed event of channel {}; it is dropped", publication.channel(), e);
          continue;
        }
        backoff = backoff == 0 ? 50 : Math.min(2_000, backoff * 2);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    int lost;
    synchronized (this) {
      closed = true;
      lost = queue.size();
      queue.clear();
      notifyAll();
    }
    if (lost > 0) {
      metrics.eventOutboxDepth(publication.channel(), 0);
      log.error("{} durable events of channel {} were never published: Redwire closed while Redis was"
          + " unreachable", lost, publication.channel());
      for (int i = 0; i < lost; i++) {
        metrics.eventPublishFailed(publication.channel(), new IllegalStateException("closed"));
      }
    }
  }
}
