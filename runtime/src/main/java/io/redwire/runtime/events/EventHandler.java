package io.redwire.runtime.events;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Handles one event; generated classes adapt a listener method to it. A normal return acknowledges it. */
public interface EventHandler<T> {
  void handle(T event) throws Exception;

  /**
   * Waits for the stage an asynchronous listener method returned, interruptibly (a closing
   * subscription interrupts handlers that outlive its wait): returns when it completed normally,
   * throws what it failed with (not wrapped, so retries and dead letters record the listener's own
   * error).
   *
   * @throws NullPointerException if the method returned null instead of a stage
   */
  static void await(CompletionStage<?> stage) throws Exception {
    if (stage == null) {
      throw new NullPointerException("the listener method returned null; return a CompletionStage"
          + " (CompletableFuture.completedFuture(null) when there is nothing to wait for)");
    }
    try {
      stage.toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof Exception x) {
        throw x;
      }
      if (cause instanceof Error x) {
        throw x;
      }
      throw e;
    }
  }
}
