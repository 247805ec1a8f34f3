package io.redwire.processor.read;

import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.SessionSpec;
import io.redwire.processor.model.SessionSpec.Accessor;
import io.redwire.processor.model.SessionSpec.Kind;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.validate.Diagnostics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Reads {@code @SessionScoped} and sorts the interface's abstract methods into accessors by shape
 * (see {@link Kind}). Durations are checked here; whether the accessors agree in {@code
 * SessionValidator}.
 */
public final class SessionReader {

  public static final String SESSION_SCOPED = "io.redwire.SessionScoped";
  public static final String SESSION_USER = "io.redwire.SessionUser";

  private final ValueTypeReader values;
  private final Diagnostics diagnostics;

  public SessionReader(ValueTypeReader values, Diagnostics diagnostics) {
    this.values = values;
    this.diagnostics = diagnostics;
  }

  /** The session spec of {@code model}'s interface, which carries {@code @SessionScoped}. */
  public SessionSpec read(InterfaceModel model) {
    TypeElement type = model.element();
    AnnotationMirror a = Mirrors.find(type, SESSION_SCOPED);
    Origin at = new Origin(type, a);
    String name = Mirrors.string(a, "name");
    if (name.isEmpty()) {
      String prefix = model.namePrefix();
      name = prefix.substring(0, prefix.length() - 1);
    }
    long ttl = Durations.member(at, "SessionScoped", "ttl", true, -1, diagnostics);
    long absolute = Durations.member(at, "SessionScoped", "absolute", false, 0, diagnostics);

    Set<String> setters = new HashSet<>();
    for (MethodModel m : model.methods()) {
      if (!m.element().isDefault() && m.params().size() == 1
          && m.type().getReturnType().getKind() == TypeKind.VOID) {
        setters.add(m.name());
      }
    }
    List<Accessor> accessors = new ArrayList<>();
    Map<String, Accessor> fields = new LinkedHashMap<>();
    String user = null;
    for (MethodModel m : model.methods()) {
      if (m.element().isDefault()) {
        continue;
      }
      Accessor accessor = accessor(m, setters);
      accessors.add(accessor);
      if (accessor.kind() == Kind.GET) {
        fields.putIfAbsent(accessor.field(), accessor);
      }
      if (Mirrors.find(m.element(), SESSION_USER) != null && user == null && accessor.kind() == Kind.GET) {
        user = accessor.field();
      }
    }
    return new SessionSpec(at, name, ttl, absolute, Mirrors.integer(a, "maxPerUser"), List.copyOf(accessors),
        fields, user);
  }

  private Accessor accessor(MethodModel m, Set<String> setters) {
    String name = m.name();
    TypeMirror returned = m.type().getReturnType();
    List<? extends TypeMirror> params = m.type().getParameterTypes();
    if (name.equals("id")) {
      boolean ok = params.isEmpty() && isString(returned);
      return new Accessor(m.element(), ok ? Kind.ID : Kind.RESERVED_ID, null, returned, null, List.of(), List.of());
    }
    if (params.isEmpty() && returned.getKind() != TypeKind.VOID) {
      TypeElement record = record(returned);
      if (record != null && !setters.contains(name)) {
        return view(m, Kind.VIEW, null, returned, record);
      }
      ValueType value = values.read(returned, m.element());
      return new Accessor(m.element(), Kind.GET, name, returned, value, List.of(), List.of());
    }
    if (params.size() == 1 && returned.getKind() == TypeKind.VOID) {
      return new Accessor(m.element(), Kind.SET, name, params.get(0), null, List.of(), List.of());
    }
    String added = suffix(name, "add");
    if (params.size() == 1 && added != null && record(returned) != null) {
      return view(m, Kind.ADD_VIEW, added, returned, record(returned));
    }
    if (params.size() == 1 && added != null) {
      return new Accessor(m.element(), Kind.ADD, added, returned, null, List.of(), List.of());
    }
    String cas = suffix(name, "compareAndSet");
    if (cas != null) {
      return new Accessor(m.element(), Kind.CAS, cas, params.isEmpty() ? returned : params.get(0), null,
          List.of(), List.of());
    }
    return new Accessor(m.element(), Kind.UNKNOWN, null, returned, null, List.of(), List.of());
  }

  /** A method returning view record {@code record}: its components name the fields it reads. */
  private static Accessor view(MethodModel m, Kind kind, String field, TypeMirror returned, TypeElement record) {
    List<String> components = new ArrayList<>();
    List<TypeMirror> types = new ArrayList<>();
    for (RecordComponentElement c : ElementFilter.recordComponentsIn(record.getEnclosedElements())) {
      components.add(c.getSimpleName().toString());
      types.add(c.asType());
    }
    return new Accessor(m.element(), kind, field, returned, null, List.copyOf(components), List.copyOf(types));
  }

  /** {@code "Items"} of {@code addItems} as {@code "items"}; null when {@code name} is not prefix + Capital. */
  private static String suffix(String name, String prefix) {
    if (name.length() <= prefix.length() || !name.startsWith(prefix)
        || !Character.isUpperCase(name.charAt(prefix.length()))) {
      return null;
    }
    String rest = name.substring(prefix.length());
    return rest.substring(0, 1).toLowerCase(Locale.ROOT) + rest.substring(1);
  }

  private static TypeElement record(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return null;
    }
    TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
    return e.getKind() == ElementKind.RECORD ? e : null;
  }

  static boolean isString(TypeMirror t) {
    return t.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().contentEquals("java.lang.String");
  }
}
