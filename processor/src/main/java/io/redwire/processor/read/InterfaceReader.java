package io.redwire.processor.read;

import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.CacheWrite;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.LockSpec;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.ResultShape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
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
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
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
  private final HandleReader handles;
  private final EventReader events;
  private final QueueReader queues;

  public InterfaceReader(ProcessingEnvironment env, CacheReader caches, RateLimitReader rateLimits,
      LockReader locks, HandleReader handles, EventReader events, QueueReader queues) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.caches = caches;
    this.rateLimits = rateLimits;
    this.locks = locks;
    this.handles = handles;
    this.events = events;
    this.queues = queues;
  }

  public InterfaceModel read(TypeElement type) {
    DeclaredType declared = (DeclaredType) type.asType();
    String prefix = InterfaceModel.namePrefix(type);
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
      CacheSpec cached = caches.readCached(m, params, result, prefix);
      List<CacheWrite> writes = caches.readWrites(m, params);
      LockSpec locked = locks.read(m, params, asMember.getReturnType(), prefix);
      methods.add(new MethodModel(m, asMember, List.copyOf(params), result, cached, writes,
          rateLimits.read(m, params, prefix), locked,
          handles.read(m, params, asMember.getReturnType(), prefix),
          events.readPublishes(m, params, result), events.readSubscribes(m, params, prefix),
          queues.read(m, params, prefix)));
    }
    PackageElement pkg = elements.getPackageOf(type);
    return new InterfaceModel(type, declared, pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString(),
        generatedName(type), resolveWrites(methods, prefix), null);
  }

  /**
   * Resolves the cache each {@code @CachePut}/{@code @CacheEvict} names: a cache of the interface with
   * exactly that name, else the default-named cache of the method of that name ({@code "product"} ->
   * {@code "Catalog.product"}). Unknown names stay as written, for the validator to report.
   */
  private static List<MethodModel> resolveWrites(List<MethodModel> methods, String prefix) {
    Set<String> names = new LinkedHashSet<>();
    for (MethodModel m : methods) {
      if (m.cached() != null) {
        names.add(m.cached().name());
      }
    }
    List<MethodModel> out = new ArrayList<>();
    for (MethodModel m : methods) {
      List<CacheWrite> writes = new ArrayList<>();
      for (CacheWrite w : m.writes()) {
        if (!w.cacheName().isEmpty() && !names.contains(w.cacheName())
            && names.contains(prefix + w.cacheName())) {
          w = new CacheWrite(w.origin(), w.kind(), prefix + w.cacheName(), w.key(), w.all());
        }
        writes.add(w);
      }
      out.add(new MethodModel(m.element(), m.type(), m.params(), m.result(), m.cached(),
          List.copyOf(writes), m.rateLimits(), m.locked(), m.handle(), m.publishes(), m.subscribes(), m.queued()));
    }
    return List.copyOf(out);
  }

  /**
   * The type variables of {@code type} (or of the interfaces it extends, left unresolved) that occur in
   * the parameter or return types of its Redwire-annotated methods, in order of first use. A generic
   * base such as {@code Repo<T, ID>} with {@code @Cached T find(ID id)} has no fixed key or value shape
   * until a sub-interface ({@code AccountRepo extends Repo<Account, Long>}) fixes them: Redwire
   * implements the sub-interface and leaves the base alone.
   */
  public List<String> openTypeVariables(TypeElement type, Collection<String> annotations) {
    DeclaredType declared = (DeclaredType) type.asType();
    Set<String> found = new LinkedHashSet<>();
    for (ExecutableElement m : implementable(type)) {
      if (!Mirrors.hasAny(m, annotations)) {
        continue;
      }
      ExecutableType asMember = (ExecutableType) types.asMemberOf(declared, m);
      collectTypeVariables(asMember.getReturnType(), found, new HashSet<>());
      for (TypeMirror p : asMember.getParameterTypes()) {
        collectTypeVariables(p, found, new HashSet<>());
      }
    }
    return List.copyOf(found);
  }

  /** Whether {@code type} inherits (does not declare) a method with one of {@code annotations}. */
  public boolean inheritsAnnotatedMethods(TypeElement type, Collection<String> annotations) {
    for (ExecutableElement m : implementable(type)) {
      if (m.getEnclosingElement() != type && Mirrors.hasAny(m, annotations)) {
        return true;
      }
    }
    return false;
  }

  /** Type variables declared by a type (not by a method), anywhere inside {@code t}. */
  private static void collectTypeVariables(TypeMirror t, Set<String> out, Set<TypeMirror> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    switch (t.getKind()) {
      case TYPEVAR -> {
        TypeVariable v = (TypeVariable) t;
        if (v.asElement().getEnclosingElement() instanceof TypeElement) {
          out.add(v.toString());
        }
      }
      case DECLARED -> ((DeclaredType) t).getTypeArguments().forEach(a -> collectTypeVariables(a, out, seen));
      case ARRAY -> collectTypeVariables(((ArrayType) t).getComponentType(), out, seen);
      case WILDCARD -> {
        WildcardType w = (WildcardType) t;
        collectTypeVariables(w.getExtendsBound(), out, seen);
        collectTypeVariables(w.getSuperBound(), out, seen);
      }
      default -> {
      }
    }
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
