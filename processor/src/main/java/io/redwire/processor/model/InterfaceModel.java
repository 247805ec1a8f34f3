package io.redwire.processor.model;

import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;

/**
 * An interface the processor implements: where the generated class goes, and every abstract or
 * default method it implements, in declaration order; {@code session} is the {@code @SessionScoped}
 * reading of the interface, null for other interfaces.
 */
public record InterfaceModel(
    TypeElement element,
    DeclaredType type,
    String packageName,
    String generatedSimpleName,
    List<MethodModel> methods,
    SessionSpec session) {

  /** This model with {@code @SessionScoped} read. */
  public InterfaceModel withSession(SessionSpec spec) {
    return new InterfaceModel(element, type, packageName, generatedSimpleName, methods, spec);
  }

  /** The {@code @Cached} methods, in order. */
  public List<CacheSpec> caches() {
    return methods.stream().filter(m -> m.cached() != null).map(MethodModel::cached).toList();
  }

  /** The qualified name of the interface: the owner named in the runtime's name claims. */
  public String qualifiedName() {
    return element.getQualifiedName().toString();
  }

  /**
   * What default names start with: the interface's simple-name chain and a dot ({@code "Catalog."},
   * {@code "Outer.Inner."}), so {@code Catalog.product(long)} is the cache {@code "Catalog.product"}.
   */
  public String namePrefix() {
    return namePrefix(element);
  }

  /** See {@link #namePrefix()}. */
  public static String namePrefix(TypeElement type) {
    StringBuilder name = new StringBuilder(type.getSimpleName()).append('.');
    for (Element e = type.getEnclosingElement(); e instanceof TypeElement outer; e = outer.getEnclosingElement()) {
      name.insert(0, outer.getSimpleName() + ".");
    }
    return name.toString();
  }

  /**
   * The part of a pattern name that identifies it inside this interface: {@code "product"} for the
   * default name {@code "Catalog.product"}, the name itself when it was given explicitly.
   */
  public String localName(String name) {
    String prefix = namePrefix();
    return name.startsWith(prefix) && name.length() > prefix.length() ? name.substring(prefix.length()) : name;
  }
}
