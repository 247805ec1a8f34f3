package io.redwire.it.queue;

import io.redwire.Delay;
import io.redwire.Queued;
import java.time.Duration;

/** Delayed no-op jobs: the delay test measures how late each starts. */
public interface Timers {

  @Queued(queue = "timers")
  void fire(int i, long enqueuedAtMillis, @Delay Duration delay);
}
