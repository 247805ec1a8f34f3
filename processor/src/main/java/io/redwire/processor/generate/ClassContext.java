package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.InterfaceModel;

/**
 * What every {@link Step} of one generated class shares: the class and constructor being built, the
 * allocator of member names (so two features never pick the same field name), the key writer's
 * literal pool and the codecs.
 */
record ClassContext(
    InterfaceModel model,
    ClassName self,
    TypeSpec.Builder cls,
    MethodSpec.Builder constructor,
    NameAllocator members,
    KeyCode keys,
    CodecWriter codecs) {}
