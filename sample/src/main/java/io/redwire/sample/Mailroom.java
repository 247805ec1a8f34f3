package io.redwire.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Sends confirmation emails (to a map, in the sample); its SMTP server refuses the first attempt of o-3. */
final class Mailroom implements OrderEmails {

  final Map<String, String> sent = new ConcurrentHashMap<>();
  final AtomicInteger smtpFailures = new AtomicInteger();
  final CountDownLatch allSent;

  Mailroom(int expected) {
    this.allSent = new CountDownLatch(expected);
  }

  @Override
  public void placed(Orders.OrderPlaced event) {
    if (event.orderId().equals("o-3") && smtpFailures.getAndIncrement() == 0) {
      throw new IllegalStateException("421 SMTP server busy, try again later");
    }
    if (sent.putIfAbsent(event.orderId(), "Thanks " + event.userId() + ", " + event.quantity() + " x "
        + event.sku() + " is on its way") == null) {
      allSent.countDown();
    }
  }
}
