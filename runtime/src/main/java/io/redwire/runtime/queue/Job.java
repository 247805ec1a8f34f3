package io.redwire.runtime.queue;

import java.util.List;

/** One decoded job: its arguments, and (in a worker) the call of the method with them. Generated. */
public interface Job {

  /** Runs the job's method on the worker's delegate, with the rate limits and locks declared on it. */
  void run() throws Exception;

  /** The arguments, in parameter order (for the admin API and logs). */
  List<Object> args();
}
