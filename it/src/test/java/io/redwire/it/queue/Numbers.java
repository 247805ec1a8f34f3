package io.redwire.it.queue;

import io.redwire.Queued;

/** One job per number: the kill -9 and restart tests count how often each ran. */
public interface Numbers {

  @Queued(queue = "numbers", maxAttempts = 10, backoff = "50ms")
  void record(int n);
}
