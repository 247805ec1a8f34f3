package io.redwire.runtime.lock;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * The locks the current thread holds through {@code @Locked} methods, innermost last; and their fencing
 * tokens.
 *
 * <p>A fencing token is a number that strictly increases with every acquisition of one lock key, across
 * all instances. Pass it along with writes to another store that can reject stale writers ("only accept
 * a write whose token is at least the highest seen"), so that a holder that lost its lock (a long GC
 * pause, say) cannot overwrite the work of the next holder.
 *
 * <pre>{@code
 * @Locked(key = "{sku}")
 * void restock(String sku) {              // in the delegate
 *   long token = Locks.fencingToken();
 *   warehouse.write(sku, quantity, token);
 * }
 * }</pre>
 *
 * <p>Tokens are read on the thread that runs the method; pass them explicitly to other threads.
 */
public final class Locks {

  private static final ThreadLocal<ArrayList<LockLease>> HELD = ThreadLocal.withInitial(ArrayList::new);

  private Locks() {}

  /**
   * The fencing token of the innermost lock held by this thread.
   *
   * @throws IllegalStateException when no {@code @Locked} method is running on this thread
   */
  public static long fencingToken() {
    ArrayList<LockLease> held = HELD.get();
    if (held.isEmpty()) {
      throw new IllegalStateException("no @Locked method is running on this thread");
    }
    return held.get(held.size() - 1).fencingToken();
  }

  /**
   * The fencing token of the innermost lock named {@code lockName} held by this thread.
   *
   * @throws IllegalStateException when this thread holds no lock of that name
   */
  public static long fencingToken(String lockName) {
    ArrayList<LockLease> held = HELD.get();
    for (int i = held.size() - 1; i >= 0; i--) {
      if (held.get(i).lockName().equals(lockName)) {
        return held.get(i).fencingToken();
      }
    }
    throw new IllegalStateException("this thread holds no lock named \"" + lockName + "\"");
  }

  /** Whether this thread holds a lock named {@code lockName}. */
  public static boolean isHeld(String lockName) {
    for (LockLease l : HELD.get()) {
      if (l.lockName().equals(lockName)) {
        return true;
      }
    }
    return false;
  }

  /** The lease this thread holds on {@code key} through {@code owner}, or null. */
  static LockLease find(Object owner, byte[] key) {
    ArrayList<LockLease> held = HELD.get();
    for (int i = held.size() - 1; i >= 0; i--) {
      LockLease l = held.get(i);
      if (l.owner == owner && Arrays.equals(l.key, key)) {
        return l;
      }
    }
    return null;
  }

  static void push(LockLease lease) {
    HELD.get().add(lease);
  }

  static void remove(LockLease lease) {
    ArrayList<LockLease> held = HELD.get();
    for (int i = held.size() - 1; i >= 0; i--) {
      if (held.get(i) == lease) {
        held.remove(i);
        return;
      }
    }
  }
}
