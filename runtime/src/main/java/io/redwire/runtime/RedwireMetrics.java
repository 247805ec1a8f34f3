package io.redwire.runtime;

/**
 * Listener for what Redwire does, with no dependency on any metrics library. Every method has a
 * no-op default, so an implementation overrides only what it records and keeps compiling when
 * later patterns add events. Implementations must be thread-safe and fast: they are called on the
 * caller's thread, on hot paths.
 *
 * <p>Names are the pattern names from the annotations (the cache name, the limiter name, ...).
 */
public interface RedwireMetrics {

  /** A listener that ignores every event. */
  RedwireMetrics NONE = new RedwireMetrics() {};

  /** A cached value was found. */
  default void cacheHit(String cache) {}

  /** No usable cached value was found. */
  default void cacheMiss(String cache) {}

  /** The delegate computed a value for the cache in {@code nanos} nanoseconds. */
  default void cacheLoad(String cache, long nanos) {}

  /** A caller recomputed a value before it expired (probabilistic early refresh). */
  default void cacheEarlyRefresh(String cache) {}

  /** A caller waited for another instance that held the load lease of the key. */
  default void cacheStampedeWait(String cache) {}

  /**
   * Cached bytes could not be decoded (another type shape, damaged bytes, or a codec or record
   * constructor that refused them): read as a miss, and the entry is loaded and written again.
   */
  default void cacheDecodeFailure(String cache, RuntimeException e) {}

  /** A value could not be encoded: the write was skipped; the caller still got the delegate's value. */
  default void cacheEncodeFailure(String cache, RuntimeException e) {}

  /** A clear-all could not reach Redis: it applies in this instance at once and is retried until it lands. */
  default void cacheClearPending(String cache) {}

  /** A near-cache (in-process L1) hit: served with no round trip. */
  default void nearHit(String cache) {}

  /** A near-cache lookup found nothing usable; the call went on to Redis. */
  default void nearMiss(String cache) {}

  /** An entry was dropped from the near cache because its Redis key changed (or was announced to). */
  default void nearInvalidation(String cache) {}

  /** The whole near cache was cleared: a clear-all, or the invalidation connection was lost or re-opened. */
  default void nearClear(String cache) {}

  /**
   * A Redis call failed or timed out; the pattern applied its failure policy.
   *
   * @param name the pattern name
   * @param operation what was attempted, e.g. {@code "get"} or {@code "acquire"}
   * @param e the failure
   */
  default void redisError(String name, String operation, Exception e) {}

  /** After repeated failures, calls for {@code name} skip Redis for a cool-down. */
  default void circuitOpened(String name) {}

  /** Redis answered again; calls for {@code name} use it again. */
  default void circuitClosed(String name) {}

  // ---------------------------------------------------------------- rate limits (per limit name)

  /** A call was admitted by every limit of its method; counted for each of them. */
  default void rateLimitAdmitted(String limit) {}

  /** A call was refused by {@code limit} (the one with the longest wait, when several refused). */
  default void rateLimitLimited(String limit) {}

  /**
   * A call with {@code onLimit = WAIT} waited {@code nanos} for a permit (whether it then got one or not);
   * named by the method's first limit.
   */
  default void rateLimitWaited(String limit, long nanos) {}

  /** Redis could not be asked and {@code onFailure = ALLOW} admitted the call. */
  default void rateLimitAllowedOnFailure(String limit) {}

  /** Redis could not be asked and {@code onFailure = DENY} refused the call. */
  default void rateLimitDeniedOnFailure(String limit) {}

  // ---------------------------------------------------------------- locks

  /** A {@code @Locked} method took its lock after waiting {@code waitNanos} (re-entries are not counted). */
  default void lockAcquired(String lock, long waitNanos) {}

  /** The lock was busy at the first try and the caller waited for it. */
  default void lockWait(String lock) {}

  /** The lock could not be taken within {@code maxWait} (or Redis failed): the caller threw or skipped. */
  default void lockBusy(String lock) {}

  /** A held lock was lost before its method returned: its lease ran out or could not be renewed. */
  default void lockLost(String lock) {}

  // ---------------------------------------------------------------- boards, counters, distinct counts

  /**
   * One operation on a leaderboard, counter or distinct count ({@code operation}: {@code add},
   * {@code best}, {@code rank}, {@code top}, {@code increment}, {@code sum}, {@code count}, ...).
   */
  default void boardOperation(String name, String operation) {}

  // ---------------------------------------------------------------- events (channel, and group for listeners)

  /** An event was published on {@code channel} (for a durable channel: added to its stream). */
  default void eventPublished(String channel) {}

