package io.redwire.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it every 5 ms, up to a bound: how tests synchronise with background
 * work (never a sleep as synchronisation).
 */
public final class Await {

  private Await() {}

  /**
   * Returns once {@code condition} holds; throws {@link AssertionError} (with {@code what}) when it did
   * not hold within {@code bound}.
   */
  public static void until(Duration bound, BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what.get());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what.get(), e);
      }
    }
  }
}
