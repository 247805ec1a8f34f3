package io.redwire.processor.generate;

/**
 * One feature's part of a generated class (the way Caffeine's node generator composes rules). A
 * writer runs its steps in a fixed rank order, and each slot of a method in that order:
 *
 * <ol>
 *   <li>{@link #fields}: once per class: constants, fields, constructor statements;
 *   <li>{@link #before}: statements that decide the call before anything else (may return early: a
 *       rate limit refuses, a skipped lock returns the empty value);
 *   <li>{@link #around}: opens a block around the rest of the method (a lock's {@code try}) and
 *       returns the {@link Closer} that closes it; closers run in reverse order;
 *   <li>{@link #call}: owns the delegate call and the {@code return} (a cache); at most one step may
 *       own a method's call, which validation guarantees;
 *   <li>{@link #after}: uses the delegate's result once it returned (cache put and evict; next:
 *       publish). When a step {@link #usesResult uses the result} and no step owns the call, the
 *       writer keeps the result in a local, runs every {@code after}, then returns it;
 *   <li>{@link #finish}: once per class, after every method: nested types, shared constants.
 * </ol>
 *
 * A step whose feature does not apply to a method writes nothing for it. Steps hold per-class state
 * (field names by method, say): one instance per generated class.
 */
interface Step {

  /** Closes what {@link #around} opened. */
  interface Closer {
    void close(MethodContext m);
  }

  default void fields(ClassContext c) {}

  default void before(MethodContext m) {}

  /** Null when the step wraps nothing in this method. */
  default Closer around(MethodContext m) {
    return null;
  }

  /** Whether this step writes the delegate call and the return of {@code m}. */
  default boolean call(MethodContext m) {
    return false;
  }

  /** Whether {@link #after} needs the result of {@code m}. */
  default boolean usesResult(MethodContext m) {
    return false;
  }

  /**
   * Statements after the delegate returned; {@code result} names the local that holds its result, or
   * is null for a {@code void} method.
   */
  default void after(MethodContext m, String result) {}

  default void finish(ClassContext c) {}
}
