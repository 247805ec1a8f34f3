package io.redwire.processor.read;

import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.KeyTemplate.Literal;
import io.redwire.processor.model.KeyTemplate.PartKind;
import io.redwire.processor.model.KeyTemplate.Ref;
import io.redwire.processor.model.KeyTemplate.Segment;
import io.redwire.processor.model.KeyTemplate.Step;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.validate.Diagnostics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;

/**
 * Parses a key template and type-checks every placeholder against the method's parameters, their record
 * components and no-arg accessors. Problems are reported through {@link Diagnostics}; the result is null
 * when the template cannot be used.
 */
public final class KeyTemplates {

  private static final Pattern PATH = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
      + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

  private static final Set<String> OBJECT_PARTS = Set.of(
      "java.util.UUID", "java.math.BigInteger", "java.math.BigDecimal",
      "java.time.Instant", "java.time.Duration", "java.time.Period", "java.time.LocalDate",
      "java.time.LocalTime", "java.time.LocalDateTime", "java.time.OffsetDateTime",
      "java.time.OffsetTime", "java.time.ZonedDateTime", "java.time.Year", "java.time.YearMonth",
      "java.time.MonthDay", "java.time.ZoneOffset", "java.time.ZoneId");

  private final Types types;
  private final javax.lang.model.util.Elements elements;
  private final Diagnostics diagnostics;

  public KeyTemplates(ProcessingEnvironment env, Diagnostics diagnostics) {
    this.types = env.getTypeUtils();
    this.elements = env.getElementUtils();
    this.diagnostics = diagnostics;
  }

