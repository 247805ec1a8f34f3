package io.redwire.runtime.lock;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.pubsub.Subscriber;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The release notifications of one lock name in one {@link Redwire}: the release script publishes the
 * released key on {@code <namespace>:lock:<name>} (one channel per lock name, so the number of
 * subscriptions is bounded by the names compiled into the application), and this wakes the threads of
 * this JVM waiting for that key. Subscribed lazily, the first time a caller has to wait.
 */
final class LockChannel implements Subscriber.Listener {

  private final Redwire redwire;
  private final byte[] channel;
  private final ConcurrentHashMap<KeyBytes, Waiters> waiting = new ConcurrentHashMap<>();
  private volatile boolean subscribed;

  private LockChannel(Redwire redwire, byte[] channel) {
    this.redwire = redwire;
    this.channel = channel;
  }

  static LockChannel of(Redwire redwire, String name, byte[] channel) {
    return (LockChannel) redwire.shared("lock-channel:" + name, () -> new LockChannel(redwire, channel));
  }

  byte[] channel() {
    return channel;
  }

  /** Whether the server confirmed the subscription: a release published from now on wakes waiters. */
  boolean active() {
    return subscribed && Subscriber.of(redwire).isActive(channel);
  }

  /** Registers the calling thread as waiting for {@code key}; pair with {@link #leave}. */
  Waiters enter(byte[] key) {
    if (!subscribed) {
      synchronized (this) {
        if (!subscribed) {
          Subscriber.of(redwire).subscribe(channel, this);
          subscribed = true;
        }
      }
    }
    return waiting.compute(new KeyBytes(key), (k, w) -> {
      Waiters v = w == null ? new Waiters(k) : w;
      v.count++;
      return v;
    });
  }

  void leave(Waiters w) {
    waiting.computeIfPresent(w.key, (k, v) -> --v.count == 0 ? null : v);
  }

  @Override
  public void onMessage(byte[] ch, byte[] message) {
    Waiters w = waiting.get(new KeyBytes(message));
    if (w != null) {
      w.signal();
    }
  }

  @Override
  public void onInactive() {
    // the connection dropped (or Redwire is closing): releases may be missed until it is back, so
    // everyone waiting tries again now and then polls until the subscription is confirmed again
    for (Waiters w : waiting.values()) {
      w.signal();
    }
  }

  @Override
  public void onActive() {
    // subscribed, or subscribed again after a reconnect: releases may have been missed, so everyone
    // waiting tries again
    for (Waiters w : waiting.values()) {
      w.signal();
    }
  }

  /** The threads of this JVM waiting for one key. */
  static final class Waiters {
    final KeyBytes key;
    int count; // changed only inside ConcurrentHashMap.compute
    private long signals; // guarded by this

    Waiters(KeyBytes key) {
      this.key = key;
    }

    synchronized long signals() {
      return signals;
    }

    synchronized void signal() {
      signals++;
      notifyAll();
    }

    /**
     * Waits until a signal arrives after {@code seen} was read, or {@code nanos} pass.
     *
     * @throws InterruptedException when interrupted
     */
    synchronized void await(long seen, long nanos) throws InterruptedException {
      long deadline = System.nanoTime() + nanos;
      while (signals == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  /** A key as a map key. */
  static final class KeyBytes {
    final byte[] bytes;
    private final int hash;

    KeyBytes(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyBytes k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
