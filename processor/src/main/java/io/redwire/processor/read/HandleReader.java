package io.redwire.processor.read;

import io.redwire.processor.model.HandleSpec;
import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.validate.Diagnostics;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Reads {@code @Leaderboard}, {@code @Counter} and {@code @Distinct} from a method's annotation
 * mirrors. Durations, the period, the zone and the key are checked here; the return type and the
 * combination with other annotations in {@code HandleValidator}.
 */
public final class HandleReader {

  public static final String LEADERBOARD = "io.redwire.Leaderboard";
  public static final String COUNTER = "io.redwire.Counter";
  public static final String DISTINCT = "io.redwire.Distinct";

  private final KeyTemplates keys;
  private final Diagnostics diagnostics;

  public HandleReader(KeyTemplates keys, Diagnostics diagnostics) {
    this.keys = keys;
    this.diagnostics = diagnostics;
  }

  /**
   * The method's handle annotation, or null when it has none (a second one on the same method is
   * reported by the validator through {@link #count}). The name defaults to {@code namePrefix} and
   * the method's name.
   */
  public HandleSpec read(ExecutableElement method, List<Param> params, TypeMirror returned,
      String namePrefix) {
    for (HandleSpec.Kind kind : HandleSpec.Kind.values()) {
      AnnotationMirror a = Mirrors.find(method, qualified(kind));
      if (a != null) {
        return read(kind, a, method, params, returned, namePrefix);
      }
    }
    return null;
  }

  /** How many handle annotations the method carries. */
  public static int count(ExecutableElement method) {
    int n = 0;
    for (HandleSpec.Kind kind : HandleSpec.Kind.values()) {
      if (Mirrors.find(method, qualified(kind)) != null) {
        n++;
      }
    }
    return n;
  }

  static String qualified(HandleSpec.Kind kind) {
    return switch (kind) {
      case BOARD -> LEADERBOARD;
      case COUNTER -> COUNTER;
      case DISTINCT -> DISTINCT;
    };
  }

  private HandleSpec read(HandleSpec.Kind kind, AnnotationMirror a, ExecutableElement method,
      List<Param> params, TypeMirror returned, String namePrefix) {
    Origin at = new Origin(method, a);
    String name = Mirrors.string(a, "name");
    if (name.isEmpty()) {
      name = namePrefix + method.getSimpleName();
    }
    KeyTemplate key = keys.parse(Mirrors.string(a, "key"), params, at, "key");
    if (kind != HandleSpec.Kind.BOARD) {
      long window = Durations.member(at, kind.annotation, "window", true, -1, diagnostics);
      long retain = Durations.member(at, kind.annotation, "retain", true, -1, diagnostics);
      return new HandleSpec(at, kind, name, key, null, null, null, null, 0, null, 0, 0, 0, window, retain);
    }
    TypeMirror member = boardMember(returned);
    String ties = Mirrors.enumName(a, "ties");
    String period = Mirrors.string(a, "period").strip();
    String periodKind;
    long periodMillis;
    String zone = null;
    switch (period.toLowerCase(Locale.ROOT)) {
      case "" -> {
        periodKind = "NONE";
        periodMillis = Durations.member(at, "Leaderboard", "ttl", false, 0, diagnostics);
      }
      case "day", "week", "month" -> {
        periodKind = period.toUpperCase(Locale.ROOT);
        periodMillis = 0;
        zone = Mirrors.string(a, "zone");
        try {
          ZoneId.of(zone);
        } catch (DateTimeException e) {
          diagnostics.boardZone(at, zone);
        }
      }
      default -> {
        periodKind = "ROLLING";
        periodMillis = Durations.member(at, "Leaderboard", "period", true, -1, diagnostics);
        if (periodMillis < 0) {
          periodKind = null;
        }
      }
    }
    long grace = Durations.member(at, "Leaderboard", "grace", false, 0, diagnostics);
    return new HandleSpec(at, kind, name, key, member, memberKind(member), ties, periodKind, periodMillis,
        zone, grace, Mirrors.longValue(a, "keep"), Mirrors.longValue(a, "maxScore"), 0, 0);
  }

  /** {@code M} of a {@code Board<M>} return type, or null. */
  private static TypeMirror boardMember(TypeMirror returned) {
    if (returned.getKind() != TypeKind.DECLARED) {
      return null;
    }
    DeclaredType d = (DeclaredType) returned;
    if (!((TypeElement) d.asElement()).getQualifiedName().contentEquals(HandleSpec.Kind.BOARD.handle)
        || d.getTypeArguments().size() != 1) {
      return null;
    }
    return d.getTypeArguments().get(0);
  }

  private static HandleSpec.MemberKind memberKind(TypeMirror member) {
    if (member == null || member.getKind() != TypeKind.DECLARED) {
      return HandleSpec.MemberKind.UNSUPPORTED;
    }
    TypeElement e = (TypeElement) ((DeclaredType) member).asElement();
    if (e.getKind() == ElementKind.ENUM) {
      return HandleSpec.MemberKind.ENUM;
    }
    return switch (e.getQualifiedName().toString()) {
      case "java.lang.String" -> HandleSpec.MemberKind.STRING;
      case "java.lang.Long" -> HandleSpec.MemberKind.LONG;
      case "java.lang.Integer" -> HandleSpec.MemberKind.INT;
      case "java.util.UUID" -> HandleSpec.MemberKind.UUID;
      default -> HandleSpec.MemberKind.UNSUPPORTED;
    };
  }
}
