package io.redwire.processor.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/** Reads annotations through their mirrors, with defaults applied, never through getAnnotation(). */
public final class Mirrors {

  private Mirrors() {}

  /** The annotation of type {@code qualifiedName} on {@code element}, or null. */
  public static AnnotationMirror find(Element element, String qualifiedName) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      TypeElement t = (TypeElement) m.getAnnotationType().asElement();
      if (t.getQualifiedName().contentEquals(qualifiedName)) {
        return m;
      }
    }
    return null;
  }

  /** Whether {@code element} carries an annotation of one of the types named in {@code qualifiedNames}. */
  public static boolean hasAny(Element element, java.util.Collection<String> qualifiedNames) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      TypeElement t = (TypeElement) m.getAnnotationType().asElement();
      if (qualifiedNames.contains(t.getQualifiedName().toString())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every annotation of a repeatable type on {@code element}: the single one, or those in the container.
   */
  public static List<AnnotationMirror> findAll(Element element, String qualifiedName, String container) {
    List<AnnotationMirror> found = new ArrayList<>();
    AnnotationMirror single = find(element, qualifiedName);
    if (single != null) {
      found.add(single);
    }
    AnnotationMirror list = find(element, container);
    if (list != null) {
      Object value = raw(list, "value");
      if (value instanceof List<?> items) {
        for (Object item : items) {
          if (item instanceof AnnotationValue v && v.getValue() instanceof AnnotationMirror m) {
            found.add(m);
          }
        }
      }
    }
    return found;
  }

  /** The member's value with defaults applied, as javac models it (String, Integer, VariableElement...). */
  public static Object raw(AnnotationMirror mirror, String member) {
    for (Map.Entry<ExecutableElement, AnnotationValue> e : withDefaults(mirror).entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(member)) {
        return e.getValue() == null ? null : e.getValue().getValue();
      }
    }
    return null;
  }

  public static String string(AnnotationMirror mirror, String member) {
    Object v = raw(mirror, member);
    return v instanceof String s ? s : "";
  }

  public static int integer(AnnotationMirror mirror, String member) {
    Object v = raw(mirror, member);
    return v instanceof Integer i ? i : 0;
  }

  /** A {@code long} (or narrower integral) member. */
  public static long longValue(AnnotationMirror mirror, String member) {
    Object v = raw(mirror, member);
    return v instanceof Number n ? n.longValue() : 0;
  }

  public static boolean bool(AnnotationMirror mirror, String member) {
    Object v = raw(mirror, member);
    return v instanceof Boolean b && b;
  }

  /** The simple name of an enum constant member, e.g. {@code "EARLY"}. */
  public static String enumName(AnnotationMirror mirror, String member) {
    Object v = raw(mirror, member);
    return v instanceof VariableElement e ? e.getSimpleName().toString() : "";
  }

  private static Map<ExecutableElement, AnnotationValue> withDefaults(AnnotationMirror mirror) {
    Map<ExecutableElement, AnnotationValue> values = new LinkedHashMap<>();
    for (Element e : mirror.getAnnotationType().asElement().getEnclosedElements()) {
      if (e instanceof ExecutableElement m && m.getDefaultValue() != null) {
        values.put(m, m.getDefaultValue());
      }
    }
    values.putAll(mirror.getElementValues());
    return values;
  }
}
