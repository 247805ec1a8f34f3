package io.redwire.sample;

import io.redwire.Locked;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The nightly sales report: every instance schedules it, one of them runs it. The others find the lock
 * busy and skip (returning an empty Optional) instead of waiting. The fixed one-hour lease frees the lock
 * should the instance running it crash.
 */
public interface Reports {

  @Locked(key = "{day}", name = "nightly-report", lease = "1h", onBusy = Locked.OnBusy.SKIP)
  Optional<String> nightlyReport(LocalDate day);
}
