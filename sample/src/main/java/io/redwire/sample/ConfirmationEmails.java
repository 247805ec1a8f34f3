package io.redwire.sample;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance's handler of {@code OrderPlaced} (consumer group "email"): sends the confirmation
 * through the {@link Mailer}. Every instance subscribes; each event is handled by one of them.
 */
final class ConfirmationEmails implements OrderEmails {

  private final Mailer mailer;
  final AtomicLong handled = new AtomicLong();

  ConfirmationEmails(Mailer mailer) {
    this.mailer = mailer;
  }

  @Override
  public void placed(Orders.OrderPlaced event) {
    mailer.confirmation(event);
    handled.incrementAndGet();
  }
}
