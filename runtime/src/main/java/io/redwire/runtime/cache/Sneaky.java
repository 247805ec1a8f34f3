package io.redwire.runtime.cache;

/** Rethrows what a delegate threw, checked or not, without wrapping: the proxy's method declares it. */
final class Sneaky {

  private Sneaky() {}

  static RuntimeException rethrow(Throwable t) {
    throw Sneaky.<RuntimeException>cast(t);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T cast(Throwable t) throws T {
    throw (T) t;
  }
}
