package io.redwire.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link RedwireMetrics} that counts every event per (event, name), for tests, diagnostics and
 * simple dashboards. Thread-safe; counting is a {@link LongAdder} increment.
 *
 * <p>The event is the name of the listener method, e.g. {@code count("cacheHit", "product")}.
 * {@code cacheLoad} also adds its duration to a total, read with {@link #totalNanos}; so does
 * {@code lockAcquired} (the time spent waiting for the lock).
 */
public final class CountingMetrics implements RedwireMetrics {

  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> nanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

  /** Creates a listener with every count at zero. */
  public CountingMetrics() {}

  /** How many times {@code event} (a listener method name) happened for {@code name}. */
  public long count(String event, String name) {
    LongAdder adder = counts.get(key(event, name));
    return adder == null ? 0 : adder.sum();
  }

  /** How many times {@code event} happened, for every name together. */
  public long count(String event) {
    String prefix = event + '\u0000';
    long sum = 0;
    for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        sum += e.getValue().sum();
      }
    }
    return sum;
  }

  /** Total nanoseconds recorded by timed events (e.g. {@code "cacheLoad"}) for {@code name}. */
  public long totalNanos(String event, String name) {
    LongAdder adder = nanos.get(key(event, name));
    return adder == null ? 0 : adder.sum();
  }

  /**
   * The last value a gauge-like event (e.g. {@code "eventOutboxDepth"}, {@code "eventGroupLag"})
   * reported for {@code name}, or -1 if it never did.
   */
  public long last(String event, String name) {
    return last.getOrDefault(key(event, name), -1L);
  }

  /** Sets every count and total back to zero. */
  public void reset() {
    counts.clear();
    nanos.clear();
    last.clear();
  }

  /**
   * Every non-zero count, one {@code event[name]=count} per line in sorted order, timed events
   * followed by their total in milliseconds.
   */
  public String summary() {
    Map<String, String> lines = new TreeMap<>();
    counts.forEach((k, v) -> lines.put(k, display(k) + "=" + v.sum()));
    nanos.forEach(
        (k, v) ->
            lines.computeIfPresent(
                k, (key, line) -> line + String.format(" (%.3f ms)", v.sum() / 1e6)));
    return String.join("\n", lines.values());
  }

  @Override
  public String toString() {
    return "CountingMetrics{" + summary().replace('\n', ' ') + "}";
  }

  @Override
  public void cacheHit(String cache) {
    inc("cacheHit", cache);
  }

  @Override
  public void cacheMiss(String cache) {
    inc("cacheMiss", cache);
  }

  @Override
  public void cacheLoad(String cache, long nanos) {
    inc("cacheLoad", cache);
    this.nanos.computeIfAbsent(key("cacheLoad", cache), k -> new LongAdder()).add(nanos);
  }

  @Override
  public void cacheEarlyRefresh(String cache) {
    inc("cacheEarlyRefresh", cache);
  }

  @Override
  public void cacheStampedeWait(String cache) {
    inc("cacheStampedeWait", cache);
  }

  @Override
  public void cacheDecodeFailure(String cache, RuntimeException e) {
    inc("cacheDecodeFailure", cache);
  }

  @Override
  public void cacheEncodeFailure(String cache, RuntimeException e) {
    inc("cacheEncodeFailure", cache);
  }

  @Override
  public void cacheClearPending(String cache) {
    inc("cacheClearPending", cache);
  }

  @Override
  public void nearHit(String cache) {
    inc("nearHit", cache);
  }

  @Override
  public void nearMiss(String cache) {
    inc("nearMiss", cache);
  }

  @Override
  public void nearInvalidation(String cache) {
    inc("nearInvalidation", cache);
  }

  @Override
  public void nearClear(String cache) {
    inc("nearClear", cache);
  }

  @Override
  public void redisError(String name, String operation, Exception e) {
    inc("redisError", name);
  }

  @Override
  public void circuitOpened(String name) {
    inc("circuitOpened", name);
  }

  @Override
  public void circuitClosed(String name) {
    inc("circuitClosed", name);
  }

  @Override
  public void rateLimitAdmitted(String limit) {
    inc("rateLimitAdmitted", limit);
  }

  @Override
  public void rateLimitLimited(String limit) {
    inc("rateLimitLimited", limit);
  }

  @Override
  public void rateLimitWaited(String limit, long nanos) {
    inc("rateLimitWaited", limit);
    this.nanos.computeIfAbsent(key("rateLimitWaited", limit), k -> new LongAdder()).add(nanos);
  }

  @Override
  public void rateLimitAllowedOnFailure(String limit) {
    inc("rateLimitAllowedOnFailure", limit);
  }

  @Override
  public void rateLimitDeniedOnFailure(String limit) {
    inc("rateLimitDeniedOnFailure", limit);
  }

  @Override
  public void lockAcquired(String lock, long waitNanos) {
    inc("lockAcquired", lock);
    this.nanos.computeIfAbsent(key("lockAcquired", lock), k -> new LongAdder()).add(waitNanos);
  }

  @Override
  public void lockWait(String lock) {
    inc("lockWait", lock);
  }

  @Override
  public void lockBusy(String lock) {
    inc("lockBusy", lock);
  }

  @Override
  public void lockLost(String lock) {
    inc("lockLost", lock);
  }

  @Override
  public void eventPublished(String channel) {
    inc("eventPublished", channel);
  }

  @Override
  public void eventPublishFailed(String channel, Exception e) {
    inc("eventPublishFailed", channel);
  }

  @Override
  public void eventOutboxed(String channel, int depth) {
    inc("eventOutboxed", channel);
  }

  @Override
  public void eventOutboxDepth(String channel, int depth) {
    last.put(key("eventOutboxDepth", channel), (long) depth);
  }

  @Override
  public void eventGroupLag(String channel, String group, long lag) {
    last.put(key("eventGroupLag", channel + "/" + group), lag);
  }

  @Override
  public void eventDelivered(String channel, String group) {
    inc("eventDelivered", channel + "/" + group);
  }

  @Override
  public void eventHandled(String channel, String group, long nanos, boolean success) {
    inc("eventHandled", channel + "/" + group);
    this.nanos.computeIfAbsent(key("eventHandled", channel + "/" + group), k -> new LongAdder()).add(nanos);
  }

  @Override
  public void eventAcked(String channel, String group) {
    inc("eventAcked", channel + "/" + group);
  }

  @Override
  public void eventSkipped(String channel, String group) {
    inc("eventSkipped", channel + "/" + group);
  }

  @Override
  public void eventRetried(String channel, String group, int delivery) {
    inc("eventRetried", channel + "/" + group);
  }

  @Override
  public void eventDeadLettered(String channel, String group, String reason) {
    inc("eventDeadLettered", channel + "/" + group);
  }

  @Override
  public void eventReclaimed(String channel, String group, int count) {
    counts.computeIfAbsent(key("eventReclaimed", channel + "/" + group), k -> new LongAdder()).add(count);
  }

  @Override
  public void eventHandedBack(String channel, String group, int count) {
    counts.computeIfAbsent(key("eventHandedBack", channel + "/" + group), k -> new LongAdder()).add(count);
  }

  @Override
  public void eventListenerRecovered(String channel, String group, String what) {
    inc("eventListenerRecovered", channel + "/" + group);
  }

  /** Counted per name, and per {@code name.operation} as {@code boardOperationOf}. */
  @Override
  public void boardOperation(String name, String operation) {
    inc("boardOperation", name);
    inc("boardOperationOf", name + "." + operation);
  }

  @Override
  public void sessionCreated(String store) {
    inc("sessionCreated", store);
  }

  @Override
  public void sessionFound(String store) {
    inc("sessionFound", store);
  }

  @Override
  public void sessionExpiredOnRead(String store) {
    inc("sessionExpiredOnRead", store);
  }

  @Override
  public void sessionRotated(String store) {
    inc("sessionRotated", store);
  }

  @Override
  public void sessionInvalidated(String store) {
    inc("sessionInvalidated", store);
  }

  /** Counted per store, and per {@code store.field} as {@code sessionDecodeFailureField}. */
  @Override
  public void sessionDecodeFailure(String store, String field, RuntimeException e) {
    inc("sessionDecodeFailure", store);
    inc("sessionDecodeFailureField", store + "." + field);
  }

  @Override
  public void jobEnqueued(String queue, boolean delayed) {
    inc("jobEnqueued", queue);
  }

  @Override
  public void jobDuplicate(String queue) {
    inc("jobDuplicate", queue);
  }

  @Override
  public void jobEnqueueFailed(String queue, Exception e) {
    inc("jobEnqueueFailed", queue);
  }

  @Override
  public void jobPromoted(String queue, int count) {
    counts.computeIfAbsent(key("jobPromoted", queue), k -> new LongAdder()).add(count);
  }

  /** Counted per queue, and as {@code jobFailed} when the attempt threw. */
  @Override
  public void jobRan(String queue, long nanos, boolean success) {
    inc("jobRan", queue);
    if (!success) {
      inc("jobFailed", queue);
    }
    this.nanos.computeIfAbsent(key("jobRan", queue), k -> new LongAdder()).add(nanos);
  }

  @Override
  public void jobTimedOut(String queue) {
    inc("jobTimedOut", queue);
  }

  @Override
  public void jobRetried(String queue, int attempt) {
    inc("jobRetried", queue);
  }

  @Override
  public void jobDead(String queue, String reason) {
    inc("jobDead", queue);
  }

  @Override
  public void jobReclaimed(String queue, int count) {
    counts.computeIfAbsent(key("jobReclaimed", queue), k -> new LongAdder()).add(count);
  }

  @Override
  public void jobHandedBack(String queue, int count) {
    counts.computeIfAbsent(key("jobHandedBack", queue), k -> new LongAdder()).add(count);
  }

  @Override
  public void jobWorkerRecovered(String queue, String what) {
    inc("jobWorkerRecovered", queue);
  }

  /** Counts one {@code event} for {@code name}; for subclass-free extension by later patterns. */
  void inc(String event, String name) {
    counts.computeIfAbsent(key(event, name), k -> new LongAdder()).increment();
  }

  private static String key(String event, String name) {
    return event + '\u0000' + name;
  }

  private static String display(String key) {
    int sep = key.indexOf('\u0000');
    return key.substring(0, sep) + "[" + key.substring(sep + 1) + "]";
  }
}
