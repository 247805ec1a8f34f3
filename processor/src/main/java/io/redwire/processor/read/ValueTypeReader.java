package io.redwire.processor.read;

import io.redwire.processor.model.ValueType;
import io.redwire.processor.model.ValueType.ArrayOf;
import io.redwire.processor.model.ValueType.BackRef;
import io.redwire.processor.model.ValueType.Boxed;
import io.redwire.processor.model.ValueType.BuiltIn;
import io.redwire.processor.model.ValueType.Component;
import io.redwire.processor.model.ValueType.EnumType;
import io.redwire.processor.model.ValueType.ListOf;
import io.redwire.processor.model.ValueType.MapOf;
import io.redwire.processor.model.ValueType.OptionalOf;
import io.redwire.processor.model.ValueType.Primitive;
import io.redwire.processor.model.ValueType.RecordType;
import io.redwire.processor.model.ValueType.SealedType;
import io.redwire.processor.model.ValueType.SetOf;
import io.redwire.processor.model.ValueType.Unsupported;
import io.redwire.processor.model.ValueType.UserCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
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
 * Decides how a stored Java type is encoded. Returns a {@link ValueType} tree, or one {@link Unsupported}
 * naming the reason and the path to the offending part. Never throws on odd input (error types,
 * missing classes, raw types): those come back as {@code Unsupported} too.
 *
 * <p>Annotations are read only through {@link AnnotationMirror}s, so codec classes that are not
 * compiled yet (or not on the processor's class path) are fine.
 */
public final class ValueTypeReader {

  public static final String USE_CODEC = "io.redwire.UseCodec";
  static final String CODEC = "io.redwire.runtime.codec.Codec";

  private static final String ADVICE =
      "annotate the type (or the method) with @UseCodec(YourCodec.class) or store a record";

  /** Maximum nesting of types; deeper means a generic type that expands forever. */
  private static final int MAX_DEPTH = 64;

  /** Longer paths keep their first and last few steps. */
  private static final int MAX_PATH = 8;

  private static final Map<String, String> BUILT_INS = new LinkedHashMap<>();
  private static final Map<String, String> HINTS = new LinkedHashMap<>();

  static {
    BUILT_INS.put("java.lang.String", "STRING");
    BUILT_INS.put("java.util.UUID", "UUID");
    BUILT_INS.put("java.math.BigInteger", "BIG_INTEGER");
    BUILT_INS.put("java.math.BigDecimal", "BIG_DECIMAL");
    BUILT_INS.put("java.time.Instant", "INSTANT");
    BUILT_INS.put("java.time.Duration", "DURATION");
    BUILT_INS.put("java.time.Period", "PERIOD");
    BUILT_INS.put("java.time.LocalDate", "LOCAL_DATE");
    BUILT_INS.put("java.time.LocalTime", "LOCAL_TIME");
    BUILT_INS.put("java.time.LocalDateTime", "LOCAL_DATE_TIME");
    BUILT_INS.put("java.time.OffsetTime", "OFFSET_TIME");
    BUILT_INS.put("java.time.OffsetDateTime", "OFFSET_DATE_TIME");
    BUILT_INS.put("java.time.ZonedDateTime", "ZONED_DATE_TIME");
    BUILT_INS.put("java.time.ZoneId", "ZONE_ID");
    BUILT_INS.put("java.time.ZoneOffset", "ZONE_OFFSET");
    BUILT_INS.put("java.time.Year", "YEAR");
    BUILT_INS.put("java.time.YearMonth", "YEAR_MONTH");
    BUILT_INS.put("java.time.MonthDay", "MONTH_DAY");
    BUILT_INS.put("java.time.DayOfWeek", "DAY_OF_WEEK");
    BUILT_INS.put("java.time.Month", "MONTH");

    String listOrSet = "declare it as java.util.List<E> or java.util.Set<E>";
    for (String name : List.of("java.util.Collection", "java.lang.Iterable", "java.util.ArrayList",
        "java.util.LinkedList", "java.util.Deque", "java.util.Queue", "java.util.ArrayDeque",
        "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.SortedSet",
        "java.util.NavigableSet")) {
      HINTS.put(name, listOrSet);
    }
    String map = "declare it as java.util.Map<K, V>";
    for (String name : List.of("java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
        "java.util.SortedMap", "java.util.NavigableMap", "java.util.concurrent.ConcurrentMap",
        "java.util.concurrent.ConcurrentHashMap")) {
      HINTS.put(name, map);
    }
    HINTS.put("java.util.OptionalInt", "declare it as java.util.Optional<Integer>");
    HINTS.put("java.util.OptionalLong", "declare it as java.util.Optional<Long>");
    HINTS.put("java.util.OptionalDouble", "declare it as java.util.Optional<Double>");
    HINTS.put("java.util.Date", "use java.time.Instant");
    HINTS.put("java.util.Calendar", "use java.time.ZonedDateTime");
    HINTS.put("java.sql.Timestamp", "use java.time.Instant");
    HINTS.put("java.sql.Date", "use java.time.LocalDate");
    HINTS.put("java.lang.CharSequence", "use java.lang.String");
    HINTS.put("java.lang.Object", "java.lang.Object has no fixed shape; " + ADVICE);
    HINTS.put("java.io.Serializable", "Redwire never uses Java serialization; " + ADVICE);
  }

  private final Types types;
  private final Elements elements;

  public ValueTypeReader(ProcessingEnvironment env) {
    this.types = env.getTypeUtils();
    this.elements = env.getElementUtils();
  }

  /**
   * How values of {@code type} are encoded when stored as the result of {@code site} (usually the
   * annotated method; may be null). A {@code @UseCodec} on {@code site} overrides everything; a
   * {@code @UseCodec} on a type declaration applies wherever that type is stored.
   */
  public ValueType read(TypeMirror type, Element site) {
    if (type == null) {
      return new Unsupported(null, "<none>", "no type to encode", "<none>");
    }
    String name = safeName(type);
    try {
      Walk walk = new Walk(site);
      try {
        if (site != null) {
          AnnotationMirror override = useCodec(site);
          if (override != null) {
            return walk.userCodec(type, override, "@UseCodec on " + describeSite(site));
          }
        }
        return walk.describe(type);
      } catch (Fail f) {
        return new Unsupported(type, name, f.reason, f.path, f.reportedByJavac);
      }
    } catch (RuntimeException | StackOverflowError e) {
      return new Unsupported(type, name,
          "Redwire could not analyse this type (" + e.getClass().getSimpleName() + "); " + ADVICE, name);
    }
  }

  /** An unsupported part; carries reason and path up to {@link #read}. */
  private static final class Fail extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String reason;
    final String path;
    boolean reportedByJavac;

    Fail(String reason, String path) {
      super(reason, null, false, false);
      this.reason = reason;
      this.path = path;
    }
  }

  /** State of one {@link #read}: what is being described, where, and from which package. */
  private final class Walk {
    private final PackageElement sitePackage;
    private final TypeElement siteTop;
    private final Deque<String> path = new ArrayDeque<>();
    /** Records and sealed interfaces already described (or being described) in this type. */
    private final Set<String> described = new HashSet<>();
    private int depth;

    Walk(Element site) {
      this.sitePackage = site == null ? null : elements.getPackageOf(site);
      this.siteTop = site == null ? null : outermost(site);
    }

    Fail fail(String reason, String where) {
      List<String> parts = new ArrayList<>(path);
      if (parts.size() > MAX_PATH) {
        List<String> shortened = new ArrayList<>(parts.subList(0, MAX_PATH / 2));
        shortened.add("...");
        shortened.addAll(parts.subList(parts.size() - MAX_PATH / 2, parts.size()));
        parts = shortened;
      }
      parts.add(where);
      return new Fail(reason, String.join(" -> ", parts));
    }

    ValueType describe(TypeMirror t) {
      if (++depth > MAX_DEPTH) {
        throw fail("the type nests more than " + MAX_DEPTH
            + " levels deep (a generic type that expands without end?); " + ADVICE, safeName(t));
      }
      try {
        return describeKind(t);
      } finally {
        depth--;
      }
    }

    private ValueType describeKind(TypeMirror t) {
      TypeKind kind = t.getKind();
      if (kind.isPrimitive()) {
        return new Primitive(t, kind);
      }
      switch (kind) {
        case ARRAY:
          return array((ArrayType) t);
        case DECLARED:
          return declared((DeclaredType) t);
        case TYPEVAR:
          throw fail("type variable " + t + " has no fixed shape at compile time; store a concrete type"
              + " (for a generic record, use it with concrete type arguments such as Box<String>)",
              safeName(t));
        case WILDCARD:
          throw fail("wildcard type " + safeName(t) + " has no fixed shape; use the exact type"
              + " (List<Tag> rather than List<? extends Tag>)", safeName(t));
        case ERROR:
          Fail unresolved = fail("type " + t + " cannot be resolved (missing class or compile error); fix"
              + " that error first", safeName(t));
          unresolved.reportedByJavac = true; // javac reports the missing or inaccessible type itself
          throw unresolved;
        case VOID:
          throw fail("void has no value to store; return the value to store", "void");
        default:
          throw fail(safeName(t) + " (" + kind.name().toLowerCase(java.util.Locale.ROOT)
              + " type) cannot be stored; " + ADVICE, safeName(t));
      }
    }

    private ValueType array(ArrayType t) {
      TypeMirror component = t.getComponentType();
      if (component.getKind().isPrimitive()) {
        String constant = switch (component.getKind()) {
          case BYTE -> "BYTES";
          case BOOLEAN -> "BOOLEAN_ARRAY";
          case SHORT -> "SHORT_ARRAY";
          case CHAR -> "CHAR_ARRAY";
          case INT -> "INT_ARRAY";
          case LONG -> "LONG_ARRAY";
          case FLOAT -> "FLOAT_ARRAY";
          case DOUBLE -> "DOUBLE_ARRAY";
          default -> throw new IllegalStateException(component.getKind().name());
        };
        return new BuiltIn(t, safeName(t), constant);
      }
      if (isGeneric(component)) {
        throw fail("arrays of generic types (" + safeName(t) + ") cannot be created without unchecked"
            + " casts; store a java.util.List<" + safeName(component) + "> instead", safeName(t));
      }
      return new ArrayOf(t, describe(component));
    }

    /** Whether an array of {@code t} would be a generic array. */
    private boolean isGeneric(TypeMirror t) {
      return switch (t.getKind()) {
        case DECLARED -> !((DeclaredType) t).getTypeArguments().isEmpty();
        case TYPEVAR, WILDCARD -> true;
        case ARRAY -> isGeneric(((ArrayType) t).getComponentType());
        default -> false;
      };
    }

    private ValueType declared(DeclaredType t) {
      TypeElement te = (TypeElement) t.asElement();
      String qualified = te.getQualifiedName().toString();
      String name = safeName(t);

      AnnotationMirror useCodec = useCodec(te);
      if (useCodec != null) {
        return userCodec(t, useCodec, "@UseCodec on " + qualified);
      }
      if (!te.getTypeParameters().isEmpty() && t.getTypeArguments().isEmpty()) {
        throw fail("raw type " + qualified + " has no element type; declare it with type arguments ("
            + te.getSimpleName() + "<YourType>)", qualified);
      }
      String constant = BUILT_INS.get(qualified);
      if (constant != null) {
        return new BuiltIn(t, qualified, constant);
      }
      switch (qualified) {
        case "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double":
          return new Boxed(t, types.unboxedType(t).getKind());
        case "java.util.List":
          return new ListOf(t, element(t, 0));
        case "java.util.Set":
          return new SetOf(t, element(t, 0));
        case "java.util.Map":
          return new MapOf(t, element(t, 0), element(t, 1));
        case "java.util.Optional":
          return new OptionalOf(t, element(t, 0));
        default:
          break;
      }
      String hint = HINTS.get(qualified);
      if (hint != null) {
        String reason = hint.startsWith("java.lang.Object") || hint.startsWith("Redwire")
            ? hint
            : qualified + " is not supported; " + hint;
        throw fail(reason, name);
      }
      switch (te.getKind()) {
        case ENUM:
          accessible(te, name);
          return enumType(t, te);
        case RECORD:
          return record(t, te);
        case INTERFACE:
          if (te.getModifiers().contains(Modifier.SEALED)) {
            return sealed(t, te);
          }
          throw fail("interface " + qualified + " is not sealed, so Redwire cannot know which classes"
              + " to encode; make it a sealed interface that permits only records, or " + ADVICE, name);
        case ANNOTATION_TYPE:
          throw fail("annotation type " + qualified + " cannot be stored; " + ADVICE, name);
        default:
          String what = te.getModifiers().contains(Modifier.SEALED) ? "sealed class" : "class";
          throw fail(qualified + " is a " + what + "; Redwire encodes records, enums, sealed interfaces"
              + " of records and the built-in value types by itself; " + ADVICE, name);
      }
    }

    private ValueType element(DeclaredType t, int index) {
      return describe(t.getTypeArguments().get(index));
    }

    private ValueType enumType(DeclaredType t, TypeElement te) {
      List<String> constants = new ArrayList<>();
      for (Element e : te.getEnclosedElements()) {
        if (e.getKind() == ElementKind.ENUM_CONSTANT) {
          constants.add(e.getSimpleName().toString());
        }
      }
      return new EnumType(t, te.getQualifiedName().toString(), constants);
    }

    private ValueType record(DeclaredType t, TypeElement te) {
      String key = safeName(t);
      if (described.contains(key)) {
        return new BackRef(t, key);
      }
      accessible(te, key);
      described.add(key);
      List<Component> components = new ArrayList<>();
        for (RecordComponentElement rc : te.getRecordComponents()) {
          ExecutableElement accessor = rc.getAccessor();
          TypeMirror componentType = accessor == null
              ? rc.asType()
              : ((ExecutableType) types.asMemberOf(t, accessor)).getReturnType();
          String componentName = rc.getSimpleName().toString();
          path.addLast(displayName(te) + "." + componentName);
          ValueType vt = describe(componentType);
          path.removeLast();
          String accessorName = accessor == null ? componentName : accessor.getSimpleName().toString();
          components.add(new Component(componentName, accessorName, vt,
              !componentType.getKind().isPrimitive()));
        }
      return new RecordType(t, key, components);
    }

    private ValueType sealed(DeclaredType t, TypeElement te) {
      String key = safeName(t);
      if (described.contains(key)) {
        return new BackRef(t, key);
      }
      if (!te.getTypeParameters().isEmpty()) {
        throw fail("generic sealed interface " + te.getQualifiedName() + " is not supported; use a"
            + " sealed interface without type parameters, or " + ADVICE, key);
      }
      accessible(te, key);
      described.add(key);
      Set<TypeElement> leaves = new LinkedHashSet<>();
        collectRecords(te, leaves, new HashSet<>());
        if (leaves.isEmpty()) {
          throw fail("sealed interface " + te.getQualifiedName() + " permits no records; " + ADVICE, key);
        }
        List<TypeElement> sorted = new ArrayList<>(leaves);
        sorted.sort(Comparator.comparing(e -> e.getQualifiedName().toString()));
        List<ValueType> permits = new ArrayList<>();
        for (TypeElement leaf : sorted) {
          if (!leaf.getTypeParameters().isEmpty()) {
            throw fail("sealed interface " + te.getQualifiedName() + " permits generic record "
                + leaf.getQualifiedName() + "; permitted records must not have type parameters", key);
          }
          permits.add(record((DeclaredType) leaf.asType(), leaf));
        }
      return new SealedType(t, key, permits);
    }

    private void collectRecords(TypeElement sealed, Set<TypeElement> out, Set<TypeElement> seen) {
      if (!seen.add(sealed)) {
        return;
      }
      for (TypeMirror permitted : sealed.getPermittedSubclasses()) {
        if (permitted.getKind() != TypeKind.DECLARED) {
          throw fail("sealed interface " + sealed.getQualifiedName() + " permits " + permitted
              + ", which cannot be resolved; fix that error first", safeName(sealed.asType()));
        }
        TypeElement p = (TypeElement) ((DeclaredType) permitted).asElement();
        if (p.getKind() == ElementKind.RECORD) {
          out.add(p);
        } else if (p.getKind() == ElementKind.INTERFACE && p.getModifiers().contains(Modifier.SEALED)) {
          collectRecords(p, out, seen);
        } else {
          throw fail("sealed interface " + sealed.getQualifiedName() + " permits "
              + p.getQualifiedName() + ", which is not a record; permit only records (or sealed"
              + " interfaces of records), or " + ADVICE, p.getQualifiedName().toString());
        }
      }
    }

    /** Fails unless generated code in the site's package can name {@code te}. */
    private void accessible(TypeElement te, String name) {
      for (Element e = te; e != null && e instanceof TypeElement; e = e.getEnclosingElement()) {
        TypeElement type = (TypeElement) e;
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
          throw fail(te.getQualifiedName() + " is declared inside a method, so generated code cannot"
              + " name it; move it to a top-level or static nested declaration", name);
        }
        if (type.getModifiers().contains(Modifier.PRIVATE)) {
          Fail f = fail(displayName(type) + " is private, so generated code cannot reach it; make it"
              + " package-private or public", name);
          // outside its top-level class the interface cannot name it either, and javac says so
          f.reportedByJavac = siteTop != null && !siteTop.equals(outermost(type));
          throw f;
        }
        if (!type.getModifiers().contains(Modifier.PUBLIC) && sitePackage != null
            && !elements.getPackageOf(type).equals(sitePackage)) {
          throw fail(displayName(type) + " is not public and lives in another package than "
              + sitePackage.getQualifiedName() + ", so generated code cannot reach it; make it public",
              name);
        }
      }
    }

    ValueType userCodec(TypeMirror stored, AnnotationMirror annotation, String where) {
      String storedName = safeName(stored);
      TypeMirror expected = stored.getKind().isPrimitive()
          ? types.boxedClass((javax.lang.model.type.PrimitiveType) stored).asType()
          : stored;
      String expectedName = safeName(expected);
      Object value = null;
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
          : annotation.getElementValues().entrySet()) {
        if (entry.getKey().getSimpleName().contentEquals("value")) {
          value = entry.getValue().getValue();
        }
      }
      if (!(value instanceof DeclaredType codecType)
          || !(codecType.asElement() instanceof TypeElement codec)) {
        throw fail("the codec class named by " + where + " cannot be resolved (missing class or compile"
            + " error); fix that error first", storedName);
      }
      String codecName = codec.getQualifiedName().toString();
      if (codec.getKind() != ElementKind.CLASS && codec.getKind() != ElementKind.ENUM) {
        throw fail("codec " + codecName + " (" + where + ") is not a class; name a class that implements "
            + CODEC + "<" + expectedName + ">", storedName);
      }
      if (codec.getModifiers().contains(Modifier.ABSTRACT)) {
        throw fail("codec " + codecName + " (" + where + ") is abstract; name a concrete class",
            storedName);
      }
      for (Element e = codec; e instanceof TypeElement type; e = e.getEnclosingElement()) {
        if (!type.getModifiers().contains(Modifier.PUBLIC)) {
          throw fail("codec " + codecName + " (" + where + ") must be public"
              + (type == codec ? "" : " (and so must " + displayName(type) + ", which encloses it)"),
              storedName);
        }
        if (type.getNestingKind() == NestingKind.MEMBER && type.getKind() == ElementKind.CLASS
            && !type.getModifiers().contains(Modifier.STATIC)) {
          throw fail("codec " + codecName + " (" + where + ") is an inner class; make "
              + displayName(type) + " static", storedName);
        }
      }
      if (!codec.getTypeParameters().isEmpty()) {
        throw fail("codec " + codecName + " (" + where + ") must not have type parameters", storedName);
      }
      TypeElement codecInterface = elements.getTypeElement(CODEC);
      if (codecInterface == null) {
        throw fail(CODEC + " is not on the class path; add the redwire-runtime dependency", storedName);
      }
      DeclaredType implemented = findSupertype(codec.asType(), codecInterface);
      if (implemented == null) {
        throw fail("codec " + codecName + " (" + where + ") does not implement " + CODEC + "<"
            + expectedName + ">; implement it, or name a codec that does", storedName);
      }
      if (implemented.getTypeArguments().size() != 1) {
        throw fail("codec " + codecName + " (" + where + ") implements the raw type " + CODEC
            + "; implement " + CODEC + "<" + expectedName + ">", storedName);
      }
      TypeMirror argument = implemented.getTypeArguments().get(0);
      if (!types.isSameType(argument, expected)) {
        throw fail("codec " + codecName + " (" + where + ") implements Codec<" + safeName(argument)
            + ">, but it is used for " + expectedName + "; it must implement Codec<" + expectedName
            + ">", storedName);
      }
      boolean useInstance = false;
      for (VariableElement field : ElementFilter.fieldsIn(codec.getEnclosedElements())) {
        if (field.getSimpleName().contentEquals("INSTANCE")
            && field.getModifiers().containsAll(Set.of(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL))
            && types.isSameType(field.asType(), codec.asType())) {
          useInstance = true;
        }
      }
      if (!useInstance) {
        boolean constructor = codec.getKind() == ElementKind.CLASS
            && ElementFilter.constructorsIn(codec.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC));
        if (!constructor) {
          throw fail("codec " + codecName + " (" + where + ") has neither a public no-argument"
              + " constructor nor a public static final INSTANCE field of its own type; add one of them",
              storedName);
        }
      }
      return new UserCodec(expected, expectedName, codec.asType(), codecName, useInstance);
    }

    private DeclaredType findSupertype(TypeMirror start, TypeElement target) {
      Deque<TypeMirror> queue = new ArrayDeque<>();
      Set<String> seen = new HashSet<>();
      queue.add(start);
      while (!queue.isEmpty()) {
        TypeMirror t = queue.removeFirst();
        if (t.getKind() != TypeKind.DECLARED || !seen.add(t.toString())) {
          continue;
        }
        DeclaredType d = (DeclaredType) t;
        if (d.asElement().equals(target)) {
          return d;
        }
        queue.addAll(types.directSupertypes(t));
      }
      return null;
    }
  }

  private static AnnotationMirror useCodec(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      Element annotation = mirror.getAnnotationType().asElement();
      if (annotation instanceof TypeElement te && te.getQualifiedName().contentEquals(USE_CODEC)) {
        return mirror;
      }
    }
    return null;
  }

  /** The top-level type that contains {@code e} (or {@code e} itself), null in a package. */
  private static TypeElement outermost(Element e) {
    TypeElement top = null;
    for (Element x = e; x != null; x = x.getEnclosingElement()) {
      if (x instanceof TypeElement t) {
        top = t;
      }
    }
    return top;
  }

  private static String describeSite(Element site) {
    Element enclosing = site.getEnclosingElement();
    String owner = enclosing instanceof TypeElement te ? displayName(te) + "." : "";
    return owner + site.getSimpleName() + (site instanceof ExecutableElement ? "()" : "");
  }

  /** {@code Outer.Inner} without the package. */
  private static String displayName(TypeElement te) {
    String simple = te.getSimpleName().toString();
    Element enclosing = te.getEnclosingElement();
    return enclosing instanceof TypeElement outer ? displayName(outer) + "." + simple : simple;
  }

  /** Canonical source name of a type: qualified names and type arguments, no annotations. */
  static String safeName(TypeMirror t) {
    try {
      return name(t);
    } catch (RuntimeException e) {
      return String.valueOf(t);
    }
  }

  private static String name(TypeMirror t) {
    TypeKind kind = t.getKind();
    if (kind.isPrimitive()) {
      return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
    switch (kind) {
      case ARRAY:
        return name(((ArrayType) t).getComponentType()) + "[]";
      case DECLARED: {
        DeclaredType d = (DeclaredType) t;
        StringBuilder b = new StringBuilder(((TypeElement) d.asElement()).getQualifiedName());
        List<? extends TypeMirror> args = d.getTypeArguments();
        if (!args.isEmpty()) {
          b.append('<');
          for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
              b.append(',');
            }
            b.append(name(args.get(i)));
          }
          b.append('>');
        }
        return b.toString();
      }
      case WILDCARD: {
        WildcardType w = (WildcardType) t;
        if (w.getExtendsBound() != null) {
          return "? extends " + name(w.getExtendsBound());
        }
        if (w.getSuperBound() != null) {
          return "? super " + name(w.getSuperBound());
        }
        return "?";
      }
      case TYPEVAR:
        return ((TypeVariable) t).asElement().getSimpleName().toString();
      case VOID:
        return "void";
      default:
        return t.toString();
    }
  }
}
