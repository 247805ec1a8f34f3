package io.redwire.processor.generate;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import io.redwire.processor.model.MethodModel;

/**
 * One method being written: its model, the method builder, and the allocator of local names (seeded
 * with the parameter names). {@code cls} is the class the method belongs to.
 */
record MethodContext(ClassContext cls, MethodModel model, MethodSpec.Builder method, NameAllocator names) {}
