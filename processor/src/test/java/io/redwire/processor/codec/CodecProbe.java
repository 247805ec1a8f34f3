package io.redwire.processor.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Test-only: {@link ProbeProcessor} writes a {@code <Name>Codecs} class for interfaces marked with this. */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface CodecProbe {}
