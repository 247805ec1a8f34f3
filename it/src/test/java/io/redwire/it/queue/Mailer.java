package io.redwire.it.queue;

import io.redwire.Delay;
import io.redwire.Queued;
import java.time.Duration;

/** Two jobs on one queue: a delayed confirmation and a unique reminder. */
public interface Mailer {

  @Queued(queue = "mail", maxAttempts = 3, backoff = "100ms")
  void confirmation(String orderId, @Delay Duration after);

  @Queued(queue = "mail", maxAttempts = 3, backoff = "100ms", unique = "{orderId}")
  void reminder(String orderId, int times);
}
