package io.redwire.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import java.util.Map;

/**
 * Where a piece of the model came from: the element, and the annotation on it when there is one, so a
 * diagnostic can point at the narrowest place (an annotation member's value when it has one).
 */
public record Origin(Element element, AnnotationMirror annotation) {

  public static Origin of(Element element) {
    return new Origin(element, null);
  }

  /** The value written for {@code member} in the annotation, or null when it was left at its default. */
  public AnnotationValue value(String member) {
    if (annotation == null) {
      return null;
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        annotation.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(member)) {
        return e.getValue();
      }
    }
    return null;
  }
}
