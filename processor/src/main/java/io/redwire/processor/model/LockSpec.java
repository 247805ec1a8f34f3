package io.redwire.processor.model;

/**
 * One {@code @Locked} method: its lock name, key, lease and wait in milliseconds, what to do when the
 * lock is busy, and the value returned when a busy call is skipped.
 *
 * @param leaseMillis the fixed lease, 0 when a watchdog renews it, -1 when malformed (reported)
 * @param maxWaitMillis how long to wait, 0 to not wait, -1 when malformed (reported)
 * @param key the key template, null when it could not be parsed (reported)
 * @param empty what a skipped call returns
 * @param nonNull whether the return type is declared non-null ({@code @NonNull}, {@code @Nonnull} or
 *     {@code @NotNull} on the method or its return type), so null is no empty value for it
 */
public record LockSpec(
    Origin origin,
    String name,
    KeyTemplate key,
    long leaseMillis,
    long maxWaitMillis,
    OnBusy onBusy,
    Empty empty,
    boolean nonNull) {

  /** Mirrors {@code io.redwire.Locked.OnBusy}. */
  public enum OnBusy {
    THROW, SKIP
  }

  /** The value a skipped call returns, by return type. */
  public enum Empty {
    /** {@code void}: just return. */
    VOID,
    /** A primitive: 0, 0L, 0.0, false or '\0'. */
    PRIMITIVE,
    OPTIONAL, OPTIONAL_INT, OPTIONAL_LONG, OPTIONAL_DOUBLE,
    /** {@code List}, {@code Collection} or {@code Iterable}: {@code List.of()}. */
    LIST,
    SET, MAP, SORTED_SET, SORTED_MAP, STREAM,
    /** A future: none (the lock cannot be held until it completes; rejected). */
    FUTURE,
    /** Any other reference: null. */
    NULL
  }
}
