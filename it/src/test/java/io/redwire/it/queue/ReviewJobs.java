package io.redwire.it.queue;

import io.redwire.Queued;

/** Review scenario: fast and slow jobs on one queue, and a job that fails before it succeeds. */
public interface ReviewJobs {

  @Queued(queue = "review-work", maxAttempts = 3, backoff = "50ms")
  void work(int n, long sleepMillis) throws InterruptedException;

  @Queued(queue = "review-fails", maxAttempts = 3, backoff = "50ms")
  void fails(String key);
}
