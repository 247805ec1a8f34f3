package io.redwire.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate: {@code permits} per {@code per}.
 *
 * @param permits how many calls are admitted per period, at least 1
 * @param per the period, positive
 */
public record Limit(long permits, Duration per) {

  /** Validates the rate. */
  public Limit {
    Objects.requireNonNull(per, "per");
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be >= 1, got " + permits);
    }
    if (per.isNegative() || per.isZero()) {
      throw new IllegalArgumentException("per must be positive, got " + per);
    }
  }
}
