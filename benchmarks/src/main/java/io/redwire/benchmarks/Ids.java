package io.redwire.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Per benchmark thread: walks the hit key space; fresh ids come from {@link #fresh()}. */
@State(Scope.Thread)
public class Ids {
  private static final java.util.concurrent.atomic.AtomicLong FRESH =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() & 0xffff_ffffL);

  private int next = (int) (Thread.currentThread().getId() * 7919 % Products.HIT_KEYS);

  /** The next id of the hit key space (0 .. HIT_KEYS-1). */
  public long hit() {
    int id = next;
    next = id + 1 == Products.HIT_KEYS ? 0 : id + 1;
    return id;
  }

  /** An id never used before in this JVM (a miss for every peer). */
  public long fresh() {
    return FRESH.incrementAndGet();
  }
}
