package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Write-through: the method always runs, and its result is stored under the key of the {@link Cached}
 * method named {@link #name()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface CachePut {

  /** The {@link Cached#name()} of a cached method of the same interface. Required. */
  String name() default "";

  /** Key template; must produce the same shape (parts and types) as the cache's key. Defaults to all parameters. */
  String key() default "";
}
