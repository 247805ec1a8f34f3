package io.redwire.sample;

import io.redwire.At;
import io.redwire.Queued;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Background jobs of the shop: the order confirmation email (unique per order, so a double click does
 * not send two; retried after an SMTP error) and the nightly sales report, scheduled for a time.
 * The checkout enqueues through {@code RedwireMailJobs.client(redwire)} and returns at once; worker
 * instances run them with {@code RedwireMailJobs.work(...)}.
 */
public interface MailJobs {

  @Queued(queue = "mail", maxAttempts = 5, backoff = "200ms", unique = "{orderId}")
  void confirmation(String orderId, String userId, String sku, int quantity);

  @Queued(queue = "reports", maxAttempts = 3, backoff = "1s", timeout = "10m")
  void nightlyReport(LocalDate day, @At Instant at);
}
