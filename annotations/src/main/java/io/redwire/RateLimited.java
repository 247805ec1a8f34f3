package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Admits at most {@link #limit()} calls per {@link #per()}, decided atomically on the Redis server by its
 * clock, in one round trip for all limits of the method. Over the limit the call throws
 * {@code io.redwire.runtime.ratelimit.RateLimitedException} (or waits, with {@link OnLimit#WAIT}).
 *
 * <pre>{@code
 * @RateLimited(limit = 10, per = "1s", key = "{user.id}")
 * @RateLimited(limit = 1000, per = "1h", key = "{user.id}")
 * Receipt checkout(User user, Cart cart);
 * }</pre>
 *
 * <p>Unlike {@link Cached}, the key defaults to nothing: one bucket shared by every caller of the
 * method. Name the callers that get a bucket each, e.g. {@code key = "{user.id}"}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
@Repeatable(RateLimited.List.class)
public @interface RateLimited {

  /** Calls admitted per {@link #per()}; at least 1. */
  long limit();

  /** The period: {@code "250ms"}, {@code "1s"}, {@code "10m"}, {@code "1h"}, {@code "1d"} or ISO-8601 {@code "PT1M"}. Required. */
  String per() default "";

  /**
   * Key template such as {@code "{userId}"} or {@code "{user.tenant}:{user.id}"}: each distinct key gets its
   * own bucket. Empty (the default): one bucket for the whole method.
   */
  String key() default "";

  /**
   * {@link Algorithm#GCRA} only: how many calls may come at once from a full bucket; defaults to
   * {@link #limit()}. After the burst, one call is admitted every {@code per / limit}.
   */
  long burst() default 0;

  /** How calls are counted. */
  Algorithm algorithm() default Algorithm.GCRA;

  /** What a call over the limit does. */
  OnLimit onLimit() default OnLimit.THROW;

  /** What a call does when Redis cannot be reached: admitted (the default) or refused. Always counted and logged. */
  OnFailure onFailure() default OnFailure.ALLOW;

  /** With {@link OnLimit#WAIT} (and required there): the longest a call waits for a permit before it throws. */
  String maxWait() default "";

  /**
   * The limit's name, unique in the interface, for metrics, logs and run-time overrides
   * ({@code Redwire.builder().limit(name, permits, per)}). Defaults to the method name, or to
   * {@code <method>-<per>} (e.g. {@code search-1s}) when the method has several limits.
   */
  String name() default "";

  /** How calls are counted against a limit. */
  enum Algorithm {
    /**
     * Generic cell rate algorithm (a token bucket without a refill timer): up to {@code burst} calls
     * at once, then one every {@code per / limit}. One small string per key.
     */
    GCRA,
    /**
     * Exact sliding window: at most {@code limit} calls in any interval of length {@code per}. Keeps
     * the admission times of the last window, so memory per key grows with {@code limit}.
     */
    SLIDING_WINDOW,
    /** At most {@code limit} calls per window; windows are aligned to multiples of {@code per} since the epoch. */
    FIXED_WINDOW
  }

  /** What a call over the limit does. */
  enum OnLimit {
    /** Throw {@code RateLimitedException} at once. */
    THROW,
    /** Sleep until the server says a permit is free, up to {@link RateLimited#maxWait()}, then throw. */
    WAIT
  }

  /** What a call does when Redis is unreachable or the circuit breaker is open. */
  enum OnFailure {
    /** Admit the call (fail open). */
    ALLOW,
    /** Refuse the call with {@code RateLimitedException} (fail closed). */
    DENY
  }

  /** Holds repeated {@code @RateLimited} annotations. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  @interface List {
    RateLimited[] value();
  }
}
