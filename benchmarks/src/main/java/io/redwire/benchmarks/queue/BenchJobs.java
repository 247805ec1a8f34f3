package io.redwire.benchmarks.queue;

import io.redwire.Queued;

/** A no-op job carrying its enqueue time, for {@link QueueSideBySide}. */
public interface BenchJobs {

  @Queued(queue = "bench", maxAttempts = 3, backoff = "100ms")
  void noop(long enqueuedAtNanos);
}
