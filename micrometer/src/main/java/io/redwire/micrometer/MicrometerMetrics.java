package io.redwire.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.redwire.runtime.RedwireMetrics;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Records Redwire's metrics in a Micrometer {@link MeterRegistry}: counters, timers and one gauge,
 * named {@code redwire.<kind>.<what>} and tagged with the pattern {@code name} (the cache, limit,
 * lock, board or session store name of the annotation) and, where an event has several outcomes, the outcome
 * ({@code result}, {@code operation}, {@code exception}, {@code state}).
 *
 * <pre>{@code
 * Redwire redwire = Redwire.builder().uri(uri).metrics(new MicrometerMetrics(registry)).build();
 * }</pre>
 *
 * <p>Meters are created on first use and kept per name (and tag value), so after the first call
 * a listener method is one {@link ConcurrentHashMap#get} per tag level and one increment or
 * record: no registry look-up and no {@link Tags} allocation on the caller's thread. Every meter
 * name always has the same tag keys, as Prometheus requires. Names come from the annotations
 * and operations and exception types from the code, so the number of series is bounded.
 *
 * <p>Several {@code Redwire} instances may share one {@code MicrometerMetrics} (their counts add
 * up; the circuit gauge counts the open breakers). Two {@code MicrometerMetrics} on one registry
 * share its counters and timers, but a gauge reads only the first one's state: give each its own
 * {@code tags} (e.g. {@code instance}) or share one instance. Histograms and percentiles of the
 * timers are left to the registry's {@code MeterFilter}s.
 *
 * <p>Thread-safe. Adding a metric for a new listener method takes a field (a {@link MeterMap} of
 * the meter) and an override that calls {@code field.get(name).increment()}.
 */
public final class MicrometerMetrics implements RedwireMetrics {

  private final MeterRegistry registry;
  private final Tags common;

  // ---------------------------------------------------------------- caches

  /** hit and miss, both registered at the first lookup of a cache so a hit ratio has both series. */
  private record Gets(Counter hit, Counter miss) {}

  private final MeterMap<String, Gets> cacheGets =
      new MeterMap<>(
          name ->
              new Gets(
                  counter("redwire.cache.gets", "Cache lookups, by result", name, "result", "hit"),
                  counter("redwire.cache.gets", "Cache lookups, by result", name, "result", "miss")));

  private final MeterMap<String, Timer> cacheLoads =
      new MeterMap<>(
          name -> timer("redwire.cache.loads", "Time the delegate took to compute a value for the cache", name));

  private final MeterMap<String, Counter> cacheEarlyRefreshes =
      new MeterMap<>(
          name ->
              counter(
                  "redwire.cache.early.refreshes",
                  "Values recomputed before they expired (probabilistic early refresh)",
                  name));

  private final MeterMap<String, Counter> cacheStampedeWaits =
      new MeterMap<>(
          name ->
              counter(
                  "redwire.cache.stampede.waits",
                  "Callers that waited for the instance holding the load lease of a key",
                  name));

  private final MeterMap<String, MeterMap<Class<?>, Counter>> cacheDecodeFailures =
      new MeterMap<>(
          name ->
              new MeterMap<>(
                  type ->
                      counter(
                          "redwire.cache.decode.failures",
                          "Cached bytes that could not be decoded, read as misses",
                          name,
                          "exception",
                          simpleName(type))));

  private final MeterMap<String, MeterMap<Class<?>, Counter>> cacheEncodeFailures =
      new MeterMap<>(
          name ->
              new MeterMap<>(
                  type ->
                      counter(
                          "redwire.cache.encode.failures",
                          "Values that could not be encoded, so not written to the cache",
                          name,
                          "exception",
                          simpleName(type))));

  private final MeterMap<String, Counter> nearHits =
      new MeterMap<>(name -> counter("redwire.cache.near.hits", "Near-cache (in-process) hits", name));

  private final MeterMap<String, Counter> nearMisses =
      new MeterMap<>(name -> counter("redwire.cache.near.misses", "Near-cache lookups that went on to Redis", name));

  private final MeterMap<String, Counter> nearInvalidations =
      new MeterMap<>(
          name -> counter("redwire.cache.near.invalidations", "Near-cache entries dropped on invalidation", name));

  private final MeterMap<String, Counter> nearClears =
      new MeterMap<>(
          name -> counter("redwire.cache.near.clears", "Whole near-cache clears (clear-all, lost connection)", name));

  private final MeterMap<String, Counter> cacheClearPending =
      new MeterMap<>(
          name ->
              counter(
                  "redwire.cache.clear.pending",
                  "Clear-alls that could not reach Redis, applied locally and retried",
                  name));

  // ---------------------------------------------------------------- Redis failures, circuit

  /** name, then operation, then exception type. */
  private final MeterMap<String, MeterMap<String, MeterMap<Class<?>, Counter>>> redisErrors =
      new MeterMap<>(
          name ->
              new MeterMap<>(
                  operation ->
                      new MeterMap<>(
                          type ->
                              counter(
                                  "redwire.redis.errors",
                                  "Redis calls that failed or timed out; the failure policy applied",
                                  name,
                                  "operation",
                                  operation,
                                  "exception",
                                  simpleName(type)))));

  /** The number of open breakers of a name (1 or 0 for one Redwire), read by the gauge. */
  private final MeterMap<String, AtomicInteger> circuitOpen = new MeterMap<>(this::circuitGauge);

  private record Transitions(Counter opened, Counter closed) {}

  private final MeterMap<String, Transitions> circuitTransitions =
      new MeterMap<>(
          name ->
              new Transitions(
                  counter("redwire.circuit.transitions", "Circuit breaker transitions, by new state", name, "state", "open"),
                  counter("redwire.circuit.transitions", "Circuit breaker transitions, by new state", name, "state", "closed")));

  // ---------------------------------------------------------------- rate limits

  private record Decisions(Counter admitted, Counter limited, Counter allowedOnFailure, Counter deniedOnFailure) {}

  private final MeterMap<String, Decisions> rateLimitDecisions =
      new MeterMap<>(
          name ->
              new Decisions(
                  decision(name, "admitted"),
                  decision(name, "limited"),
                  decision(name, "allowed.on.failure"),
                  decision(name, "denied.on.failure")));

  private final MeterMap<String, Timer> rateLimitWaits =
      new MeterMap<>(
          name -> timer("redwire.ratelimit.waits", "Time calls with onLimit = WAIT waited for a permit", name));

  // ---------------------------------------------------------------- locks

  private final MeterMap<String, Timer> lockAcquisitions =
      new MeterMap<>(
          name -> timer("redwire.lock.acquisitions", "Locks taken, with the time waited for them", name));

  private final MeterMap<String, Counter> lockWaits =
      new MeterMap<>(
          name -> counter("redwire.lock.waits", "Lock acquisitions that found the lock busy and waited", name));

  private final MeterMap<String, Counter> lockBusy =
      new MeterMap<>(
          name ->
              counter(
                  "redwire.lock.busy",
                  "Locks not taken within maxWait (or Redis failed): the caller threw or skipped",
                  name));

  private final MeterMap<String, Counter> lockLost =
      new MeterMap<>(
          name -> counter("redwire.lock.lost", "Locks lost before their method returned", name));

  // ---------------------------------------------------------------- events (name = channel)

  private final MeterMap<String, Counter> eventsPublished =
      new MeterMap<>(channel -> counter("redwire.event.published", "Events published", channel));

  private final MeterMap<String, MeterMap<Class<?>, Counter>> eventPublishFailures =
      new MeterMap<>(
          channel ->
              new MeterMap<>(
                  type ->
                      counter(
                          "redwire.event.publish.failures",
                          "Events that could not be published (durable ones wait in the outbox)",
                          channel,
                          "exception",
                          simpleName(type))));

  private final MeterMap<String, Counter> eventsOutboxed =
      new MeterMap<>(channel -> counter("redwire.event.outboxed", "Durable events put in the local outbox", channel));

  private final MeterMap<String, AtomicInteger> outboxDepth = new MeterMap<>(this::outboxGauge);

  private final MeterMap<String, MeterMap<String, AtomicLong>> groupLag =
      new MeterMap<>(channel -> new MeterMap<>(group -> lagGauge(channel, group)));

  private final MeterMap<String, MeterMap<String, Counter>> eventsDelivered = grouped("redwire.event.delivered",
      "Events delivered to a listener");

  private final MeterMap<String, MeterMap<String, MeterMap<Boolean, Timer>>> eventsHandled =
      new MeterMap<>(
          channel ->
              new MeterMap<>(group -> new MeterMap<>(success -> handledTimer(channel, group, success))));

  private final MeterMap<String, MeterMap<String, Counter>> eventsAcked = grouped("redwire.event.acked",
      "Events acknowledged after their listener succeeded");

  private final MeterMap<String, MeterMap<String, Counter>> eventsSkipped = grouped("redwire.event.skipped",
      "Events the group had already handled, acknowledged without running the listener");

  private final MeterMap<String, MeterMap<String, Counter>> eventsRetried = grouped("redwire.event.retried",
      "Failed deliveries scheduled again");

  private final MeterMap<String, MeterMap<String, Counter>> eventsDeadLettered = grouped(
      "redwire.event.dead.lettered", "Events moved to the dead-letter stream");

  private final MeterMap<String, MeterMap<String, Counter>> eventsReclaimed = grouped("redwire.event.reclaimed",
      "Pending events reclaimed from consumers that stopped");

  private final MeterMap<String, MeterMap<String, Counter>> eventsHandedBack = grouped("redwire.event.handed.back",
      "Events whose listener did not finish within the close wait, handed back to the group at close");

  private final MeterMap<String, MeterMap<String, Counter>> listenerRecoveries = grouped(
      "redwire.event.listener.recoveries", "Listeners that recovered by themselves (group created again,"
          + " resubscribed)");

  private MeterMap<String, MeterMap<String, Counter>> grouped(String meter, String description) {
    return new MeterMap<>(channel -> new MeterMap<>(group -> counter(meter, description, channel, "group", group)));
  }

  // ---------------------------------------------------------------- boards, counters, distinct counts

  private final MeterMap<String, MeterMap<String, Counter>> boardOperations =
      new MeterMap<>(
          name ->
              new MeterMap<>(
                  operation ->
                      counter(
                          "redwire.board.operations",
                          "Operations on leaderboards, counters and distinct counts",
                          name,
                          "operation",
                          operation)));

  // ---------------------------------------------------------------- job queues (name = queue)

  private final MeterMap<String, MeterMap<Boolean, Counter>> jobsEnqueued =
      new MeterMap<>(
          queue ->
              new MeterMap<>(
                  delayed ->
                      counter("redwire.job.enqueued", "Jobs added to a queue (delayed: to run later)", queue,
                          "delayed", Boolean.toString(delayed))));

  private final MeterMap<String, Counter> jobDuplicates =
      new MeterMap<>(queue -> counter("redwire.job.duplicates",
          "Unique jobs not added: a job with the same unique key was pending", queue));

  private final MeterMap<String, MeterMap<Class<?>, Counter>> jobEnqueueFailures =
      new MeterMap<>(
          queue ->
              new MeterMap<>(
                  type ->
                      counter("redwire.job.enqueue.failures", "Jobs that could not be enqueued (the caller got"
                          + " an exception)", queue, "exception", simpleName(type))));

  private final MeterMap<String, Counter> jobsPromoted =
      new MeterMap<>(queue -> counter("redwire.job.promoted", "Delayed jobs moved to their queue when due", queue));

  private final MeterMap<String, MeterMap<Boolean, Timer>> jobRuns =
      new MeterMap<>(
          queue ->
              new MeterMap<>(
                  success -> jobTimer(queue, success)));

  private final MeterMap<String, Counter> jobTimeouts =
      new MeterMap<>(queue -> counter("redwire.job.timeouts", "Attempts interrupted after the job's timeout", queue));

  private final MeterMap<String, Counter> jobsRetried =
      new MeterMap<>(queue -> counter("redwire.job.retried", "Failed attempts scheduled again", queue));

  private final MeterMap<String, Counter> jobsDead =
      new MeterMap<>(queue -> counter("redwire.job.dead", "Jobs that failed maxAttempts times or could not be"
          + " decoded", queue));

  private final MeterMap<String, Counter> jobsReclaimed =
      new MeterMap<>(queue -> counter("redwire.job.reclaimed", "Jobs of stopped workers taken over after their"
          + " lease", queue));

  private final MeterMap<String, Counter> jobsHandedBack =
      new MeterMap<>(queue -> counter("redwire.job.handed.back", "Running jobs that did not finish within the"
          + " close wait, handed back to the other workers at close", queue));

  private final MeterMap<String, Counter> jobWorkerRecoveries =
      new MeterMap<>(queue -> counter("redwire.job.worker.recoveries", "Workers that recovered by themselves"
          + " (reconnected, group created again)", queue));

  // ---------------------------------------------------------------- sessions

  private final MeterMap<String, MeterMap<String, Counter>> sessionEvents =
      new MeterMap<>(
          name ->
              new MeterMap<>(
                  event ->
                      counter(
                          "redwire.session.events",
                          "Session store events: created, found, expired (found ended on read), rotated,"
                              + " invalidated",
                          name,
                          "event",
                          event)));

  private final MeterMap<String, MeterMap<String, Counter>> sessionDecodeFailures =
      new MeterMap<>(
          name ->
              new MeterMap<>(
                  field ->
                      counter(
                          "redwire.session.decode.failures",
                          "Session fields whose bytes could not be decoded, read as absent",
                          name,
                          "field",
                          field)));

  /** Records into {@code registry}. */
  public MicrometerMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Records into {@code registry}, adding {@code tags} to every meter (e.g. {@code
   * Tags.of("instance", "a")} when several Redwire instances report to one registry).
   */
  public MicrometerMetrics(MeterRegistry registry, Iterable<Tag> tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.common = Tags.of(Objects.requireNonNull(tags, "tags"));
    // Redwire's circuit breaker is named "redis": its meters read 0 from the start, not absent
    circuitOpen.get("redis");
    circuitTransitions.get("redis");
  }

  @Override
  public void cacheHit(String cache) {
    cacheGets.get(cache).hit.increment();
  }

  @Override
  public void cacheMiss(String cache) {
    cacheGets.get(cache).miss.increment();
  }

  @Override
  public void cacheLoad(String cache, long nanos) {
    cacheLoads.get(cache).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void cacheEarlyRefresh(String cache) {
    cacheEarlyRefreshes.get(cache).increment();
  }

  @Override
  public void cacheStampedeWait(String cache) {
    cacheStampedeWaits.get(cache).increment();
  }

  @Override
  public void cacheDecodeFailure(String cache, RuntimeException e) {
    cacheDecodeFailures.get(cache).get(e.getClass()).increment();
  }

  @Override
  public void cacheEncodeFailure(String cache, RuntimeException e) {
    cacheEncodeFailures.get(cache).get(e.getClass()).increment();
  }

  @Override
  public void cacheClearPending(String cache) {
    cacheClearPending.get(cache).increment();
  }

  @Override
  public void nearHit(String cache) {
    nearHits.get(cache).increment();
  }

  @Override
  public void nearMiss(String cache) {
    nearMisses.get(cache).increment();
  }

  @Override
  public void nearInvalidation(String cache) {
    nearInvalidations.get(cache).increment();
  }

  @Override
  public void nearClear(String cache) {
    nearClears.get(cache).increment();
  }

  @Override
  public void redisError(String name, String operation, Exception e) {
    redisErrors.get(name).get(operation).get(e.getClass()).increment();
  }

  @Override
  public void circuitOpened(String name) {
    circuitOpen.get(name).incrementAndGet();
    circuitTransitions.get(name).opened.increment();
  }

  @Override
  public void circuitClosed(String name) {
    circuitOpen.get(name).decrementAndGet();
    circuitTransitions.get(name).closed.increment();
  }

  @Override
  public void rateLimitAdmitted(String limit) {
    rateLimitDecisions.get(limit).admitted.increment();
  }

  @Override
  public void rateLimitLimited(String limit) {
    rateLimitDecisions.get(limit).limited.increment();
  }

  @Override
  public void rateLimitWaited(String limit, long nanos) {
    rateLimitWaits.get(limit).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void rateLimitAllowedOnFailure(String limit) {
    rateLimitDecisions.get(limit).allowedOnFailure.increment();
  }

  @Override
  public void rateLimitDeniedOnFailure(String limit) {
    rateLimitDecisions.get(limit).deniedOnFailure.increment();
  }

  @Override
  public void lockAcquired(String lock, long waitNanos) {
    lockAcquisitions.get(lock).record(waitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void lockWait(String lock) {
    lockWaits.get(lock).increment();
  }

  @Override
  public void lockBusy(String lock) {
    lockBusy.get(lock).increment();
  }

  @Override
  public void lockLost(String lock) {
    lockLost.get(lock).increment();
  }

  @Override
  public void boardOperation(String name, String operation) {
    boardOperations.get(name).get(operation).increment();
  }

  @Override
  public void eventPublished(String channel) {
    eventsPublished.get(channel).increment();
  }

  @Override
  public void eventPublishFailed(String channel, Exception e) {
    eventPublishFailures.get(channel).get(e.getClass()).increment();
  }

  @Override
  public void eventOutboxed(String channel, int depth) {
    eventsOutboxed.get(channel).increment();
  }

  @Override
  public void eventOutboxDepth(String channel, int depth) {
    outboxDepth.get(channel).set(depth);
  }

  @Override
  public void eventGroupLag(String channel, String group, long lag) {
    groupLag.get(channel).get(group).set(lag);
  }

  @Override
  public void eventDelivered(String channel, String group) {
    eventsDelivered.get(channel).get(group).increment();
  }

  @Override
  public void eventHandled(String channel, String group, long nanos, boolean success) {
    eventsHandled.get(channel).get(group).get(success).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void eventAcked(String channel, String group) {
    eventsAcked.get(channel).get(group).increment();
  }

  @Override
  public void eventSkipped(String channel, String group) {
    eventsSkipped.get(channel).get(group).increment();
  }

  @Override
  public void eventRetried(String channel, String group, int delivery) {
    eventsRetried.get(channel).get(group).increment();
  }

  @Override
  public void eventDeadLettered(String channel, String group, String reason) {
    eventsDeadLettered.get(channel).get(group).increment(); // the reason is free text: not a tag
  }

  @Override
  public void eventReclaimed(String channel, String group, int count) {
    eventsReclaimed.get(channel).get(group).increment(count);
  }

  @Override
  public void eventHandedBack(String channel, String group, int count) {
    eventsHandedBack.get(channel).get(group).increment(count);
  }

  @Override
  public void eventListenerRecovered(String channel, String group, String what) {
    listenerRecoveries.get(channel).get(group).increment();
  }

  @Override
  public void jobEnqueued(String queue, boolean delayed) {
    jobsEnqueued.get(queue).get(delayed).increment();
  }

  @Override
  public void jobDuplicate(String queue) {
    jobDuplicates.get(queue).increment();
  }

  @Override
  public void jobEnqueueFailed(String queue, Exception e) {
    jobEnqueueFailures.get(queue).get(e.getClass()).increment();
  }

  @Override
  public void jobPromoted(String queue, int count) {
    jobsPromoted.get(queue).increment(count);
  }

  @Override
  public void jobRan(String queue, long nanos, boolean success) {
    jobRuns.get(queue).get(success).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void jobTimedOut(String queue) {
    jobTimeouts.get(queue).increment();
  }

  @Override
  public void jobRetried(String queue, int attempt) {
    jobsRetried.get(queue).increment();
  }

  @Override
  public void jobDead(String queue, String reason) {
    jobsDead.get(queue).increment(); // the reason is free text: not a tag
  }

  @Override
  public void jobReclaimed(String queue, int count) {
    jobsReclaimed.get(queue).increment(count);
  }

  @Override
  public void jobHandedBack(String queue, int count) {
    jobsHandedBack.get(queue).increment(count);
  }

  @Override
  public void jobWorkerRecovered(String queue, String what) {
    jobWorkerRecoveries.get(queue).increment();
  }

  @Override
  public void sessionCreated(String store) {
    sessionEvents.get(store).get("created").increment();
  }

  @Override
  public void sessionFound(String store) {
    sessionEvents.get(store).get("found").increment();
  }

  @Override
  public void sessionExpiredOnRead(String store) {
    sessionEvents.get(store).get("expired").increment();
  }

  @Override
  public void sessionRotated(String store) {
    sessionEvents.get(store).get("rotated").increment();
  }

  @Override
  public void sessionInvalidated(String store) {
    sessionEvents.get(store).get("invalidated").increment();
  }

  @Override
  public void sessionDecodeFailure(String store, String field, RuntimeException e) {
    sessionDecodeFailures.get(store).get(field).increment();
  }

  @Override
  public String toString() {
    return "MicrometerMetrics{" + registry.getClass().getSimpleName() + common + "}";
  }

  // ---------------------------------------------------------------- meter creation (first use only)

  private Counter decision(String name, String result) {
    return counter("redwire.ratelimit.decisions", "Rate limit decisions, by result", name, "result", result);
  }

  /** The outbox depth of {@code channel}, read by a new gauge that holds it. */
  private AtomicInteger outboxGauge(String channel) {
    AtomicInteger depth = new AtomicInteger();
    Gauge.builder("redwire.event.outbox.depth", depth, AtomicInteger::get)
        .description("Durable events waiting in the local outbox for Redis")
        .tags(tags(channel))
        .strongReference(true)
        .register(registry);
    return depth;
  }

  /** The lag of {@code group} on {@code channel}, read by a new gauge that holds it. */
  private AtomicLong lagGauge(String channel, String group) {
    AtomicLong lag = new AtomicLong();
    Gauge.builder("redwire.event.group.lag", lag, AtomicLong::get)
        .description("Events in the stream not yet delivered to the group, as last sampled (Redis 7.0+)")
        .tags(tags(channel, "group", group))
        .strongReference(true)
        .register(registry);
    return lag;
  }

  private Timer jobTimer(String queue, boolean success) {
    return Timer.builder("redwire.job.runs")
        .description("Time job attempts took, by outcome")
        .tags(tags(queue, "result", success ? "success" : "failure"))
        .register(registry);
  }

  private Timer handledTimer(String channel, String group, boolean success) {
    return Timer.builder("redwire.event.handled")
        .description("Time listeners took, by outcome")
        .tags(tags(channel, "group", group, "result", success ? "success" : "failure"))
        .register(registry);
  }

  /** The number of open breakers of {@code name}, read by a new gauge that holds it. */
  private AtomicInteger circuitGauge(String name) {
    AtomicInteger open = new AtomicInteger();
    Gauge.builder("redwire.circuit.state", open, o -> Math.max(0, o.get()))
        .description("1 while the circuit breaker is open (Redis is skipped), 0 while closed")
        .tags(tags(name))
        .strongReference(true)
        .register(registry);
    return open;
  }

  /** A counter tagged {@code name} and the given key-value pairs. */
  private Counter counter(String meter, String description, String name, String... keyValues) {
    return Counter.builder(meter).description(description).tags(tags(name, keyValues)).register(registry);
  }

  /** A timer tagged {@code name}. */
  private Timer timer(String meter, String description, String name) {
    return Timer.builder(meter).description(description).tags(tags(name)).register(registry);
  }

  private Tags tags(String name, String... keyValues) {
    return common.and("name", name).and(keyValues);
  }

  /** The exception tag: the simple class name, or the full name for anonymous and local classes. */
  private static String simpleName(Class<?> type) {
    String simple = type.getSimpleName();
    return simple.isEmpty() ? type.getName() : simple;
  }

  /**
   * The meters (or the next level of meters) of one metric, one per key, created on first use.
   * A {@link #get} of a known key is one {@link ConcurrentHashMap#get}: no lock, no allocation.
   */
  static final class MeterMap<K, V> {
    private final ConcurrentHashMap<K, V> values = new ConcurrentHashMap<>();
    private final Function<K, V> create;

    MeterMap(Function<K, V> create) {
      this.create = create;
    }

    V get(K key) {
      V value = values.get(key);
      return value != null ? value : values.computeIfAbsent(key, create);
    }
  }
}
