package io.redwire.runtime.queue;

/**
 * Running workers of the queues of one interface, started by the generated {@code work(delegate,
 * redwire, ...)}. {@link #close()} stops taking jobs, lets running jobs finish within the close wait,
 * and leaves the others to be run again by another worker after their lease.
 */
public interface Worker extends AutoCloseable {

  /** Stops the workers (see the class comment). Idempotent; never throws. */
  @Override
  void close();
}
