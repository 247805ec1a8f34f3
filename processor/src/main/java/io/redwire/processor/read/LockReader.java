package io.redwire.processor.read;

import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.LockSpec;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.validate.Diagnostics;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** Reads {@code @Locked} from a method's annotation mirrors. Durations and the key are checked here. */
public final class LockReader {

  public static final String LOCKED = "io.redwire.Locked";

  /** Simple names of annotations that declare a return value never null. */
  private static final Set<String> NON_NULL = Set.of("NonNull", "Nonnull", "NotNull");

  private final KeyTemplates keys;
  private final Diagnostics diagnostics;

  public LockReader(KeyTemplates keys, Diagnostics diagnostics) {
    this.keys = keys;
    this.diagnostics = diagnostics;
  }

  /**
   * The method's {@code @Locked}, or null when it has none. The name defaults to {@code namePrefix} and
   * the method's name ({@code "Inventory.reserve"}).
   */
  public LockSpec read(ExecutableElement method, List<Param> params, TypeMirror returned,
      String namePrefix) {
    AnnotationMirror a = Mirrors.find(method, LOCKED);
    if (a == null) {
      return null;
    }
    Origin at = new Origin(method, a);
    String name = Mirrors.string(a, "name");
    if (name.isEmpty()) {
      name = namePrefix + method.getSimpleName();
    }
    long lease = Durations.member(at, "Locked", "lease", false, 0, diagnostics);
    long maxWait = Durations.member(at, "Locked", "maxWait", false, 0, diagnostics);
    KeyTemplate key = keys.parse(Mirrors.string(a, "key"), params, at, "key");
    return new LockSpec(at, name, key, lease, maxWait,
        LockSpec.OnBusy.valueOf(Mirrors.enumName(a, "onBusy")), empty(returned), nonNull(method));
  }

  static LockSpec.Empty empty(TypeMirror t) {
    if (t.getKind() == TypeKind.VOID) {
      return LockSpec.Empty.VOID;
    }
    if (t.getKind().isPrimitive()) {
      return LockSpec.Empty.PRIMITIVE;
    }
    if (t.getKind() != TypeKind.DECLARED) {
      return LockSpec.Empty.NULL;
    }
    String raw = ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString();
    return switch (raw) {
      case "java.util.Optional" -> LockSpec.Empty.OPTIONAL;
      case "java.util.OptionalInt" -> LockSpec.Empty.OPTIONAL_INT;
      case "java.util.OptionalLong" -> LockSpec.Empty.OPTIONAL_LONG;
      case "java.util.OptionalDouble" -> LockSpec.Empty.OPTIONAL_DOUBLE;
      case "java.util.List", "java.util.Collection", "java.lang.Iterable" -> LockSpec.Empty.LIST;
      case "java.util.Set" -> LockSpec.Empty.SET;
      case "java.util.Map" -> LockSpec.Empty.MAP;
      case "java.util.SortedSet", "java.util.NavigableSet" -> LockSpec.Empty.SORTED_SET;
      case "java.util.SortedMap", "java.util.NavigableMap" -> LockSpec.Empty.SORTED_MAP;
      case "java.util.stream.Stream" -> LockSpec.Empty.STREAM;
      case "java.util.concurrent.CompletableFuture", "java.util.concurrent.CompletionStage",
          "java.util.concurrent.Future" -> LockSpec.Empty.FUTURE;
      default -> LockSpec.Empty.NULL;
    };
  }

  private static boolean nonNull(ExecutableElement method) {
    for (AnnotationMirror m : method.getAnnotationMirrors()) {
      if (NON_NULL.contains(m.getAnnotationType().asElement().getSimpleName().toString())) {
        return true;
      }
    }
    for (AnnotationMirror m : method.getReturnType().getAnnotationMirrors()) {
      if (NON_NULL.contains(m.getAnnotationType().asElement().getSimpleName().toString())) {
        return true;
      }
    }
    return false;
  }
}
