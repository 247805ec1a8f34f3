package io.redwire.runtime.cache;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-JVM single flight, keyed by the bytes of an entry key: at most one load (or background refresh)
 * of a key runs at a time in one cache; other callers join it and share its result.
 *
 * <p>A flight ends with a {@link Result}: present (the value every joiner returns) or absent (a
 * background refresh that could not run: joiners load the value themselves), or exceptionally with
 * the delegate's exception. A failed flight is removed from the table before it completes, so a
 * caller that arrives after the end starts a new one instead of reading an old failure. A flight that
 * loaded a value may be {@linkplain Flight#serve served} while its store is still on its way to Redis:
 * callers arriving meanwhile join the completed flight rather than miss again; it leaves the table once
 * the store has landed ({@link Flight#finish}), or earlier when the key is written or evicted here
 * ({@link #forget}), so nobody joins a value older than a write.
 */
final class Flights<V> {

  private final ConcurrentHashMap<KeyBytes, CompletableFuture<Result<V>>> running = new ConcurrentHashMap<>();

  /** One flight of one key, as seen by one caller: its owner runs it, joiners wait for it. */
  static final class Flight<V> {
    private final Flights<V> flights;
    private final KeyBytes id;
    private final CompletableFuture<Result<V>> future;
    private final boolean owner;

    private Flight(Flights<V> flights, KeyBytes id, CompletableFuture<Result<V>> future, boolean owner) {
      this.flights = flights;
      this.id = id;
      this.future = future;
      this.owner = owner;
    }

    /** Whether this caller started the flight and must end it ({@link #finish} or {@link #fail}). */
    boolean owner() {
      return owner;
    }

    /** Completes with the outcome of the flight. */
    CompletableFuture<Result<V>> future() {
      return future;
    }

    /**
     * Gives joiners {@code result} now but keeps the flight in the table (its store is on its way)
     * until {@link #finish} or {@link #forget}; only its owner calls this.
     */
    void serve(Result<V> result) {
      future.complete(result);
    }

    /** Ends the flight with {@code result}; only its owner calls this. Idempotent. */
    void finish(Result<V> result) {
      flights.running.remove(id, future);
      future.complete(result);
    }

    /** Ends the flight with the delegate's exception; only its owner calls this. Idempotent. */
    void fail(Throwable t) {
      flights.running.remove(id, future);
      future.completeExceptionally(t);
    }
  }

  /** Starts a flight of {@code key}, or joins the one running. */
  Flight<V> enter(byte[] key) {
    KeyBytes id = new KeyBytes(key);
    CompletableFuture<Result<V>> mine = new CompletableFuture<>();
    CompletableFuture<Result<V>> other = running.putIfAbsent(id, mine);
    return other == null ? new Flight<>(this, id, mine, true) : new Flight<>(this, id, other, false);
  }

  /** Starts a flight of {@code key} only if none is running; null otherwise. */
  Flight<V> startIfIdle(byte[] key) {
    Flight<V> f = enter(key);
    return f.owner ? f : null;
  }

  /** Drops the flight of {@code key}, if any, so later callers start their own (after a write or evict). */
  void forget(byte[] key) {
    if (!running.isEmpty()) {
      running.remove(new KeyBytes(key));
    }
  }

  /** How many flights are running (for tests). */
  int size() {
    return running.size();
  }

  /** A byte[] with value equality. */
  private record KeyBytes(byte[] bytes, int hash) {
    KeyBytes(byte[] bytes) {
      this(bytes, Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyBytes k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
