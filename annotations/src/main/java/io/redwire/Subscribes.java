package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a listener interface that handles the events of {@link #channel()}: it takes
 * the event as its only parameter and returns {@code void} (or {@code CompletionStage<Void>}).
 *
 * <pre>{@code
 * public interface OrderEvents {
 *   @Subscribes(channel = "orders", group = "billing", maxDeliveries = 5, backoff = "1s")
 *   void placed(OrderPlaced event);
 * }
 * Subscription sub = RedwireOrderEvents.subscribe(billing, redwire);        // AutoCloseable
 * DeadLetters<OrderPlaced> dead = RedwireOrderEvents.deadLetters(redwire);   // list, replay, purge
 * }</pre>
 *
 * <p>Durable channels (the default) are read by a consumer group: every event is handled by one
 * consumer of the group, acknowledged only after the method returned, retried with exponential backoff
 * and jitter when it throws, reclaimed from a consumer that stopped after {@link #reclaimAfter()}, and
 * moved to the group's dead letters after {@link #maxDeliveries()} deliveries. An event the group
 * already handled (same event id) is acknowledged without calling the method again. Non-durable
 * channels deliver each message to every subscribed instance that is connected, at most once.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Subscribes {

  /** The channel, as named by the publisher. */
  String channel();

  /** Whether the channel is durable (a stream); must match the publisher. */
  boolean durable() default true;

  /**
   * The consumer group (durable only): every group gets every event once. Default {@code
   * <Interface>.<method>}.
   */
  String group() default "";

  /** How many events one subscription handles at once (threads). */
  int concurrency() default 1;

  /** Deliveries before the event goes to the dead letters (durable only); at least 1. */
  int maxDeliveries() default 5;

  /**
   * The wait before the first retry (durable only); each further retry waits twice as long (at most
   * 64 times this), plus up to 25 % random jitter.
   */
  String backoff() default "1s";

  /**
   * How long an event may stay unacknowledged with a consumer before another consumer of the group
   * takes it over (durable only): longer than the method ever runs.
   */
  String reclaimAfter() default "30s";
}
