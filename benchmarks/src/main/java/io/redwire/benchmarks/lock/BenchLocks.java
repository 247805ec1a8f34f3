package io.redwire.benchmarks.lock;

import io.redwire.Locked;

/**
 * The locked service of {@link LockBenchmark}: the Redwire processor generates
 * {@code RedwireBenchLocks} from it at compile time. Each method has its own lock (named, so the
 * three methods that lock the same key text do not share one).
 */
public interface BenchLocks {

  /** Uncontended, fixed lease: 30 s like the hand-written floor's {@code SET NX PX 30000}; no waiting. */
  @Locked(key = "{name}", lease = "30s", name = "fixedLease")
  long fixedLease(String name);

  /** Uncontended, no lease: a watchdog renews a 30 s lease every 10 s while the method runs; no waiting. */
  @Locked(key = "{name}", name = "watchdog")
  long watchdog(String name);

  /**
   * Hand-off: runs {@code inside} while holding the lock; a busy lock is waited for up to 10 s (woken
   * by the holder's release, published on the lock name's channel). Fixed 30 s lease.
   */
  @Locked(key = "{name}", lease = "30s", maxWait = "10s", name = "handoff")
  void handoff(String name, Runnable inside);

  /** The delegate: trivial work (a counter), or the hand-off's callback. */
  final class Trivial implements BenchLocks {
    private long calls;

    @Override
    public long fixedLease(String name) {
      return ++calls;
    }

    @Override
    public long watchdog(String name) {
      return ++calls;
    }

    @Override
    public void handoff(String name, Runnable inside) {
      inside.run();
    }
  }
}
