package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.InterfaceModel;

/**
 * What every {@link Step} of one generated class shares: the class being built, the constructor's
 * statements (they run after the name claims), the name claims, the allocator of member names (so
 * two features never pick the same field name), the key writer's literal pool and the codecs.
 */
record ClassContext(
    InterfaceModel model,
    ClassName self,
    TypeSpec.Builder cls,
    CodeBlock.Builder constructor,
    Claims claims,
    NameAllocator members,
    KeyCode keys,
    CodecWriter codecs) {}
