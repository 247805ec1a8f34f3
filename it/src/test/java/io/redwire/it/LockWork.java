package io.redwire.it;

import io.redwire.Cached;
import io.redwire.Locked;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Methods guarded by @Locked, run through the processor by this module's build. */
public interface LockWork {

  /** A test-controlled body: records when it starts, then blocks until told to finish. */
  final class Gate {
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
    volatile long enteredAt;
    volatile long leavingAt;
    volatile long sleepMillis;
  }

  /** A racy read-modify-write of a Redis counter, made exact by the lock. */
  @Locked(key = "{counter}", maxWait = "60s", name = "counter")
  long increment(String counter);

  /** Calls {@link #increment} on the same key from inside the lock (through the proxy). */
  @Locked(key = "{counter}", maxWait = "60s", name = "counter")
  long incrementTwice(String counter);

  @Locked(key = "{job}", maxWait = "30s", name = "gate")
  long gate(String job, Gate gate);

  @Locked(key = "{job}", maxWait = "100ms", name = "gate")
  long gateBriefly(String job, Gate gate);

  @Locked(key = "{job}", name = "gate")
  long gateNow(String job, Gate gate);

  @Locked(key = "{job}", lease = "500ms", maxWait = "10s", name = "fixedLease")
  long fixedLease(String job, Gate gate);

  @Locked(key = "{job}", name = "fixedLease")
  long fixedLeaseNow(String job, Gate gate);

  @Locked(key = "{job}", name = "gate", onBusy = Locked.OnBusy.SKIP)
  void skipVoid(String job);

  @Locked(key = "{job}", name = "gate", onBusy = Locked.OnBusy.SKIP)
  int skipInt(String job);

  @Locked(key = "{job}", name = "gate", onBusy = Locked.OnBusy.SKIP)
  boolean skipBoolean(String job);

  @Locked(key = "{job}", name = "gate", onBusy = Locked.OnBusy.SKIP)
  Optional<String> skipOptional(String job);

  @Locked(key = "{job}", name = "gate", onBusy = Locked.OnBusy.SKIP)
  OptionalLong skipOptionalLong(String job);

  @Locked(key = "{job}", name = "gate", onBusy = Locked.OnBusy.SKIP)
  List<String> skipList(String job);

  @Locked(key = "{job}", name = "gate", onBusy = Locked.OnBusy.SKIP)
  Map<String, Integer> skipMap(String job);

  @Locked(key = "{job}", name = "gate", onBusy = Locked.OnBusy.SKIP)
  String skipString(String job);

  /** Lock, then cache: every call takes the lock, then reads through the cache. */
  @Locked(key = "{id}", maxWait = "5s")
  @Cached(ttl = "1m", key = "{id}")
  String lockedAndCached(long id);

  /** Throws a checked exception under the lock. */
  @Locked(key = "{job}", name = "gate")
  void fail(String job) throws java.io.IOException;
}
