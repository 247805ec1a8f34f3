package io.redwire.processor.read;

import io.redwire.processor.model.BulkShape;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.ResultShape;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Recognises a bulk {@code @Cached} method by its shape: exactly one parameter, a {@code Set},
 * {@code List} or {@code Collection}, and a map as its result (plain, or in an Optional or a future,
 * which the validator refuses). Pure: reports nothing.
 */
public final class BulkReader {

  private final Types types;
  private final Elements elements;

  public BulkReader(ProcessingEnvironment env) {
    this.types = env.getTypeUtils();
    this.elements = env.getElementUtils();
  }

  /** The bulk shape of a method with these parameters and result, or null when it is not a bulk method. */
  public BulkShape read(List<Param> params, ResultShape result) {
    if (params.size() != 1 || params.get(0).type().getKind() != TypeKind.DECLARED) {
      return null;
    }
    Param ids = params.get(0);
    DeclaredType collection = (DeclaredType) ids.type();
    BulkShape.Kind kind = switch (((TypeElement) collection.asElement()).getQualifiedName().toString()) {
      case "java.util.Set" -> BulkShape.Kind.SET;
      case "java.util.List" -> BulkShape.Kind.LIST;
      case "java.util.Collection" -> BulkShape.Kind.COLLECTION;
      default -> null;
    };
    TypeElement map = elements.getTypeElement("java.util.Map");
    TypeMirror value = result.value();
    if (kind == null || map == null || value.getKind() != TypeKind.DECLARED
        || !types.isAssignable(types.erasure(value), types.erasure(map.asType()))) {
      return null;
    }
    DeclaredType returned = (DeclaredType) value;
    boolean plainMap = result.wrapper() == ResultShape.Wrapper.PLAIN
        && ((TypeElement) returned.asElement()).getQualifiedName().contentEquals("java.util.Map");
    TypeMirror mapKey = null;
    TypeMirror mapValue = null;
    if (plainMap && returned.getTypeArguments().size() == 2) {
      mapKey = exact(returned.getTypeArguments().get(0));
      mapValue = exact(returned.getTypeArguments().get(1));
    }
    TypeMirror element = collection.getTypeArguments().size() == 1 ? exact(collection.getTypeArguments().get(0)) : null;
    return new BulkShape(ids, kind, element, mapKey, mapValue, result.declared(), plainMap);
  }

  /** {@code t} unless it is a wildcard. */
  private static TypeMirror exact(TypeMirror t) {
    return t.getKind() == TypeKind.WILDCARD ? null : t;
  }
}
