package io.redwire.runtime.events;

/**
 * What a {@code @Subscribes} method listens to, as compiled: a constant in the generated class.
 * {@code group}, {@code maxDeliveries}, {@code backoffMillis} and {@code reclaimAfterMillis} apply to
 * durable channels only.
 */
public record Listening(
    String channel,
    boolean durable,
    String group,
    int concurrency,
    int maxDeliveries,
    long backoffMillis,
    long reclaimAfterMillis) {}
