package io.redwire.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stands in for the SMTP server every instance sends through: keeps every email sent (a duplicate is
 * kept too, so the report can see it) and lets a caller wait until a number of them arrived.
 */
final class Mailbox {

  /** One email: to whom, about which order, its text, and the instance that sent it. */
  record Email(String orderId, String userId, String text, String sentBy) {}

  private final List<Email> sent = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();

  /** The {@link Mailer} of one instance. */
  Mailer mailer(String instance) {
    return (orderId, order) -> {
      StringBuilder text = new StringBuilder("Thanks " + order.userId() + ", order " + order.orderId() + ":");
      for (CartSession.Line line : order.lines()) {
        text.append(' ').append(line.quantity()).append(" x ").append(line.sku());
      }
      text.append(", total ").append(order.total().toPlainString()).append(" USD");
      sent.add(new Email(order.orderId(), order.userId(), text.toString(), instance));
      lock.lock();
      try {
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    };
  }

  List<Email> sent() {
    return List.copyOf(sent);
  }

  /** Emails per order id (more than one is a duplicate). */
  Map<String, Integer> perOrder() {
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    for (Email e : sent) {
      counts.merge(e.orderId(), 1, Integer::sum);
    }
    return counts;
  }

  /** Waits until at least {@code n} emails were sent, up to {@code timeoutMillis}; whether they were. */
  boolean await(int n, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lock();
    try {
      while (sent.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        arrived.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