  /** The template written in {@code member} of the annotation at {@code at}, or all parameters when empty. */
  public KeyTemplate parse(String source, List<Param> params, Origin at, String member) {
    if (source.isEmpty()) {
      List<Segment> segments = new ArrayList<>();
      for (Param p : params) {
        if (!segments.isEmpty()) {
          segments.add(new Literal(":"));
        }
        Ref ref = resolve(p.name(), params, at, member, true);
        if (ref == null) {
          return null;
        }
        segments.add(ref);
      }
      return new KeyTemplate(source, true, List.copyOf(segments));
    }
    List<Segment> segments = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    boolean ok = true;
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '}') {
        diagnostics.keySyntax(at, member, source, "has an unmatched '}' at position " + (i + 1));
        return null;
      }
      if (c != '{') {
        text.append(c);
        i++;
        continue;
      }
      int close = source.indexOf('}', i + 1);
      int nested = source.indexOf('{', i + 1);
      if (close < 0 || (nested >= 0 && nested < close)) {
        diagnostics.keySyntax(at, member, source, "has an unclosed '{' at position " + (i + 1));
        return null;
      }
      String path = source.substring(i + 1, close);
      if (!PATH.matcher(path).matches()) {
        diagnostics.keySyntax(at, member, source, path.isEmpty()
            ? "has an empty placeholder {} at position " + (i + 1)
            : "has {" + path + "}, which is not a name or a dotted path of names");
        return null;
      }
      if (!segments.isEmpty() && segments.get(segments.size() - 1) instanceof Ref left
          && text.indexOf(":") < 0) {
        diagnostics.keyAdjacent(at, member, source, left.text(), path, text.toString(), separated(source));
        ok = false;
      }
      if (text.length() > 0) {
        segments.add(new Literal(text.toString()));
        text.setLength(0);
      }
      Ref ref = resolve(path, params, at, member, false);
      if (ref == null) {
        ok = false;
        segments.add(new Literal(""));
      } else {
        segments.add(ref);
      }
      i = close + 1;
    }
    if (text.length() > 0) {
      segments.add(new Literal(text.toString()));
    }
    return ok ? new KeyTemplate(source, false, List.copyOf(segments)) : null;
  }

  /**
   * {@code source} with a ':' between every two placeholders that lack one: {@code "{a}-{b}"} ->
   * {@code "{a}:{b}"}, {@code "{a}v{b}"} -> {@code "{a}:v{b}"}.
   */
  static String separated(String source) {
    return Pattern.compile("\\}([^{}:]*)\\{").matcher(source).replaceAll(r -> {
      String between = r.group(1);
      boolean punctuation = between.chars().noneMatch(Character::isLetterOrDigit);
      return java.util.regex.Matcher.quoteReplacement("}" + (punctuation ? ":" : ":" + between) + "{");
    });
  }

  private Ref resolve(String path, List<Param> params, Origin at, String member, boolean implicit) {
    String[] names = path.split("\\.");
    Param param = params.stream().filter(p -> p.name().equals(names[0])).findFirst().orElse(null);
    if (param == null) {
      Set<String> candidates = new LinkedHashSet<>();
      params.forEach(p -> candidates.add(p.name()));
      diagnostics.keyUnknownName(at, member, path.substring(0, names[0].length()), names[0],
          "parameters of " + at.element().getSimpleName() + "()", candidates);
      return null;
    }
    TypeMirror current = param.type();
    List<Step> steps = new ArrayList<>();
    StringBuilder walked = new StringBuilder(names[0]);
    for (int n = 1; n < names.length; n++) {
      walked.append('.').append(names[n]);
      ExecutableElement accessor = accessor(current, names[n]);
      if (accessor == null) {
        diagnostics.keyUnknownName(at, member, walked.toString(), names[n],
            "type " + simple(current), accessorNames(current));
        return null;
      }
      ExecutableType asMember = (ExecutableType) types.asMemberOf((DeclaredType) current, accessor);
      current = asMember.getReturnType();
      steps.add(new Step(names[n], current));
    }
    PartKind kind = kindOf(current);
    if (kind == null) {
      if (collection(current)) {
        List<String> scalars = params.stream().filter(p -> kindOf(p.type()) != null).map(Param::name).toList();
        diagnostics.keyPartCollection(at, member, path, simple(current), implicit, scalars);
      } else {
        diagnostics.keyPartType(at, member, path, simple(current));
      }
      return null;
    }
    return new Ref(path, param, List.copyOf(steps), kind, shapeName(current, kind));
  }

  /** Arrays, and types that are Iterables or Maps. */
  private boolean collection(TypeMirror t) {
    if (t.getKind() == TypeKind.ARRAY) {
      return true;
    }
    if (t.getKind() != TypeKind.DECLARED) {
      return false;
    }
    for (String container : List.of("java.lang.Iterable", "java.util.Map")) {
      TypeElement e = elements.getTypeElement(container);
      if (e != null && types.isAssignable(types.erasure(t), types.erasure(e.asType()))) {
        return true;
      }
    }
    return false;
  }

  private ExecutableElement accessor(TypeMirror type, String name) {
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    for (ExecutableElement m : accessors(type)) {
      if (m.getSimpleName().contentEquals(name)) {
        return m;
      }
    }
    return null;
  }

  private Set<String> accessorNames(TypeMirror type) {
    Set<String> names = new LinkedHashSet<>();
    if (type.getKind() == TypeKind.DECLARED) {
      TypeElement te = (TypeElement) ((DeclaredType) type).asElement();
      if (te.getKind() == ElementKind.RECORD) {
        for (RecordComponentElement rc : te.getRecordComponents()) {
          names.add(rc.getSimpleName().toString());
        }
      }
      accessors(type).forEach(m -> names.add(m.getSimpleName().toString()));
    }
    return names;
  }

  /** Public, non-static, no-arg, non-void methods of the type, not those of Object. */
  private List<ExecutableElement> accessors(TypeMirror type) {
    TypeElement te = (TypeElement) ((DeclaredType) type).asElement();
    List<ExecutableElement> out = new ArrayList<>();
    collect(te, out, new LinkedHashSet<>());
    return out;
  }

  private void collect(TypeElement te, List<ExecutableElement> out, Set<String> seen) {
    if (te == null || te.getQualifiedName().contentEquals("java.lang.Object")) {
      return;
    }
    for (ExecutableElement m : ElementFilter.methodsIn(te.getEnclosedElements())) {
      if (m.getParameters().isEmpty() && m.getReturnType().getKind() != TypeKind.VOID
          && m.getModifiers().contains(Modifier.PUBLIC) && !m.getModifiers().contains(Modifier.STATIC)
          && m.getTypeParameters().isEmpty()
          && !Set.of("hashCode", "toString", "getClass").contains(m.getSimpleName().toString())
          && seen.add(m.getSimpleName().toString())) {
        out.add(m);
      }
    }
    if (te.getSuperclass() instanceof DeclaredType sup) {
      collect((TypeElement) sup.asElement(), out, seen);
    }
    for (TypeMirror i : te.getInterfaces()) {
      collect((TypeElement) ((DeclaredType) i).asElement(), out, seen);
    }
  }

  private PartKind kindOf(TypeMirror t) {
    switch (t.getKind()) {
      case BOOLEAN:
        return PartKind.BOOLEAN;
      case CHAR:
        return PartKind.CHAR;
      case BYTE: case SHORT: case INT: case LONG:
        return PartKind.INTEGRAL;
      case FLOAT: case DOUBLE:
        return PartKind.FLOATING;
      case DECLARED:
        break;
      default:
        return null;
    }
    Element e = ((DeclaredType) t).asElement();
    if (e.getKind() == ElementKind.ENUM) {
      return PartKind.ENUM;
    }
    String name = ((TypeElement) e).getQualifiedName().toString();
    return switch (name) {
      case "java.lang.Boolean" -> PartKind.BOOLEAN;
      case "java.lang.Character" -> PartKind.CHAR;
      case "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long" -> PartKind.INTEGRAL;
      case "java.lang.Float", "java.lang.Double" -> PartKind.FLOATING;
      case "java.lang.String", "java.lang.CharSequence" -> PartKind.STRING;
      default -> OBJECT_PARTS.contains(name) ? PartKind.OBJECT : null;
    };
  }

  /** The name used to compare key shapes: boxes as primitives, every integral type alike. */
  private String shapeName(TypeMirror t, PartKind kind) {
    return switch (kind) {
      case BOOLEAN -> "boolean";
      case CHAR -> "char";
      case INTEGRAL -> "integer";
      case STRING -> "String";
      case FLOATING -> t.getKind() == TypeKind.FLOAT || t.toString().equals("java.lang.Float") ? "float" : "double";
      default -> simple(types.erasure(t));
    };
  }

  private static String simple(TypeMirror t) {
    return t.toString().replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+", "");
  }
}
