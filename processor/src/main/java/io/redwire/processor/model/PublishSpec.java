package io.redwire.processor.model;

import javax.lang.model.type.TypeMirror;

/**
 * One {@code @Publishes} method: what it publishes (its result, or the {@code @Payload} parameter),
 * where, and how the payload is encoded.
 *
 * @param payload the {@code @Payload} parameter, or null to publish the result
 * @param payloadType the type published (the parameter's, or the result's unwrapped from Optional);
 *     null when there is nothing to publish (reported)
 * @param valueType how the payload is encoded; null when {@code payloadType} is null
 * @param retainMillis trimming by age (durable), 0 when by count; -1 when malformed (reported)
 * @param retainCount trimming by count (durable), 0 when by age
 */
public record PublishSpec(
    Origin origin,
    String channel,
    boolean durable,
    long retainMillis,
    long retainCount,
    Param payload,
    TypeMirror payloadType,
    ValueType valueType) {

  /** A day: how much of a stream is kept when {@code retain} is left empty. */
  public static final long DEFAULT_RETAIN_MILLIS = 86_400_000L;
}
