package io.redwire.processor.validate;

import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.ValueType;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Checks {@code @Cached(near)}: the size is not negative, and the cached value is not visibly mutable,
 * since a near cache hands one decoded object to every caller.
 *
 * <p>The rule ({@code [Redwire/NearMutable]}, a warning): a value is visibly mutable when, anywhere in
 * it (list, set, map and optional elements, record components, the records of a sealed interface), it
 * holds an array (including {@code byte[]}), or a type with a user codec that is a class (not a record
 * or enum) declaring a non-final instance field, itself or in a superclass. Everything else the codecs
 * produce is immutable: records, enums, Strings, boxes, UUID, BigDecimal/BigInteger and java.time
 * values, and decoded lists, sets and maps, which are unmodifiable.
 */
final class NearCheck {

  private NearCheck() {}

  static void check(CacheSpec c, Diagnostics diagnostics) {
    if (c.near() < 0) {
      diagnostics.nearSize(c.origin(), c.near());
      return;
    }
    if (c.near() == 0 || c.valueType() == null) {
      return;
    }
    String what = mutable(c.valueType(), new HashSet<>());
    if (what != null) {
      diagnostics.nearMutable(c.origin(), c.result().value().toString(), what);
    }
  }

  /** What makes {@code v} visibly mutable, or null. */
  private static String mutable(ValueType v, Set<String> seen) {
    if (v instanceof ValueType.ArrayOf a) {
      return "an array (" + a.typeName() + ")";
    }
    if (v instanceof ValueType.BuiltIn b) {
      return b.typeName().endsWith("[]") ? "an array (" + b.typeName() + ")" : null;
    }
    if (v instanceof ValueType.ListOf l) {
      return mutable(l.element(), seen);
    }
    if (v instanceof ValueType.SetOf s) {
      return mutable(s.element(), seen);
    }
    if (v instanceof ValueType.MapOf m) {
      String k = mutable(m.key(), seen);
      return k != null ? k : mutable(m.value(), seen);
    }
    if (v instanceof ValueType.OptionalOf o) {
      return mutable(o.element(), seen);
    }
    if (v instanceof ValueType.RecordType r) {
      if (!seen.add(r.typeName())) {
        return null;
      }
      for (ValueType.Component c : r.components()) {
        String w = mutable(c.type(), seen);
        if (w != null) {
          return w + " in component " + c.name() + " of " + simple(r.typeName());
        }
      }
      return null;
    }
    if (v instanceof ValueType.SealedType s) {
      for (ValueType p : s.permits()) {
        String w = mutable(p, seen);
        if (w != null) {
          return w;
        }
      }
      return null;
    }
    if (v instanceof ValueType.UserCodec u) {
      String field = nonFinalField(u.type());
      return field == null ? null : "a class with the non-final field " + field;
    }
    return null; // primitives, boxes, enums, back references (checked where first seen)
  }

  /** The first non-final instance field of a class type (or its superclasses), or null. */
  private static String nonFinalField(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    Element e = ((DeclaredType) type).asElement();
    if (e.getKind() != ElementKind.CLASS) {
      return null; // records, enums and interfaces
    }
    for (TypeElement t = (TypeElement) e; t != null; ) {
      for (Element member : t.getEnclosedElements()) {
        if (member.getKind() == ElementKind.FIELD && !member.getModifiers().contains(Modifier.STATIC)
            && !member.getModifiers().contains(Modifier.FINAL)) {
          return simple(t.getQualifiedName().toString()) + "." + member.getSimpleName();
        }
      }
      TypeMirror sup = t.getSuperclass();
      t = sup.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) sup).asElement() : null;
      if (t != null && t.getQualifiedName().contentEquals("java.lang.Object")) {
        t = null;
      }
    }
    return null;
  }

  private static String simple(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }
}
