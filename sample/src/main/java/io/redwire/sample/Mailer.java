package io.redwire.sample;

/**
 * Sends the order confirmation email. Today {@link ConfirmationEmails} calls it from the {@code
 * OrderPlaced} listener; it is kept this small so that it can become a {@code @Queued} job interface
 * (a client that enqueues, workers that send) without touching the checkout.
 */
public interface Mailer {

  void confirmation(Orders.OrderPlaced order);
}
