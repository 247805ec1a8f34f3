package io.redwire.runtime.queue;

import io.redwire.runtime.key.Keys;
import java.util.Objects;

/**
 * A queue as the annotations declare it; generated classes hold one constant per queue.
 *
 * @param queue the queue's name (part of its keys)
 * @param maxAttempts attempts before a job is dead (at least 1)
 * @param backoffMillis the wait before the second attempt; doubled for each further one (at most 64
 *     times), plus up to 25 % jitter
 * @param timeoutMillis how long one attempt may run before its thread is interrupted and the attempt
 *     fails; 0 for no limit
 */
public record QueueSettings(String queue, int maxAttempts, long backoffMillis, long timeoutMillis) {

  public QueueSettings {
    Objects.requireNonNull(queue, "queue");
    Keys.checkName("queue", queue);
    if (maxAttempts < 1 || backoffMillis < 1 || timeoutMillis < 0) {
      throw new IllegalArgumentException("invalid queue settings for " + queue);
    }
  }
}
