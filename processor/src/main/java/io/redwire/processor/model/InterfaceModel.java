package io.redwire.processor.model;

import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;

/**
 * An interface the processor implements: where the generated class goes, and every abstract or
 * default method it implements, in declaration order.
 */
public record InterfaceModel(
    TypeElement element,
    DeclaredType type,
    String packageName,
    String generatedSimpleName,
    List<MethodModel> methods) {

  /** The {@code @Cached} methods, in order. */
  public List<CacheSpec> caches() {
    return methods.stream().filter(m -> m.cached() != null).map(MethodModel::cached).toList();
  }
}
