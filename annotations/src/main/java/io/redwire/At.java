package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code java.time.Instant} parameter of a {@link Queued} method that schedules the job: it
 * runs at that instant, as the Redis server's clock tells it (null or past: at once). The parameter is
 * passed to the method when the job runs, like the others.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface At {}
