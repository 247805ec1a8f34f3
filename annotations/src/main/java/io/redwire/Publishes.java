package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Publishes an event on {@link #channel()} after the method returned normally: its result, or the
 * parameter marked {@link Payload}.
 *
 * <pre>{@code
 * @Publishes(channel = "orders", retain = "7d")
 * OrderPlaced place(Cart cart);                   // the result is published after place() returns
 *
 * @Publishes(channel = "prices", durable = false)
 * void change(@Payload PriceChanged change);      // a parameter is the payload
 * }</pre>
 *
 * <p>Every event travels in an envelope: a unique, time-ordered event id, the publish time and the
 * payload through its generated codec (with its type's fingerprint). Durable events ({@code durable =
 * true}, the default) are one {@code XADD} to a Redis stream, trimmed by {@link #retain()}; when Redis
 * is down they wait in a bounded local outbox, retried in order. Non-durable events are one
 * {@code PUBLISH}: listeners that are not connected miss them. A failed method publishes nothing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Publishes {

  /** The channel: letters, digits, {@code .}, {@code _} and {@code -}; shared by name with listeners. */
  String channel();

  /** A stream (at-least-once, consumer groups, dead letters) or pub/sub (at-most-once). */
  boolean durable() default true;

  /**
   * How much of a durable channel's stream is kept: an age ({@code "7d"}, {@code "12h"}) or a number of
   * entries ({@code "100000"}); trimmed approximately on every publish. Never unbounded; default 1 day.
   * Only for durable channels.
   */
  String retain() default "";
}
