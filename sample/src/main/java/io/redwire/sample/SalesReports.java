package io.redwire.sample;

import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds the report; slow enough that the instances scheduled at the same time overlap. */
final class SalesReports implements Reports {

  final AtomicInteger runs = new AtomicInteger();

  @Override
  public Optional<String> nightlyReport(LocalDate day) {
    runs.incrementAndGet();
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.of("sales report for " + day);
  }
}
