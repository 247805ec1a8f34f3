package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code java.time.Duration} parameter of a {@link Queued} method that delays the job: it
 * runs that long after it was enqueued, measured by the Redis server's clock (null or not positive:
 * at once). The parameter is passed to the method when the job runs, like the others.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Delay {}
