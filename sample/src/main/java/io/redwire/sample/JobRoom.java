package io.redwire.sample;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the shop's jobs (into maps, in the sample): its SMTP server refuses the first attempt of order
 * j-2's email; the report notes when it started.
 */
final class JobRoom implements MailJobs {

  final Map<String, String> sent = new ConcurrentHashMap<>();
  final AtomicInteger smtpFailures = new AtomicInteger();
  final CountDownLatch done;
  final AtomicInteger reports = new AtomicInteger();
  volatile long reportLateMillis = -1;

  JobRoom(int emails) {
    this.done = new CountDownLatch(emails + 1);
  }

  @Override
  public void confirmation(String orderId, String userId, String sku, int quantity) {
    if (orderId.equals("j-2") && smtpFailures.getAndIncrement() == 0) {
      throw new IllegalStateException("421 SMTP server busy, try again later");
    }
    if (sent.putIfAbsent(orderId, "Thanks " + userId + ", " + quantity + " x " + sku + " is on its way") == null) {
      done.countDown();
    }
  }

  @Override
  public void nightlyReport(LocalDate day, Instant at) {
    reportLateMillis = System.currentTimeMillis() - at.toEpochMilli();
    reports.incrementAndGet();
    done.countDown();
  }
}
