package io.redwire.processor.read;

import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.CacheWrite;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.LockSpec;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.ResultShape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads an interface into an {@link InterfaceModel}: every method the generated class must implement
 * (declared and inherited, abstract and default), with the Redwire annotations on each.
 */
public final class InterfaceReader {

  private final Elements elements;
  private final Types types;
  private final CacheReader caches;
  private final RateLimitReader rateLimits;
  private final LockReader locks;

  public InterfaceReader(ProcessingEnvironment env, CacheReader caches, RateLimitReader rateLimits,
      LockReader locks) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.caches = caches;
    this.rateLimits = rateLimits;
    this.locks = locks;
  }

  public InterfaceModel read(TypeElement type) {
    DeclaredType declared = (DeclaredType) type.asType();
    List<MethodModel> methods = new ArrayList<>();
    for (ExecutableElement m : implementable(type)) {
      ExecutableType asMember = (ExecutableType) types.asMemberOf(declared, m);
      List<Param> params = new ArrayList<>();
      List<? extends VariableElement> ps = m.getParameters();
      for (int i = 0; i < ps.size(); i++) {
        params.add(new Param(ps.get(i).getSimpleName().toString(), asMember.getParameterTypes().get(i),
            ps.get(i)));
      }
      ResultShape result = resultShape(asMember.getReturnType());
      CacheSpec cached = caches.readCached(m, params, result);
      List<CacheWrite> writes = caches.readWrites(m, params);
      LockSpec locked = locks.read(m, params, asMember.getReturnType());
      methods.add(new MethodModel(m, asMember, List.copyOf(params), result, cached, writes,
          rateLimits.read(m, params), locked));
    }
    PackageElement pkg = elements.getPackageOf(type);
    return new InterfaceModel(type, declared, pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString(),
        generatedName(type), List.copyOf(methods));
  }

  /** {@code Catalog} -> {@code RedwireCatalog}; {@code Outer.Inner} -> {@code RedwireOuter_Inner}. */
  public static String generatedName(TypeElement type) {
    StringBuilder name = new StringBuilder(type.getSimpleName());
    Element e = type.getEnclosingElement();
    while (e instanceof TypeElement outer) {
      name.insert(0, outer.getSimpleName() + "_");
      e = outer.getEnclosingElement();
    }
    return "Redwire" + name;
  }

  /**
   * The interface's own methods in declaration order, then inherited ones, skipping static, private,
   * overridden and {@code java.lang.Object} methods.
   */
  private List<ExecutableElement> implementable(TypeElement type) {
    Set<ExecutableElement> all = new LinkedHashSet<>(ElementFilter.methodsIn(elements.getAllMembers(type)));
    List<ExecutableElement> ordered = new ArrayList<>();
    walk(type, all, ordered, new LinkedHashSet<>());
    return ordered;
  }

  private void walk(TypeElement type, Set<ExecutableElement> all, List<ExecutableElement> out,
      Set<TypeElement> seen) {
    if (!seen.add(type)) {
      return;
    }
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (all.contains(m) && m.getEnclosingElement().getKind() == ElementKind.INTERFACE
          && !m.getModifiers().contains(Modifier.STATIC) && !m.getModifiers().contains(Modifier.PRIVATE)) {
        out.add(m);
      }
    }
    for (TypeMirror i : type.getInterfaces()) {
      if (i.getKind() == TypeKind.DECLARED) {
        walk((TypeElement) ((DeclaredType) i).asElement(), all, out, seen);
      }
    }
  }

  private ResultShape resultShape(TypeMirror returned) {
    switch (returned.getKind()) {
      case VOID:
        return new ResultShape(ResultShape.Wrapper.VOID, returned, returned, false);
      case BOOLEAN: case BYTE: case SHORT: case CHAR: case INT: case LONG: case FLOAT: case DOUBLE:
        return new ResultShape(ResultShape.Wrapper.PLAIN, returned,
            types.boxedClass((javax.lang.model.type.PrimitiveType) returned).asType(), true);
      default:
        break;
    }
    if (returned.getKind() == TypeKind.DECLARED) {
      DeclaredType d = (DeclaredType) returned;
      String raw = ((TypeElement) d.asElement()).getQualifiedName().toString();
      ResultShape.Wrapper wrapper = switch (raw) {
        case "java.util.Optional" -> ResultShape.Wrapper.OPTIONAL;
        case "java.util.concurrent.CompletableFuture" -> ResultShape.Wrapper.COMPLETABLE_FUTURE;
        case "java.util.concurrent.CompletionStage" -> ResultShape.Wrapper.COMPLETION_STAGE;
        default -> null;
      };
      if (wrapper != null && d.getTypeArguments().size() == 1) {
        return new ResultShape(wrapper, returned, d.getTypeArguments().get(0), false);
      }
    }
    return new ResultShape(ResultShape.Wrapper.PLAIN, returned, returned, false);
  }
}
