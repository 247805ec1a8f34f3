package io.redwire.runtime.events;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.Values;
import io.redwire.runtime.pubsub.ShardedSubscriber;
import io.redwire.runtime.pubsub.Subscriber;
import io.redwire.runtime.stream.Poison;
import io.redwire.runtime.stream.StreamConsumer;
import io.redwire.runtime.stream.StreamEntry;
import io.redwire.runtime.stream.StreamSettings;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code @Subscribes} method: a {@link StreamConsumer} in the method's group for a durable
 * channel, or a listener on the shared pub/sub connection for a non-durable one. Events are decoded
 * with the method's codec; bytes that cannot be decoded (another fingerprint, damaged) are poison:
 * dead-lettered at once (durable) or dropped and counted (pub/sub), never stopping the listener.
 */
public final class EventConsumer<T> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);
  private static final int PUBSUB_QUEUE = 10_000;

  private final StreamConsumer stream;
  private final PubSub<T> pubsub;

  private EventConsumer(StreamConsumer stream, PubSub<T> pubsub) {
    this.stream = stream;
    this.pubsub = pubsub;
  }

  /** Starts listening on background threads and returns at once. */
  public static <T> EventConsumer<T> start(Redwire redwire, Listening l, long fingerprint, Codec<T> codec,
      EventHandler<T> handler, SubscribeOptions options) {
    redwire.ensureOpen();
    if (!l.durable()) {
      return new EventConsumer<>(null, PubSub.start(redwire, l, fingerprint, codec, handler,
          options.threads(l.concurrency())));
    }
    String name = l.channel() + "/" + l.group();
    StreamSettings settings = new StreamSettings(name, Channels.stream(redwire, l.channel()),
        l.group().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Channels.deadLetters(redwire, l.channel(), l.group()), Channels.handled(redwire, l.channel(), l.group()),
        Envelope.ID, options.threads(l.concurrency()), l.maxDeliveries(), l.backoffMillis(),
        options.reclaimAfterMillis(l.reclaimAfterMillis()), options.handledRetainMillis(),
        options.deadLetterMaxLen(), options.closeWaitMillis());
    StreamConsumer.Handler decode = entry -> handler.handle(decode(entry, fingerprint, codec));
    return new EventConsumer<>(StreamConsumer.start(redwire, settings, options.consumerName(), decode,
        new Metrics(redwire.metrics(), l.channel(), l.group())), null);
  }

  private static <T> T decode(StreamEntry entry, long fingerprint, Codec<T> codec) {
    byte[] data = entry.field(Envelope.DATA);
    if (data == null) {
      throw new Poison("undecodable: no '" + Envelope.DATA + "' field", null);
    }
    try {
      return Values.decode(fingerprint, codec, data);
    } catch (RuntimeException e) {
      throw new Poison("undecodable: " + e.getMessage(), e);
    }
  }

  /** The stream consumer's name in its group (durable channels), else null. */
  public String consumerName() {
    return stream == null ? null : stream.consumerName();
  }

  @Override
  public void close() {
    if (stream != null) {
      stream.close();
    }
    if (pubsub != null) {
      pubsub.close();
    }
  }

  /** Forwards what the stream consumer does to {@link RedwireMetrics}. */
  private record Metrics(RedwireMetrics m, String channel, String group) implements StreamConsumer.Events {
    @Override
    public void delivered(StreamEntry entry) {
      m.eventDelivered(channel, group);
    }

    @Override
    public void handled(long nanos, boolean success) {
      m.eventHandled(channel, group, nanos, success);
    }

    @Override
    public void acked() {
      m.eventAcked(channel, group);
    }

    @Override
    public void skipped() {
      m.eventSkipped(channel, group);
    }

    @Override
    public void duplicate() {
      m.eventSkipped(channel, group);
    }

    @Override
    public void lag(long entries) {
      m.eventGroupLag(channel, group, entries);
    }

    @Override
    public void retried(int nextDelivery) {
      m.eventRetried(channel, group, nextDelivery);
    }

    @Override
    public void deadLettered(String reason) {
      m.eventDeadLettered(channel, group, reason);
    }

    @Override
    public void reclaimed(int count) {
      m.eventReclaimed(channel, group, count);
    }

    @Override
    public void handedBack(int count) {
      m.eventHandedBack(channel, group, count);
    }

    @Override
    public void recovered(String what) {
      m.eventListenerRecovered(channel, group, what);
    }
  }

  /**
   * A non-durable listener: messages arrive on the shared subscriber's thread and are handed to
   * {@code concurrency} handler threads through a bounded queue (when it is full, messages are dropped
   * and counted: pub/sub is at most once anyway).
   */
  private static final class PubSub<T> implements Subscriber.Listener, AutoCloseable {
    private final Redwire redwire;
    private final Listening l;
    private final long fingerprint;
    private final Codec<T> codec;
    private final EventHandler<T> handler;
    private final ThreadPoolExecutor pool;
    private final byte[] channel;
    private volatile boolean wasInactive;

    private PubSub(Redwire redwire, Listening l, long fingerprint, Codec<T> codec, EventHandler<T> handler,
        int concurrency) {
      this.redwire = redwire;
      this.l = l;
      this.fingerprint = fingerprint;
      this.codec = codec;
      this.handler = handler;
      this.channel = Channels.pubsub(redwire, l.channel());
      AtomicInteger n = new AtomicInteger();
      this.pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(PUBSUB_QUEUE), r -> {
            Thread t = new Thread(r, "redwire-events-" + l.channel() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
    }

    static <T> PubSub<T> start(Redwire redwire, Listening l, long fingerprint, Codec<T> codec,
        EventHandler<T> handler, int concurrency) {
      PubSub<T> p = new PubSub<>(redwire, l, fingerprint, codec, handler, concurrency);
      if (ShardedSubscriber.isCluster(redwire.client())) {
        ShardedSubscriber.of(redwire).subscribe(p.channel, p); // SSUBSCRIBE where the cluster has it
      } else {
        Subscriber.of(redwire).subscribe(p.channel, p);
      }
      redwire.onClose(p);
      return p;
    }

    @Override
    public void onMessage(byte[] ch, byte[] message) {
      try {
        pool.execute(() -> handle(message));
      } catch (RejectedExecutionException full) {
        redwire.metrics().eventDeadLettered(l.channel(), "", "dropped: listener queue full");
        log.warn("Listener of channel {} is behind: a message was dropped", l.channel());
      }
    }

    private void handle(byte[] message) {
      RedwireMetrics m = redwire.metrics();
      T event;
      try {
        Envelope.Parsed e = Envelope.parse(message);
        event = Values.decode(fingerprint, codec, e.data());
      } catch (RuntimeException undecodable) {
        m.eventDeadLettered(l.channel(), "", "undecodable: " + undecodable.getMessage());
        log.warn("Undecodable message on channel {} dropped: {}", l.channel(), undecodable.toString());
        return;
      }
      m.eventDelivered(l.channel(), "");
      long start = System.nanoTime();
      try {
        handler.handle(event);
        m.eventHandled(l.channel(), "", System.nanoTime() - start, true);
      } catch (Exception | LinkageError | AssertionError failure) {
        m.eventHandled(l.channel(), "", System.nanoTime() - start, false);
        log.warn("Listener of channel {} failed (not durable: not retried)", l.channel(), failure);
      }
    }

    @Override
    public void onActive() {
      if (wasInactive) {
        wasInactive = false;
        redwire.metrics().eventListenerRecovered(l.channel(), "", "resubscribed");
        log.info("Listener of channel {} is subscribed again (messages in between were missed)", l.channel());
      }
    }

    @Override
    public void onInactive() {
      wasInactive = true;
    }

    @Override
    public void close() {
      try {
        if (ShardedSubscriber.isCluster(redwire.client())) {
          ShardedSubscriber.of(redwire).unsubscribe(channel, this);
        } else {
          Subscriber.of(redwire).unsubscribe(channel, this);
        }
      } catch (RuntimeException closed) {
        // the Redwire is closing: its subscriber goes with it
      }
      pool.shutdown();
      try {
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
