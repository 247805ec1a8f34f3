package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method while holding a distributed lock on its key: at most one caller per key, across
 * threads and JVMs, runs it at a time.
 *
 * <pre>{@code
 * @Locked(key = "{sku}", maxWait = "2s")
 * Reservation reserve(String sku, int quantity);
 *
 * @Locked(lease = "1h", onBusy = Locked.OnBusy.SKIP)   // only one worker runs the nightly job
 * void nightlyReport();
 * }</pre>
 *
 * <p>Acquiring is one round trip; releasing deletes the lock only if it still holds this
 * acquisition's random token. A busy lock is waited for (woken by the holder's release, not by
 * polling) up to {@link #maxWait()}. Nested calls on the same key in the same thread re-enter the
 * lock. Each acquisition gets a fencing token that strictly increases per key, readable inside the
 * method with {@code io.redwire.runtime.lock.Locks.fencingToken()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Locked {

  /** Key template such as {@code "{sku}"} or {@code "{order.id}"}; defaults to all parameters in order. */
  String key() default "";

  /**
   * How long the lock lives if this process dies while holding it; a method still running when it ends
   * loses the lock ({@code LockLostException} after it returns). Empty (the default): a watchdog renews
   * a 30 s lease (overridable with {@code Redwire.builder().lease(name, ...)}) while the method runs.
   */
  String lease() default "";

  /**
   * How long a caller waits for a busy lock before {@link #onBusy()} applies. Empty (the default): do
   * not wait. (Not called {@code wait}: {@code Object.wait()} is final.)
   */
  String maxWait() default "";

  /** What a caller does when the lock is still busy after {@link #maxWait()}. */
  OnBusy onBusy() default OnBusy.THROW;

  /**
   * The lock name, part of every key; methods of one interface that share a name share its locks (and
   * must have keys of the same shape). Defaults to the method name.
   */
  String name() default "";

  /** What happens when the lock could not be acquired in time. */
  enum OnBusy {
    /** Throw {@code io.redwire.runtime.lock.LockNotAcquiredException} (unchecked). */
    THROW,
    /**
     * Do not run the method; return the return type's empty value: nothing for void, 0 or false for
     * primitives, an empty Optional, List, Set, Map or Stream, else null. For scheduled jobs that only
     * one worker should run.
     */
    SKIP
  }
}
