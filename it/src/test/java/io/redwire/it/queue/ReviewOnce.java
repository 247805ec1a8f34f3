package io.redwire.it.queue;

import io.redwire.Queued;

/** Review: a job tried once. */
public interface ReviewOnce {
  @Queued(queue = "once", maxAttempts = 1)
  void run(String id);
}
