package io.redwire.processor.validate;

import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.SessionSpec;
import io.redwire.processor.model.SessionSpec.Accessor;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.read.Mirrors;
import io.redwire.processor.read.SessionReader;
import java.util.regex.Pattern;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Checks {@code @SessionScoped}: every accessor has a known shape and agrees with its field's getter
 * (setters, increments, compare-and-sets, view components), field types have codecs, the user getter
 * is one {@code String}, and the user index has the absolute timeout it expires by. Durations are
 * checked while reading.
 */
public final class SessionValidator {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Types types;
  private final Diagnostics diagnostics;

  public SessionValidator(Types types, Diagnostics diagnostics) {
    this.types = types;
    this.diagnostics = diagnostics;
  }

  public void validate(InterfaceModel model) {
    SessionSpec s = model.session();
    if (s == null) {
      return;
    }
    if (!model.element().getTypeParameters().isEmpty()) {
      diagnostics.sessionNotInterface(model.element());
      return;
    }
    if (s.origin().value("name") != null && !NAME.matcher(s.name()).matches()) {
      diagnostics.nameInvalid(s.origin(), "SessionScoped", s.name());
    }
    for (MethodModel m : model.methods()) {
      if (!m.plain()) {
        String a = m.cached() != null ? "Cached" : !m.writes().isEmpty() ? "CacheEvict"
            : !m.rateLimits().isEmpty() ? "RateLimited" : m.locked() != null ? "Locked"
            : m.handle().kind().annotation;
        diagnostics.sessionAnnotated(m.element(), a);
      }
    }
    boolean id = false;
    for (Accessor a : s.accessors()) {
      check(s, a);
      id |= a.kind() == SessionSpec.Kind.ID || a.kind() == SessionSpec.Kind.RESERVED_ID;
    }
    if (!id) {
      diagnostics.sessionNoId(model.element());
    }
    boolean user = false;
    for (MethodModel m : model.methods()) {
      if (Mirrors.find(m.element(), SessionReader.SESSION_USER) == null) {
        continue;
      }
      Accessor a = accessor(s, m);
      if (a == null || a.kind() != SessionSpec.Kind.GET) {
        diagnostics.sessionUserType(m.element(), "is not a getter");
      } else if (!a.field().equals(s.user())) {
        diagnostics.sessionUserType(m.element(), "is a second @SessionUser getter");
      } else if (!isString(a.type())) {
        diagnostics.sessionUserType(m.element(), "returns " + a.type());
      } else {
        user = true;
      }
    }
    if (s.maxPerUser() < 0 || s.maxPerUser() > 0 && s.user() == null) {
      diagnostics.sessionMaxPerUser(s.origin(), s.maxPerUser(), s.user() != null);
    }
    if (user && s.absoluteMillis() == 0) {
      diagnostics.sessionUserNeedsAbsolute(s.origin());
    }
  }

  private static Accessor accessor(SessionSpec s, MethodModel m) {
    for (Accessor a : s.accessors()) {
      if (a.method().equals(m.element())) {
        return a;
      }
    }
    return null;
  }

  private void check(SessionSpec s, Accessor a) {
    switch (a.kind()) {
      case ID -> {
      }
      case RESERVED_ID -> diagnostics.sessionIdReserved(a.method());
      case UNKNOWN -> diagnostics.sessionMethodShape(a.method());
      case GET -> {
        if (a.value() instanceof ValueType.Unsupported u && s.fields().get(a.field()) == a) {
          diagnostics.noCodec(new io.redwire.processor.model.Origin(a.method(), null), a.type().toString(),
              u.message());
        }
      }
      case SET -> {
        Accessor getter = s.fields().get(a.field());
        if (getter == null) {
          diagnostics.sessionNoGetter(a.method(), "setter", a.field());
        } else if (!types.isSameType(getter.type(), a.type())) {
          diagnostics.sessionTypeMismatch(a.method(), a.field(), getter.type().toString(), a.type().toString());
        }
      }
      case ADD -> {
        Accessor getter = s.fields().get(a.field());
        if (getter == null) {
          diagnostics.sessionNoGetter(a.method(), "increment", a.field());
          return;
        }
        TypeKind k = getter.type().getKind();
        TypeMirror param = a.method().getParameters().get(0).asType();
        if (k != TypeKind.LONG && k != TypeKind.INT || a.type().getKind() != k || param.getKind() != k) {
          diagnostics.sessionIncrementType(a.method(), a.field(), getter.type().toString());
        }
      }
      case ADD_VIEW -> {
        Accessor getter = s.fields().get(a.field());
        if (getter == null) {
          diagnostics.sessionNoGetter(a.method(), "increment", a.field());
        } else {
          TypeKind k = getter.type().getKind();
          TypeMirror param = a.method().getParameters().get(0).asType();
          if (k != TypeKind.LONG && k != TypeKind.INT || param.getKind() != k) {
            diagnostics.sessionIncrementViewType(a.method(), a.field(), getter.type().toString());
          }
        }
        components(s, a);
      }
      case CAS -> {
        Accessor getter = s.fields().get(a.field());
        if (getter == null) {
          diagnostics.sessionNoGetter(a.method(), "compare-and-set", a.field());
          return;
        }
        var params = a.method().getParameters();
        if (a.method().getReturnType().getKind() != TypeKind.BOOLEAN || params.size() != 2
            || !types.isSameType(params.get(0).asType(), getter.type())
            || !types.isSameType(params.get(1).asType(), getter.type())) {
          diagnostics.sessionCompareAndSet(a.method(), a.field(), getter.type().toString());
        }
      }
      case VIEW -> components(s, a);
    }
  }

  /** Each component of a view's record names a getter of its type. */
  private void components(SessionSpec s, Accessor a) {
    String record = ((javax.lang.model.type.DeclaredType) a.type()).asElement().getSimpleName().toString();
    for (int i = 0; i < a.components().size(); i++) {
      String c = a.components().get(i);
      Accessor getter = s.fields().get(c);
      if (getter == null) {
        diagnostics.sessionViewComponent(a.method(), record, c, s.fields().keySet());
      } else if (!types.isSameType(getter.type(), a.componentTypes().get(i))) {
        diagnostics.sessionTypeMismatch(a.method(), c, getter.type().toString(),
            a.componentTypes().get(i).toString());
      }
    }
  }

  private static boolean isString(TypeMirror t) {
    return t.toString().equals("java.lang.String");
  }
}
