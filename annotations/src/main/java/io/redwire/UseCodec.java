package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the codec for a type Redwire cannot encode by itself. On a type declaration it applies wherever
 * the type is stored; on a method it applies to the method's result.
 *
 * <p>The class must implement {@code io.redwire.runtime.codec.Codec<T>} for the annotated type, be
 * public, and have a public no-argument constructor (or a public static final {@code INSTANCE} field).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface UseCodec {

  /** The codec class. */
  Class<?> value();
}
