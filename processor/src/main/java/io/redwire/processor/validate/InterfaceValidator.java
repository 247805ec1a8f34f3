package io.redwire.processor.validate;

import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;

/** Checks that the generated class can implement the interface: reachable from its package, not sealed. */
public final class InterfaceValidator {

  private final Diagnostics diagnostics;

  public InterfaceValidator(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** Like {@link #validate}, without reporting anything. */
  public boolean implementable(TypeElement type) {
    if (type.getModifiers().contains(Modifier.SEALED) || type.getNestingKind() == NestingKind.LOCAL
        || type.getNestingKind() == NestingKind.ANONYMOUS) {
      return false;
    }
    for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        return false;
      }
    }
    return true;
  }

  /** True when the interface can be implemented by a class generated beside it. */
  public boolean validate(TypeElement type) {
    if (type.getModifiers().contains(Modifier.SEALED)) {
      diagnostics.interfaceSealed(type);
      return false;
    }
    if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
      diagnostics.interfaceNotAccessible(type, "it is local to a method");
      return false;
    }
    for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        diagnostics.interfaceNotAccessible(type,
            t == type ? "it is private" : "it is nested in private " + t.getSimpleName());
        return false;
      }
    }
    return true;
  }
}
