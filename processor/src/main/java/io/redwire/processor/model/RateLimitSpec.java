package io.redwire.processor.model;

/**
 * One {@code @RateLimited} on a method, as read: the rate, the key and the policies. Durations are in
 * milliseconds, -1 when missing or malformed (already reported).
 *
 * @param burst the declared burst, 0 when left at its default (the limit)
 * @param key the parsed key template; empty segments for one bucket per method; null when it was invalid
 * @param maxWaitMillis 0 when not given
 */
public record RateLimitSpec(
    Origin origin,
    String name,
    long limit,
    long perMillis,
    long burst,
    KeyTemplate key,
    Algorithm algorithm,
    OnLimit onLimit,
    OnFailure onFailure,
    long maxWaitMillis) {

  /** Mirrors {@code io.redwire.RateLimited.Algorithm}. */
  public enum Algorithm {
    GCRA, SLIDING_WINDOW, FIXED_WINDOW
  }

  /** Mirrors {@code io.redwire.RateLimited.OnLimit}. */
  public enum OnLimit {
    THROW, WAIT
  }

  /** Mirrors {@code io.redwire.RateLimited.OnFailure}. */
  public enum OnFailure {
    ALLOW, DENY
  }
}
