package io.redwire.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it every few milliseconds: never a sleep as synchronisation. */
public final class Await {

  private Await() {}

  /**
   * Returns once {@code condition} holds; throws {@link AssertionError} naming {@code what} when it
   * still does not after {@code bound}.
   */
  public static void until(Duration bound, BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what.get());
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what.get(), e);
      }
    }
  }

  /** {@link #until(Duration, BooleanSupplier, Supplier)} with a fixed description. */
  public static void until(Duration bound, BooleanSupplier condition, String what) {
    until(bound, condition, () -> what);
  }
}
