package io.redwire.it.queue;

import io.redwire.Queued;

/** A job tried once (QueueStallTest). */
public interface StallOnce {
  @Queued(queue = "once", maxAttempts = 1)
  void run(String id);
}