  /**
   * An event could not be published: a non-durable one is dropped; a durable one reached the caller as
   * an exception (outbox full, or a command error). {@code e} says why.
   */
  default void eventPublishFailed(String channel, Exception e) {}

  /** Redis was down: a durable event waits in the local outbox, which now holds {@code depth} events. */
  default void eventOutboxed(String channel, int depth) {}

  /** An event was handed to a listener method (each delivery, retries included). */
  default void eventDelivered(String channel, String group) {}

  /** A listener method ran for {@code nanos} and returned ({@code success}) or threw. */
  default void eventHandled(String channel, String group, long nanos, boolean success) {}

  /** A handled event was acknowledged (and recorded as handled by its group). */
  default void eventAcked(String channel, String group) {}

  /**
   * An event was acknowledged without running the listener: the group had already handled its event id,
   * or another entry with the same event id was still pending in the group (a copy, from a publisher
   * that retried an add whose reply it lost).
   */
  default void eventSkipped(String channel, String group) {}

  /**
   * The group's lag: events in the stream not yet delivered to {@code group}, sampled every 5 s by each
   * of its subscriptions (Redis 7.0+ and Valkey; older servers do not report it).
   */
  default void eventGroupLag(String channel, String group, long lag) {}

  /** The number of durable events waiting in the local outbox changed (put there, or published from it). */
  default void eventOutboxDepth(String channel, int depth) {}

  /** A failed event will be delivered again ({@code delivery} is the next delivery's number). */
  default void eventRetried(String channel, String group, int delivery) {}

  /** An event went to the group's dead letters: failed {@code maxDeliveries} times, or undecodable. */
  default void eventDeadLettered(String channel, String group, String reason) {}

  /** {@code count} events left pending by another consumer were taken over. */
  default void eventReclaimed(String channel, String group, int count) {}

  /**
   * A closing subscription handed back {@code count} events whose listener did not finish within the
   * close wait: another consumer of the group takes them over at its next reclaim scan.
   */
  default void eventHandedBack(String channel, String group, int count) {}

  /** A listener recovered by itself: reconnected, or created its consumer group again. */
  default void eventListenerRecovered(String channel, String group, String what) {}

  // ---------------------------------------------------------------- job queues (per queue name)

  /** A job was added to {@code queue} ({@code delayed}: to its delayed set, to run later). */
  default void jobEnqueued(String queue, boolean delayed) {}

  /** A unique job was not added: a job with its unique key is waiting, delayed or running. */
  default void jobDuplicate(String queue) {}

  /** A job could not be enqueued (Redis down, a command error): the caller got an exception. */
  default void jobEnqueueFailed(String queue, Exception e) {}

  /** Delayed jobs that fell due were moved to the queue by a worker ({@code count} of them). */
  default void jobPromoted(String queue, int count) {}

  /** An attempt of a job ran for {@code nanos} and returned ({@code success}) or threw. */
  default void jobRan(String queue, long nanos, boolean success) {}

  /** An attempt ran longer than the job's timeout: its thread was interrupted and the attempt failed. */
  default void jobTimedOut(String queue) {}

  /** A failed job will run again ({@code attempt} is the next attempt's number). */
  default void jobRetried(String queue, int attempt) {}

  /** A job is dead: it failed {@code maxAttempts} times, or its arguments could not be decoded. */
  default void jobDead(String queue, String reason) {}

  /** {@code count} jobs whose worker stopped (killed, lease lapsed) were taken over to run again. */
  default void jobReclaimed(String queue, int count) {}

  /**
   * A closing worker handed back {@code count} running jobs that did not finish within its close wait:
   * another worker takes them over at its next reclaim scan, not after their lease.
   */
  default void jobHandedBack(String queue, int count) {}

  /** A worker recovered by itself: reconnected, or created its consumer group again. */
  default void jobWorkerRecovered(String queue, String what) {}

  // ---------------------------------------------------------------- sessions (per store name)

  /** A session was created. */
  default void sessionCreated(String store) {}

  /** {@code find(id)} found a live session. */
  default void sessionFound(String store) {}

  /**
   * An access found its session ended: past its absolute deadline (deleted then), or, through a view
   * of a session that existed, expired, invalidated, evicted or rotated away (counted once per view).
   */
  default void sessionExpiredOnRead(String store) {}

  /** A session moved to a new id. */
  default void sessionRotated(String store) {}

  /** A session was invalidated: by {@code invalidate}, {@code invalidateAll} or a {@code maxPerUser} eviction. */
  default void sessionInvalidated(String store) {}

  /**
   * A session field's bytes could not be decoded (another shape of its type after a deploy, damaged
   * bytes): it read as absent; the other fields still read.
   */
  default void sessionDecodeFailure(String store, String field, RuntimeException e) {}
}
