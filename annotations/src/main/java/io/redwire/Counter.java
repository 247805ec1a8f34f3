package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Returns the exact, windowed counter ({@code io.redwire.runtime.board.Counter}) whose key is formed
 * by the method's parameters. The handle type shares this annotation's simple name, so one of them is
 * written qualified:
 *
 * <pre>{@code
 * @io.redwire.Counter(window = "1m", retain = "1h")
 * Counter pageViews(String page);                       // io.redwire.runtime.board.Counter
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Counter {

  /** Key template; defaults to all parameters in order. */
  String key() default "";

  /** The length of one bucket. */
  String window() default "1m";

  /** How long a bucket is kept after its window ended; at least one window. */
  String retain() default "1h";

  /** The counter name, part of every key. Defaults to {@code <Interface>.<method>}. */
  String name() default "";
}
