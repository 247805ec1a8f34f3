package io.redwire.processor.model;

import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/** A method parameter, its type as seen from the interface being implemented. */
public record Param(String name, TypeMirror type, VariableElement element) {}
