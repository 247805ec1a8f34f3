package io.redwire.runtime.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A call refused by a {@code @RateLimited} limit: what the limit is, what is left, and when to come back,
 * ready to become an HTTP {@code 429} with {@code Retry-After} and the {@code RateLimit} and {@code
 * RateLimit-Policy} fields of draft-ietf-httpapi-ratelimit-headers-07.
 *
 * <p>{@link #reset()} follows the draft: the time until quota units of the refusing limit are available
 * again, which for a refused call is the same moment as {@code Retry-After} (section 4: "the reset keyword
 * value SHOULD reference the same point in time as the Retry-After field value"). The time until
 * <em>every</em> unit is back (the limit's key expires) is {@link #fullReset()}.
 *
 * <p>Thrown on hot paths under overload, so it carries no stack trace.
 */
public final class RateLimitedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final long limit;
  private final long perMillis;
  private final long remaining;
  private final long retryAfterMicros;
  private final long fullResetMicros;
  private final boolean redisFailure;

  /**
   * @param name the limit that refused the call
   * @param limit its calls per period
   * @param perMillis its period in milliseconds
   * @param remaining calls still admitted now (0 for a refused call, unless the limit was lowered)
   * @param retryAfterMicros how long until the next call would be admitted, by the server's clock
   * @param fullResetMicros how long until the limit is fully reset: every unit back, the key expired
   * @param cause the Redis failure when the call was refused by {@code onFailure = DENY}, else null
   */
  public RateLimitedException(String name, long limit, long perMillis, long remaining, long retryAfterMicros,
      long fullResetMicros, Throwable cause) {
    super(message(name, limit, perMillis, retryAfterMicros, cause), cause, true, false);
    this.name = name;
    this.limit = limit;
    this.perMillis = perMillis;
    this.remaining = remaining;
    this.retryAfterMicros = retryAfterMicros;
    this.fullResetMicros = Math.max(fullResetMicros, retryAfterMicros);
    this.redisFailure = cause != null;
  }

  private static String message(String name, long limit, long perMillis, long retryAfterMicros, Throwable cause) {
    String rate = "rate limit " + name + " (" + limit + " per " + Duration.ofMillis(perMillis).toString()
        .substring(2).toLowerCase(java.util.Locale.ROOT) + ")";
    return cause != null
        ? rate + ": Redis is unavailable and the limit denies on failure"
        : rate + " exceeded; retry after " + String.format(java.util.Locale.ROOT, "%.3f", retryAfterMicros / 1000.0)
            + " ms";
  }

  /** The name of the limit that refused the call. */
  public String name() {
    return name;
  }

  /** The limit: calls per {@link #per()}. */
  public long limit() {
    return limit;
  }

  /** The limit's period. */
  public Duration per() {
    return Duration.ofMillis(perMillis);
  }

  /** Calls still admitted right now (normally 0). */
  public long remaining() {
    return remaining;
  }

  /** How long until a call would be admitted, measured by the Redis server at the decision. */
  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterMicros * 1000);
  }

  /** {@link #retryAfter()} in microseconds. */
  public long retryAfterMicros() {
    return retryAfterMicros;
  }

  /**
   * How long until the refusing limit's quota resets, as the draft's {@code reset} means it: when a call
   * will be admitted again. For a refused call this is {@link #retryAfter()}, so {@code reset} in {@link
   * #headers()} and {@code Retry-After} name the same moment.
   */
  public Duration reset() {
    return retryAfter();
  }

  /** {@link #reset()} in microseconds. */
  public long resetMicros() {
    return retryAfterMicros;
  }

  /** How long until the limit is fully reset: every unit back (the whole burst), its key expired. */
  public Duration fullReset() {
    return Duration.ofNanos(fullResetMicros * 1000);
  }

  /** {@link #fullReset()} in microseconds. */
  public long fullResetMicros() {
    return fullResetMicros;
  }

  /** True when the call was refused because Redis could not be asked ({@code onFailure = DENY}). */
  public boolean redisFailure() {
    return redisFailure;
  }

  /** The {@code Retry-After} header value: whole seconds, rounded up, at least 1 when there is any wait. */
  public String retryAfterHeader() {
    return Long.toString(ceilSeconds(retryAfterMicros));
  }

  /**
   * The header fields of draft-ietf-httpapi-ratelimit-headers-07 for a {@code 429}, in this order:
   * {@code RateLimit-Policy} ({@code "<limit>;w=<window seconds>"}), {@code RateLimit} ({@code
   * "limit=<limit>, remaining=<remaining>, reset=<seconds>"}, reset as {@link #reset()}, rounded up) and
   * {@code Retry-After} (the same number of seconds).
   */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("RateLimit-Policy", limit + ";w=" + Math.max(1, (perMillis + 999) / 1000));
    h.put("RateLimit", "limit=" + limit + ", remaining=" + remaining + ", reset=" + ceilSeconds(retryAfterMicros));
    h.put("Retry-After", retryAfterHeader());
    return h;
  }

  private static long ceilSeconds(long micros) {
    return micros <= 0 ? 0 : (micros + 999_999) / 1_000_000;
  }
}
