package io.redwire.runtime.queue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run-time settings of the workers started by a generated {@code work(delegate, redwire, options)}.
 * Immutable; each {@code with} method returns a copy:
 *
 * <pre>{@code
 * RedwireMailer.work(smtp, redwire, WorkOptions.concurrency(8).lease(Duration.ofSeconds(10)));
 * }</pre>
 */
public final class WorkOptions {

  private static final AtomicInteger NEXT = new AtomicInteger();

  /** One job at a time per queue, a 30 s lease, a 10 s close wait. */
  public static final WorkOptions DEFAULTS = new WorkOptions(1, 30_000, 10_000, null, 86_400_000L, 10_000);

  private final int concurrency;
  private final long leaseMillis;
  private final long closeWaitMillis;
  private final String consumer;
  private final long handledRetainMillis;
  private final long deadMaxLen;

  private WorkOptions(int concurrency, long leaseMillis, long closeWaitMillis, String consumer,
      long handledRetainMillis, long deadMaxLen) {
    this.concurrency = concurrency;
    this.leaseMillis = leaseMillis;
    this.closeWaitMillis = closeWaitMillis;
    this.consumer = consumer;
    this.handledRetainMillis = handledRetainMillis;
    this.deadMaxLen = deadMaxLen;
  }

  /** The defaults with {@code n} jobs at once per queue. */
  public static WorkOptions concurrency(int n) {
    return DEFAULTS.withConcurrency(n);
  }

  /** Jobs run at once per queue (threads). */
  public WorkOptions withConcurrency(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1: " + n);
    }
    return new WorkOptions(n, leaseMillis, closeWaitMillis, consumer, handledRetainMillis, deadMaxLen);
  }

  /**
   * How long a running job's lease lasts: renewed every third of it while the job runs (on
   * {@code Redwire.renewals()}), so only the jobs of a worker that stopped (killed, frozen, cut off)
   * are run again by another worker, once this long has passed. Default 30 s.
   */
  public WorkOptions lease(Duration lease) {
    long ms = lease.toMillis();
    if (ms < 1) {
      throw new IllegalArgumentException("lease must be positive: " + lease);
    }
    return new WorkOptions(concurrency, ms, closeWaitMillis, consumer, handledRetainMillis, deadMaxLen);
  }

  /** How long {@code close()} lets running jobs finish before interrupting them. Default 10 s. */
  public WorkOptions closeWait(Duration wait) {
    if (wait.isNegative()) {
      throw new IllegalArgumentException("closeWait must not be negative: " + wait);
    }
    return new WorkOptions(concurrency, leaseMillis, wait.toMillis(), consumer, handledRetainMillis, deadMaxLen);
  }

  /** This worker's name in the queue's consumer group (default {@code <HOSTNAME>-<pid>-<n>}). */
  public WorkOptions consumer(String name) {
    return new WorkOptions(concurrency, leaseMillis, closeWaitMillis, name, handledRetainMillis, deadMaxLen);
  }

  /** How many dead jobs a queue keeps, about (the oldest go first). Default 10,000. */
  public WorkOptions deadMaxLen(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("deadMaxLen must be positive: " + max);
    }
    return new WorkOptions(concurrency, leaseMillis, closeWaitMillis, consumer, handledRetainMillis, max);
  }

  int concurrency() {
    return concurrency;
  }

  long leaseMillis() {
    return leaseMillis;
  }

  long closeWaitMillis() {
    return closeWaitMillis;
  }

  long handledRetainMillis() {
    return handledRetainMillis;
  }

  long deadMaxLen() {
    return deadMaxLen;
  }

  String consumerName() {
    if (consumer != null) {
      return consumer;
    }
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = "worker";
    }
    return host + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
  }
}
