package io.redwire.runtime.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A call refused by a {@code @RateLimited} limit: what the limit is, what is left, and when to come back,
 * ready to become an HTTP {@code 429} with {@code Retry-After} and {@code RateLimit-*} headers.
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
  private final long resetMicros;
  private final boolean redisFailure;

  /**
   * @param name the limit that refused the call
   * @param limit its calls per period
   * @param perMillis its period in milliseconds
   * @param remaining calls still admitted now (0 for a refused call, unless the limit was lowered)
   * @param retryAfterMicros how long until the next call would be admitted, by the server's clock
   * @param resetMicros how long until the limit is fully reset (the key expires)
   * @param cause the Redis failure when the call was refused by {@code onFailure = DENY}, else null
   */
  public RateLimitedException(String name, long limit, long perMillis, long remaining, long retryAfterMicros,
      long resetMicros, Throwable cause) {
    super(message(name, limit, perMillis, retryAfterMicros, cause), cause, true, false);
    this.name = name;
    this.limit = limit;
    this.perMillis = perMillis;
    this.remaining = remaining;
    this.retryAfterMicros = retryAfterMicros;
    this.resetMicros = resetMicros;
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

  /** How long until the limit is fully reset: every permit back, the key gone. */
  public Duration reset() {
    return Duration.ofNanos(resetMicros * 1000);
  }

  /** {@link #reset()} in microseconds. */
  public long resetMicros() {
    return resetMicros;
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
   * The {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset} (seconds, rounded up)
   * and {@code RateLimit-Policy} ({@code "<limit>;w=<window seconds>"}) headers of
   * draft-ietf-httpapi-ratelimit-headers-07, plus {@code Retry-After}, in that order.
   */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("RateLimit-Limit", Long.toString(limit));
    h.put("RateLimit-Remaining", Long.toString(remaining));
    h.put("RateLimit-Reset", Long.toString(ceilSeconds(retryAfterMicros)));
    h.put("RateLimit-Policy", limit + ";w=" + Math.max(1, (perMillis + 999) / 1000));
    h.put("Retry-After", retryAfterHeader());
    return h;
  }

  private static long ceilSeconds(long micros) {
    return micros <= 0 ? 0 : (micros + 999_999) / 1_000_000;
  }
}
