package io.redwire.runtime.events;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run-time options of a subscription, over what the annotation compiled. Immutable; each method returns
 * a copy.
 *
 * <pre>{@code
 * RedwireOrderEvents.subscribe(billing, redwire,
 *     SubscribeOptions.DEFAULTS.consumer("billing-1").concurrency(8).closeWait(Duration.ofSeconds(30)));
 * }</pre>
 */
public final class SubscribeOptions {

  private static final AtomicInteger NEXT = new AtomicInteger();

  /** The compiled settings; a consumer name from the host and process; 10 s close wait; 1 day dedupe. */
  public static final SubscribeOptions DEFAULTS =
      new SubscribeOptions(null, 0, 0, 10_000, 86_400_000L, 10_000);

  private final String consumer;
  private final int concurrency;
  private final long reclaimAfterMillis;
  private final long closeWaitMillis;
  private final long handledRetainMillis;
  private final long deadLetterMaxLen;

  private SubscribeOptions(String consumer, int concurrency, long reclaimAfterMillis, long closeWaitMillis,
      long handledRetainMillis, long deadLetterMaxLen) {
    this.consumer = consumer;
    this.concurrency = concurrency;
    this.reclaimAfterMillis = reclaimAfterMillis;
    this.closeWaitMillis = closeWaitMillis;
    this.handledRetainMillis = handledRetainMillis;
    this.deadLetterMaxLen = deadLetterMaxLen;
  }

  /**
   * This instance's consumer name in its groups (default {@code <HOSTNAME>-<pid>-<n>}): keep it stable
   * for the life of the instance and unique among the group's instances.
   */
  public SubscribeOptions consumer(String name) {
    return new SubscribeOptions(Objects.requireNonNull(name, "name"), concurrency, reclaimAfterMillis,
        closeWaitMillis, handledRetainMillis, deadLetterMaxLen);
  }

  /** Overrides the compiled {@code concurrency}. */
  public SubscribeOptions concurrency(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + threads);
    }
    return new SubscribeOptions(consumer, threads, reclaimAfterMillis, closeWaitMillis, handledRetainMillis,
        deadLetterMaxLen);
  }

  /** Overrides the compiled {@code reclaimAfter}. */
  public SubscribeOptions reclaimAfter(Duration idle) {
    return new SubscribeOptions(consumer, concurrency, positive(idle), closeWaitMillis, handledRetainMillis,
        deadLetterMaxLen);
  }

  /** How long {@code close()} waits for running handlers before it interrupts them (default 10 s). */
  public SubscribeOptions closeWait(Duration wait) {
    if (wait.isNegative()) {
      throw new IllegalArgumentException("closeWait must not be negative");
    }
    return new SubscribeOptions(consumer, concurrency, reclaimAfterMillis, wait.toMillis(), handledRetainMillis,
        deadLetterMaxLen);
  }

  /**
   * How long the group remembers the ids it handled, to skip redeliveries and replays of them (default
   * 1 day; the record expires after this).
   */
  public SubscribeOptions handledRetain(Duration retain) {
    return new SubscribeOptions(consumer, concurrency, reclaimAfterMillis, closeWaitMillis, positive(retain),
        deadLetterMaxLen);
  }

  /** About how many dead letters a group keeps (default 10,000; older ones are trimmed). */
  public SubscribeOptions deadLetterMaxLen(long entries) {
    if (entries < 1) {
      throw new IllegalArgumentException("deadLetterMaxLen must be at least 1");
    }
    return new SubscribeOptions(consumer, concurrency, reclaimAfterMillis, closeWaitMillis, handledRetainMillis,
        entries);
  }

  String consumerName() {
    if (consumer != null) {
      return consumer;
    }
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = "host";
    }
    return host + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
  }

  int threads(int compiled) {
    return concurrency > 0 ? concurrency : compiled;
  }

  long reclaimAfterMillis(long compiled) {
    return reclaimAfterMillis > 0 ? reclaimAfterMillis : compiled;
  }

  long closeWaitMillis() {
    return closeWaitMillis;
  }

  long handledRetainMillis() {
    return handledRetainMillis;
  }

  long deadLetterMaxLen() {
    return deadLetterMaxLen;
  }

  private static long positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be positive, got " + d);
    }
    return d.toMillis();
  }
}
