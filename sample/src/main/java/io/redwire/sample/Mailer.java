package io.redwire.sample;

import io.redwire.Queued;

/**
 * Sends the order confirmation email, as a job: the {@code OrderPlaced} listener ({@link
 * ConfirmationEmails}) enqueues it through {@code RedwireMailer.client(redwire)} and returns at once;
 * each instance runs {@code RedwireMailer.work(...)} workers that send it. Unique per order (a second
 * enqueue while one is pending is dropped), retried after an SMTP error, dead with its last error after
 * five attempts.
 */
public interface Mailer {

  @Queued(queue = "mail", maxAttempts = 5, backoff = "200ms", unique = "{orderId}")
  void confirmation(String orderId, Orders.OrderPlaced order);
}
