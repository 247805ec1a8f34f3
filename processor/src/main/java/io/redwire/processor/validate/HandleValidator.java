package io.redwire.processor.validate;

import io.redwire.processor.model.HandleSpec;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.read.HandleReader;
import io.redwire.processor.read.Mirrors;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Checks {@code @Leaderboard}, {@code @Counter} and {@code @Distinct}: the handle type returned, no
 * other Redwire annotation on the method (a handle method never calls the delegate), board members
 * with an ordered codec, a board that expires, first-come ties that fit 2^53, and windows that retain
 * at least one window. Durations, periods, zones and keys are checked while reading.
 */
public final class HandleValidator {

  /** As the runtime's {@code CounterRegion.MAX_WINDOWS}: a sum reads every window in one command. */
  static final long MAX_WINDOWS = 10_080;

  private final Diagnostics diagnostics;

  public HandleValidator(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  public void validate(InterfaceModel model) {
    for (MethodModel m : model.methods()) {
      HandleSpec h = m.handle();
      if (h == null) {
        continue;
      }
      if (HandleReader.count(m.element()) > 1) {
        diagnostics.handleTwice(h.origin());
        continue;
      }
      String other = otherRedwireAnnotation(m.element());
      if (other != null) {
        diagnostics.handleAlone(h.origin(), h.kind().annotation, other);
      }
      TypeMirror returned = m.result().declared();
      if (!returns(returned, h.kind().handle)) {
        diagnostics.handleType(h.origin(), h.kind().annotation,
            h.kind() == HandleSpec.Kind.BOARD ? "Board<M>" : simple(h.kind().handle), returned.toString());
        continue;
      }
      if (h.kind() == HandleSpec.Kind.BOARD) {
        board(h);
      } else if (h.windowMillis() > 0 && h.retainMillis() > 0 && h.retainMillis() < h.windowMillis()) {
        diagnostics.counterRetain(h.origin(), h.kind().annotation,
            Mirrors.string(h.origin().annotation(), "retain"), Mirrors.string(h.origin().annotation(), "window"));
      } else if (h.windowMillis() > 0 && h.retainMillis() / h.windowMillis() > MAX_WINDOWS) {
        diagnostics.counterWindows(h.origin(), h.kind().annotation, MAX_WINDOWS,
            Mirrors.string(h.origin().annotation(), "retain"), Mirrors.string(h.origin().annotation(), "window"),
            h.retainMillis() / h.windowMillis());
      }
    }
  }

  private void board(HandleSpec h) {
    if (h.memberKind() == HandleSpec.MemberKind.UNSUPPORTED) {
      diagnostics.boardMember(h.origin(), String.valueOf(h.member()));
    }
    if (h.keep() < 0) {
      diagnostics.boardKeep(h.origin(), h.keep());
    }
    if (h.periodKind() == null) {
      return; // malformed period, reported
    }
    if (h.periodKind().equals("NONE")) {
      if (h.periodMillis() == 0) {
        diagnostics.boardImmortal(h.origin());
      }
      if (h.ties().equals("FIRST_COME")) {
        diagnostics.boardFirstComeWithoutPeriod(h.origin());
        return;
      }
    }
    if (h.maxScore() < 0 || h.maxScore() >= HandleSpec.EXACT) {
      diagnostics.boardMaxScore(h.origin(), h.maxScore());
      return;
    }
    if (h.ties().equals("FIRST_COME") && h.maxScore() > h.largestScore()) {
      long longest = HandleSpec.EXACT / (h.maxScore() + 1);
      diagnostics.boardRange(h.origin(), h.maxScore(), period(h), h.largestScore(),
          longest < 1 ? "none (no period is short enough)" : millis(longest));
    }
  }

  private static String period(HandleSpec h) {
    return switch (h.periodKind()) {
      case "ROLLING" -> "\"" + Mirrors.string(h.origin().annotation(), "period") + "\" (" + h.tieRange() + " ms)";
      default -> "\"" + h.periodKind().toLowerCase(java.util.Locale.ROOT) + "\" (up to " + h.tieRange() + " ms)";
    };
  }

  /** A duration in the largest unit that divides it down, rounded down: "9d", "3h", "250ms". */
  private static String millis(long ms) {
    if (ms >= 86_400_000L) {
      return "\"" + ms / 86_400_000L + "d\"";
    }
    if (ms >= 3_600_000L) {
      return "\"" + ms / 3_600_000L + "h\"";
    }
    if (ms >= 60_000L) {
      return "\"" + ms / 60_000L + "m\"";
    }
    if (ms >= 1000L) {
      return "\"" + ms / 1000L + "s\"";
    }
    return "\"" + ms + "ms\"";
  }

  /**
   * The simple name of a Redwire annotation on the method other than the handle annotations (found by
   * package, so a new annotation needs no change here), or null.
   */
  private static String otherRedwireAnnotation(javax.lang.model.element.ExecutableElement method) {
    for (javax.lang.model.element.AnnotationMirror a : method.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) a.getAnnotationType().asElement();
      String qualified = type.getQualifiedName().toString();
      if (qualified.startsWith("io.redwire.") && qualified.lastIndexOf('.') == "io.redwire".length()
          && !HANDLES.contains(qualified) && !qualified.equals("io.redwire.UseCodec")) {
        return type.getSimpleName().toString();
      }
      if (qualified.startsWith("io.redwire.") && type.getEnclosingElement() instanceof TypeElement outer) {
        return outer.getSimpleName().toString(); // a repeated annotation's container, e.g. RateLimited.List
      }
    }
    return null;
  }

  private static final java.util.Set<String> HANDLES =
      java.util.Set.of(HandleReader.LEADERBOARD, HandleReader.COUNTER, HandleReader.DISTINCT);

  private static boolean returns(TypeMirror t, String qualified) {
    return t.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().contentEquals(qualified);
  }

  private static String simple(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }
}
