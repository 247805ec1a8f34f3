package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Deletes an entry of the {@link Cached} method named {@link #name()} after this method returns normally;
 * with {@link #all()} the whole cache is cleared in O(1) by moving it to a new generation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
@Repeatable(CacheEvict.List.class)
public @interface CacheEvict {

  /** The {@link Cached#name()} of a cached method of the same interface. Required. */
  String name() default "";

  /** Key template; must produce the same shape as the cache's key. Defaults to all parameters. Not with {@code all}. */
  String key() default "";

  /** Clear every entry of the cache (one INCR, never KEYS or SCAN). */
  boolean all() default false;

  /** Container for several evictions on one method. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  @interface List {
    CacheEvict[] value();
  }
}
