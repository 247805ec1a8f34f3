package io.redwire.runtime.lock;

import io.redwire.runtime.key.Keys;
import java.util.concurrent.ScheduledFuture;

/**
 * One acquisition of a lock, held by one thread from {@link RedwireLock#acquire} to
 * {@link RedwireLock#release}; nested calls on the same key re-enter it. Generated code only passes it
 * back to {@code release} and reports the method's exception with {@link #failed}.
 */
public final class LockLease {

  final Object owner;
  final RedwireLock lock;
  final byte[] key;
  final byte[] token;
  final long fence;
  /** Nesting depth on the holding thread; only that thread touches it. */
  int depth = 1;
  /** The exception of the method at the current depth, if it threw; only the holding thread touches it. */
  Throwable failure;
  /** nanoTime at which the last successful acquire or renewal was sent: the lease is ours until then + lease. */
  volatile long provenAt;
  /** Why the lock is known to be lost, or null. */
  volatile String lost;
  volatile boolean released;
  volatile ScheduledFuture<?> renewal;

  LockLease(Object owner, RedwireLock lock, byte[] key, byte[] token, long fence, long provenAt) {
    this.owner = owner;
    this.lock = lock;
    this.key = key;
    this.token = token;
    this.fence = fence;
    this.provenAt = provenAt;
  }

  /** This acquisition's fencing token: larger than that of every earlier acquisition of the key. */
  public long fencingToken() {
    return fence;
  }

  /** The lock name. */
  public String lockName() {
    return lock.name();
  }

  /** Records that the method threw {@code t}, so a lost lock is added to it instead of replacing it. */
  public void failed(Throwable t) {
    failure = t;
  }

  /** Marks the lease lost; true the first time. */
  boolean markLost(String reason) {
    synchronized (this) {
      if (lost != null) {
        return false;
      }
      lost = reason;
      return true;
    }
  }

  @Override
  public String toString() {
    return "LockLease[" + Keys.toString(key) + ", fence " + fence + (lost != null ? ", lost" : "") + "]";
  }
}
