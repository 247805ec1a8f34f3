package io.redwire.runtime.events;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.Values;
import io.redwire.runtime.pubsub.ShardedSubscriber;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the events of one {@code @Publishes} method: encodes the payload (with its fingerprint),
 * wraps it in an {@link Envelope} with a new {@link EventIds event id} and the publish time, and sends
 * it: one {@code PUBLISH} (not durable: a failure is counted and logged, never thrown; {@code SPUBLISH}
 * on a Redis Cluster that has sharded pub/sub, see {@link ShardedSubscriber}) or one {@code
 * XADD} trimmed by the channel's retention (durable: when Redis is down the event waits in the
 * channel's {@link Outbox}; a full outbox or a command error throws {@link EventPublishException}).
 * Built once per generated proxy; no I/O until the first publish.
 */
public final class EventPublisher<T> {

  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

  private final Redwire redwire;
  private final Publication publication;
  private final long fingerprint;
  private final Codec<T> codec;
  private final RedwireMetrics metrics;
  private final byte[] pubsub;
  private final boolean cluster;
  private final Outbox outbox;
  private final io.redwire.runtime.Throttle skipped = new io.redwire.runtime.Throttle(java.time.Duration.ofSeconds(10));

  private EventPublisher(Redwire redwire, Publication publication, long fingerprint, Codec<T> codec) {
    this.redwire = redwire;
    this.publication = publication;
    this.fingerprint = fingerprint;
    this.codec = codec;
    this.metrics = redwire.metrics();
    this.pubsub = publication.durable() ? null : Channels.pubsub(redwire, publication.channel());
    this.cluster = ShardedSubscriber.isCluster(redwire.client());
    this.outbox = publication.durable() ? Outbox.of(redwire, publication) : null;
  }

  public static <T> EventPublisher<T> of(Redwire redwire, Publication publication, long fingerprint,
      Codec<T> codec) {
    return new EventPublisher<>(redwire, publication, fingerprint, codec);
  }

  /**
   * Publishes {@code payload}. A null payload is not published (counted as a publish failure and
   * logged): an event always carries a value.
   *
   * @throws EventPublishException for a durable channel whose event could not be published or kept
   */
  public void publish(T payload) {
    String channel = publication.channel();
    if (payload == null) {
      NullPointerException npe = new NullPointerException("null payload on channel " + channel);
      metrics.eventPublishFailed(channel, npe);
      log.warn("Nothing published on channel {}: the payload is null", channel);
      return;
    }
    byte[] data;
    try {
      data = Values.encode(fingerprint, codec, payload);
    } catch (RuntimeException e) {
      metrics.eventPublishFailed(channel, e);
      throw new EventPublishException("The event for channel " + channel + " could not be encoded", e);
    }
    long at = System.currentTimeMillis();
    String id = EventIds.next(at);
    if (outbox != null) {
      Map<byte[], byte[]> fields = Envelope.fields(id, at, data);
      outbox.publish(fields);
      return;
    }
    if (!redwire.breaker().allow()) { // Redis is known to be down: fail fast, as every other pattern does
      metrics.eventPublishFailed(channel, new IllegalStateException("circuit open"));
      if (skipped.tryAcquire()) {
        log.warn("Events on channel {} not published while Redis is unreachable (not durable: dropped;"
            + " logged at most every 10 s)", channel);
      }
      return;
    }
    try {
      if (cluster && ShardedSubscriber.supported(redwire)) {
        ShardedSubscriber.publish(redwire.client(), pubsub, Envelope.message(id, at, data));
      } else {
        redwire.client().publish(pubsub, Envelope.message(id, at, data));
      }
      redwire.breaker().success();
      metrics.eventPublished(channel);
    } catch (RuntimeException e) {
      redwire.failed(channel, "publish", e);
      metrics.eventPublishFailed(channel, e);
      if (skipped.tryAcquire()) {
        log.warn("Event {} on channel {} not published (not durable: dropped; logged at most every 10 s): {}",
            id, channel, e.toString());
      }
    }
  }
}
