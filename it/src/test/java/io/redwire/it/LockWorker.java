package io.redwire.it;

import io.redwire.runtime.lock.Locks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.UnifiedJedis;

/** The delegate of {@link LockWork}: deliberately racy without the lock. */
final class LockWorker implements LockWork {

  final UnifiedJedis data;
  final AtomicInteger calls = new AtomicInteger();
  volatile LockWork self;
  final List<Long> tokens = new java.util.ArrayList<>();

  LockWorker(UnifiedJedis data) {
    this.data = data;
  }

  @Override
  public long increment(String counter) {
    calls.incrementAndGet();
    String v = data.get(counter);
    long next = (v == null ? 0 : Long.parseLong(v)) + 1;
    Thread.yield();
    data.set(counter, Long.toString(next));
    if (Locks.isHeld("counter")) {
      synchronized (tokens) {
        tokens.add(Locks.fencingToken());
      }
    }
    return next;
  }

  @Override
  public long incrementTwice(String counter) {
    long outer = Locks.fencingToken();
    self.increment(counter);
    if (Locks.fencingToken() != outer) {
      throw new AssertionError("a re-entered lock keeps the outer token");
    }
    return self.increment(counter);
  }

  @Override
  public long gate(String job, Gate gate) {
    gate.enteredAt = System.nanoTime();
    gate.entered.countDown();
    try {
      if (gate.sleepMillis > 0) {
        Thread.sleep(gate.sleepMillis);
      } else {
        gate.finish.await(60, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    gate.leavingAt = System.nanoTime();
    return Locks.fencingToken();
  }

  @Override
  public long gateBriefly(String job, Gate gate) {
    return gate(job, gate);
  }

  @Override
  public long gateNow(String job, Gate gate) {
    return gate(job, gate);
  }

  @Override
  public long fixedLease(String job, Gate gate) {
    return gate(job, gate);
  }

  @Override
  public long fixedLeaseNow(String job, Gate gate) {
    return gate(job, gate);
  }

  @Override
  public void skipVoid(String job) {
    calls.incrementAndGet();
  }

  @Override
  public int skipInt(String job) {
    calls.incrementAndGet();
    return 7;
  }

  @Override
  public boolean skipBoolean(String job) {
    calls.incrementAndGet();
    return true;
  }

  @Override
  public Optional<String> skipOptional(String job) {
    calls.incrementAndGet();
    return Optional.of("ran");
  }

  @Override
  public OptionalLong skipOptionalLong(String job) {
    calls.incrementAndGet();
    return OptionalLong.of(1);
  }

  @Override
  public List<String> skipList(String job) {
    calls.incrementAndGet();
    return List.of("ran");
  }

  @Override
  public Map<String, Integer> skipMap(String job) {
    calls.incrementAndGet();
    return Map.of("ran", 1);
  }

  @Override
  public String skipString(String job) {
    calls.incrementAndGet();
    return "ran";
  }

  @Override
  public String lockedAndCached(long id) {
    calls.incrementAndGet();
    return "value " + id + " under " + Locks.fencingToken("LockWork.lockedAndCached");
  }

  @Override
  public void fail(String job) throws java.io.IOException {
    throw new java.io.IOException("failed under the lock");
  }
}
