package io.redwire.processor.model;

import javax.lang.model.type.TypeMirror;

/**
 * One {@code @Subscribes} method of a listener interface.
 *
 * @param group the consumer group (durable), defaulting to {@code <Interface>.<method>}
 * @param eventType the type of the method's only parameter, null when it does not have exactly one
 *     (reported)
 * @param valueType how the event is decoded; null when {@code eventType} is null
 * @param async whether the method returns {@code CompletionStage<Void>} / {@code CompletableFuture<Void>}
 * @param backoffMillis -1 when malformed (reported); likewise {@code reclaimAfterMillis}
 */
public record SubscribeSpec(
    Origin origin,
    String channel,
    boolean durable,
    String group,
    int concurrency,
    int maxDeliveries,
    long backoffMillis,
    long reclaimAfterMillis,
    TypeMirror eventType,
    ValueType valueType,
    boolean async) {}
