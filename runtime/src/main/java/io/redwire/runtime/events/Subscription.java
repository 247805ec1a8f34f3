package io.redwire.runtime.events;

/**
 * A running subscription of a listener, returned by the generated {@code subscribe}. {@link #close()}
 * stops reading, lets running handlers finish (up to the close bound), and leaves the rest pending
 * for the other consumers of the group. Closing its {@code Redwire} closes it too.
 */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
