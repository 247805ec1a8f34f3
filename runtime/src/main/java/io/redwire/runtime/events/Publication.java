package io.redwire.runtime.events;

/**
 * What a {@code @Publishes} method publishes to, as compiled: a constant in the generated class.
 *
 * @param retainMillis for a durable channel trimmed by age: entries older than this are trimmed
 *     (approximately) on every publish; 0 when trimmed by count
 * @param retainCount for a durable channel trimmed by length: about this many entries are kept; 0 when
 *     trimmed by age
 */
public record Publication(String channel, boolean durable, long retainMillis, long retainCount) {}
