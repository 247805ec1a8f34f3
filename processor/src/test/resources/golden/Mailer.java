package golden;

import io.redwire.At;
import io.redwire.Delay;
import io.redwire.Locked;
import io.redwire.Queued;
import io.redwire.RateLimited;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Job queues: two jobs sharing a queue (a delayed one, a unique one), a scheduled report with a lock
 * and a rate limit applied when it runs, and a default method the client keeps.
 */
public interface Mailer {

  record Order(String id, String email, long cents) {}

  @Queued(queue = "mail", maxAttempts = 5, backoff = "1s")
  void confirmation(Order order, @Delay Duration after);

  @Queued(queue = "mail", maxAttempts = 5, backoff = "1s", unique = "{orderId}")
  void reminder(String orderId, int times);

  @Queued(timeout = "2m")
  @Locked(key = "{day}")
  @RateLimited(limit = 10, per = "1m", onLimit = RateLimited.OnLimit.WAIT, maxWait = "30s")
  void nightlyReport(String day, List<String> recipients, @At Instant at);

  default void confirmNow(Order order) {
    confirmation(order, null);
  }
}
