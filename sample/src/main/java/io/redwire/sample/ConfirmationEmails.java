package io.redwire.sample;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance's handler of {@code OrderPlaced} (consumer group "email"): enqueues the confirmation
 * email job through the {@link Mailer} client. Every instance subscribes; each event is handled by one
 * of them, and each job is run by one of the instances' workers.
 */
final class ConfirmationEmails implements OrderEmails {

  private final Mailer mailer;
  final AtomicLong handled = new AtomicLong();

  ConfirmationEmails(Mailer mailer) {
    this.mailer = mailer;
  }

  @Override
  public void placed(Orders.OrderPlaced event) {
    mailer.confirmation(event.orderId(), event);
    handled.incrementAndGet();
  }
}
