package io.redwire.processor.read;

import io.redwire.processor.model.ValueType;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.type.TypeMirror;

/** TEMPORARY stub. */
public final class ValueTypeReader {
  public ValueTypeReader(ProcessingEnvironment env) {}

  public ValueType read(TypeMirror type, Element site) {
    return switch (type.toString()) {
      case "java.lang.String", "java.lang.Long" -> new ValueType.Simple(type.toString());
      default -> new ValueType.Unsupported(type + " is not supported by the stub", type.toString());
    };
  }
}
