package io.redwire.runtime.ratelimit;

import java.util.Objects;

/**
 * One compiled {@code @RateLimited}: {@code limit} calls per {@code perMillis}, as the processor read it.
 *
 * @param name the limit's name (metrics, logs, overrides through {@code Redwire.builder().limit})
 * @param limit calls per period, at least 1
 * @param perMillis the period in milliseconds, positive
 * @param burst GCRA only: calls admitted at once from a full bucket; 0 means "the limit"
 * @param tag which of the key tags passed to {@link RateLimiter#acquire} this limit is keyed by
 */
public record RateLimit(String name, long limit, long perMillis, long burst, int tag) {

  /** Validates the values. */
  public RateLimit {
    Objects.requireNonNull(name, "name");
    if (limit < 1 || perMillis < 1 || burst < 0 || tag < 0) {
      throw new IllegalArgumentException(
          "limit " + name + ": need limit >= 1, per >= 1 ms, burst >= 0, tag >= 0; got " + limit + ", "
              + perMillis + " ms, " + burst + ", " + tag);
    }
  }
}
