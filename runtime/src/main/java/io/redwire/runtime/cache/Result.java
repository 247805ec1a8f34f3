package io.redwire.runtime.cache;

/**
 * A value the cache can serve (which may be null: a cached null), or none. What a decoded entry and
 * a finished flight hold, so no sentinel object is ever cast to the value type.
 */
sealed interface Result<V> permits Result.Present, Result.Absent {

  static <V> Result<V> present(V value) {
    return new Present<>(value);
  }

  @SuppressWarnings("unchecked")
  static <V> Result<V> absent() {
    return (Result<V>) Absent.INSTANCE;
  }

  boolean isPresent();

  /** The value; only when {@link #isPresent}. */
  V value();

  /** A value to serve. */
  record Present<V>(V value) implements Result<V> {
    @Override
    public boolean isPresent() {
      return true;
    }
  }

  /** Nothing to serve: the caller loads the value itself. */
  final class Absent implements Result<Object> {
    static final Absent INSTANCE = new Absent();

    private Absent() {}

    @Override
    public boolean isPresent() {
      return false;
    }

    @Override
    public Object value() {
      throw new IllegalStateException("no value");
    }

    @Override
    public String toString() {
      return "Absent";
    }
  }
}
