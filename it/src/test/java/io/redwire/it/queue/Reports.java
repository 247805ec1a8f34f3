package io.redwire.it.queue;

import io.redwire.At;
import io.redwire.Queued;
import java.time.Instant;
import java.util.List;

/** The smallest interface (default queue name), and a scheduled job with a record argument. */
public interface Reports {

  record Range(String from, String to) {}

  @Queued
  void nightly(List<String> recipients);

  @Queued(maxAttempts = 4, backoff = "100ms")
  void range(Range range, @At Instant when);
}
