package io.redwire.runtime.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** In-JVM single flight keyed by bytes. */
class FlightsTest {

  final Flights<String> flights = new Flights<>();

  @Test
  void equalBytesShareOneFlightAndTheEndRemovesIt() throws Exception {
    Flights.Flight<String> owner = flights.enter(new byte[] {1, 2, 3});
    Flights.Flight<String> joiner = flights.enter(new byte[] {1, 2, 3});
    Flights.Flight<String> other = flights.enter(new byte[] {1, 2, 4});
    assertTrue(owner.owner());
    assertFalse(joiner.owner());
    assertTrue(other.owner());
    assertSame(owner.future(), joiner.future());
    assertNull(flights.startIfIdle(new byte[] {1, 2, 3}), "running: a background refresh does not start");

    owner.finish(Result.present("v"));
    assertEquals("v", joiner.future().get().value());
    assertEquals(1, flights.size(), "only the other key's flight is left");
    assertTrue(flights.enter(new byte[] {1, 2, 3}).owner(), "a caller after the end starts a new flight");
  }

  @Test
  void aFailedFlightIsRemovedBeforeItCompletesSoLaterCallersDoNotSeeTheFailure() {
    Flights.Flight<String> owner = flights.enter(new byte[] {9});
    Flights.Flight<String> joiner = flights.enter(new byte[] {9});
    joiner.future().whenComplete((v, e) -> assertTrue(flights.enter(new byte[] {9}).owner()));
    owner.fail(new IllegalStateException("delegate"));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> joiner.future().get());
    assertEquals("delegate", e.getCause().getMessage());
  }

  @Test
  void anAbsentResultTellsJoinersToLoadThemselves() throws Exception {
    Flights.Flight<String> refresh = flights.startIfIdle(new byte[] {5});
    assertNotNull(refresh);
    Flights.Flight<String> joiner = flights.enter(new byte[] {5});
    refresh.finish(Result.absent());
    assertFalse(joiner.future().get().isPresent());
    refresh.finish(Result.present("late")); // idempotent: the first end wins
    assertFalse(joiner.future().get().isPresent());
  }
}
