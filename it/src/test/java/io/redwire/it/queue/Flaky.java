package io.redwire.it.queue;

import io.redwire.Queued;

/** A job that the tests make fail. */
public interface Flaky {

  record Charge(String orderId, long cents) {}

  @Queued(queue = "charges", maxAttempts = 4, backoff = "100ms")
  void charge(Charge charge, String reason);

  @Queued(queue = "slow", maxAttempts = 2, backoff = "50ms", timeout = "200ms")
  void slow(int n) throws InterruptedException;
}
