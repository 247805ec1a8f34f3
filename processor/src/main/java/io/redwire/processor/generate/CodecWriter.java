package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Writes the codecs for {@link ValueType}s into a generated class.
 *
 * <p>{@link #codec} returns an expression of type {@code Codec<T>} (for a primitive, the boxed codec):
 * a {@code Codecs} constant for built-in types, otherwise the name of a {@code private static final}
 * field of the generated class. It registers whatever fields and nested classes that field needs, once
 * per type. {@link #addTo} then adds them, in the order they were first needed (a field's
 * dependencies always come before it, so class initialisation never sees a null codec).
 *
 * <p>Names: fields are {@code UPPER_SNAKE_CODEC} ({@code PRODUCT_CODEC}, {@code LIST_OF_TAG_CODEC}),
 * nested classes are {@code <Name>Codec} ({@code ProductCodec}); clashes get a numeric suffix.
 * Records and sealed interfaces get a nested {@code private static final class} with straight-line
 * {@code write}/{@code read}; everything else is built from {@code Codecs} combinators.
 */
public final class CodecWriter {

  private static final String RUNTIME = "io.redwire.runtime.codec";
  private static final ClassName CODEC = ClassName.get(RUNTIME, "Codec");
  private static final ClassName CODECS = ClassName.get(RUNTIME, "Codecs");
  private static final ClassName OUTPUT = ClassName.get(RUNTIME, "Output");
  private static final ClassName INPUT = ClassName.get(RUNTIME, "Input");
  private static final ClassName CODEC_EXCEPTION = ClassName.get(RUNTIME, "CodecException");

  /** Type key (see {@link #key}) to the expression naming its codec. */
  private final Map<String, CodeBlock> codecs = new HashMap<>();
  private final List<FieldSpec> fields = new ArrayList<>();
  private final List<TypeSpec> classes = new ArrayList<>();
  private final Set<String> fieldNames = new HashSet<>();
  /**
   * Lower-cased names in use. Nested class files must not clash on case-insensitive file systems;
   * fields are compared the same way to keep the rule simple.
   */
  private final Set<String> classNames = new HashSet<>();

  public CodecWriter() {
    this(List.of());
  }

  /**
   * A writer whose field and class names avoid {@code reservedNames} (compared ignoring case): pass
   * the generated class's own simple name and the names of members it declares itself.
   */
  public CodecWriter(Collection<String> reservedNames) {
    for (String name : reservedNames) {
      fieldNames.add(name.toLowerCase(Locale.ROOT));
      classNames.add(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * An expression of type {@code Codec<T>} for {@code t} (for a primitive, its boxed codec).
   *
   * @throws IllegalArgumentException for {@link Unsupported}: report it instead of generating code
   */
  public CodeBlock codec(ValueType t) {
    if (t instanceof Unsupported u) {
      throw new IllegalArgumentException("cannot write a codec for an unsupported type: " + u.message());
    }
    if (t instanceof Primitive p) {
      return CodeBlock.of("$T.$N", CODECS, boxConstant(p.kind()));
    }
    if (t instanceof Boxed b) {
      return CodeBlock.of("$T.$N", CODECS, boxConstant(b.kind()));
    }
    if (t instanceof BuiltIn b) {
      return CodeBlock.of("$T.$N", CODECS, b.constant());
    }
    String key = key(t);
    CodeBlock known = codecs.get(key);
    if (known != null) {
      return known;
    }
    if (t instanceof BackRef r) {
      throw new IllegalStateException("back-reference to " + r.typeName() + " outside its definition");
    }
    if (t instanceof RecordType r) {
      return recordCodec(r, key);
    }
    if (t instanceof SealedType s) {
      return sealedCodec(s, key);
    }
    if (t instanceof EnumType e) {
      TypeName type = TypeName.get(e.type());
      return field(key, e.type(), baseNames(e.type()),
          CodeBlock.of("$T.enumOf($T.values())", CODECS, type));
    }
    if (t instanceof UserCodec u) {
      TypeName codecClass = TypeName.get(u.codecType());
      CodeBlock init = u.useInstance()
          ? CodeBlock.of("$T.INSTANCE", codecClass)
          : CodeBlock.of("new $T()", codecClass);
      return field(key, u.type(), baseNames(u.codecType()), init);
    }
    // Combinators: arguments first, so their fields are initialised before this one.
    CodeBlock init;
    if (t instanceof ListOf l) {
      init = CodeBlock.of("$T.list($L)", CODECS, codec(l.element()));
    } else if (t instanceof SetOf s) {
      init = CodeBlock.of("$T.set($L)", CODECS, codec(s.element()));
    } else if (t instanceof OptionalOf o) {
      init = CodeBlock.of("$T.optional($L)", CODECS, codec(o.element()));
    } else if (t instanceof MapOf m) {
      CodeBlock keys = codec(m.key());
      CodeBlock values = codec(m.value());
      init = CodeBlock.of("$T.map($L, $L)", CODECS, keys, values);
    } else if (t instanceof ArrayOf a) {
      init = CodeBlock.of("$T.array($L, $T::new)", CODECS, codec(a.component()), TypeName.get(a.type()));
    } else {
      throw new IllegalArgumentException("unknown value type " + t);
    }
    // A recursive type may have registered this very combinator while its argument was written.
    known = codecs.get(key);
    if (known != null) {
      return known;
    }
    return field(key, t.type(), baseNames(t.type()), init);
  }

  /** Adds the registered fields and nested classes, in the order they were first needed. */
  public void addTo(TypeSpec.Builder generatedClass) {
    generatedClass.addFields(fields);
    generatedClass.addTypes(classes);
  }

  private static String key(ValueType t) {
    return t instanceof UserCodec u ? u.shape() : t.typeName();
  }

  private CodeBlock field(String key, TypeMirror type, List<String> bases, CodeBlock init) {
    List<String> candidates = new ArrayList<>();
    for (String base : bases) {
      candidates.add(upperSnake(base) + (base.endsWith("Codec") ? "" : "_CODEC"));
    }
    String name = unique(candidates, fieldNames, "_");
    TypeName fieldType = ParameterizedTypeName.get(CODEC, TypeName.get(type).box());
    fields.add(FieldSpec.builder(fieldType, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer(init)
        .build());
    CodeBlock ref = CodeBlock.of("$N", name);
    codecs.put(key, ref);
    return ref;
  }

  // ---------------------------------------------------------------- records

  private CodeBlock recordCodec(RecordType r, String key) {
    List<String> bases = baseNames(r.type());
    String codecClass = unique(classNames(bases), classNames, "");
    // Registered before the components are written, so a recursive reference finds it. The
    // initialiser does not touch other fields, so its position among the fields does not matter.
    CodeBlock ref = field(key, r.type(), bases, CodeBlock.of("new $L()", codecClass));
    int slot = classes.size();
    classes.add(null);

    TypeName recordType = TypeName.get(r.type());
    Set<String> taken = new HashSet<>(List.of("out", "in"));
    for (Component c : r.components()) {
      taken.add(c.name());
    }
    String value = freshName(decapitalize(simpleName(r.type())), taken, "value");

    Set<String> locals = new HashSet<>(List.of("out", "in", value));
    List<String> localNames = new ArrayList<>();
    for (Component c : r.components()) {
      // lower-case first letter: a local named like a type would obscure it in expressions
      localNames.add(freshName(decapitalize(c.name()), locals, decapitalize(c.name()) + "Value"));
    }

    MethodSpec.Builder write = MethodSpec.methodBuilder("write")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(OUTPUT, "out")
        .addParameter(recordType, value);
    MethodSpec.Builder read = MethodSpec.methodBuilder("read")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(recordType)
        .addParameter(INPUT, "in");

    List<CodeBlock> arguments = new ArrayList<>();
    for (int i = 0; i < r.components().size(); i++) {
      Component c = r.components().get(i);
      String local = localNames.get(i);
      ValueType ct = c.type();
      TypeName localType = TypeName.get(ct.type());
      if (ct instanceof Primitive p) {
        String suffix = primitiveSuffix(p.kind());
        write.addStatement("out.write$L($N.$N())", suffix, value, c.accessor());
        read.addStatement("$T $N = in.read$L()", localType, local, suffix);
      } else {
        write.addStatement("$T $N = $N.$N()", localType, local, value, c.accessor());
        write.addStatement("out.writePresent($N != null)", local);
        write.beginControlFlow("if ($N != null)", local);
        write.addStatement(writeValue(ct, local));
        write.endControlFlow();
        read.addStatement("$T $N = in.readPresent() ? $L : null", localType, local, readValue(ct));
      }
      arguments.add(CodeBlock.of("$N", local));
    }
    read.addStatement("return new $T($L)", recordType, CodeBlock.join(arguments, ", "));

    classes.set(slot, TypeSpec.classBuilder(codecClass)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(CODEC, recordType))
        .addMethod(write.build())
        .addMethod(read.build())
        .build());
    return ref;
  }

  /** Statement writing the non-null reference {@code local}. */
  private CodeBlock writeValue(ValueType t, String local) {
    if (t instanceof Boxed b) {
      return CodeBlock.of("out.write$L($N)", primitiveSuffix(b.kind()), local);
    }
    if (t instanceof BuiltIn b && b.constant().equals("STRING")) {
      return CodeBlock.of("out.writeString($N)", local);
    }
    if (t instanceof BuiltIn b && b.constant().equals("BYTES")) {
      return CodeBlock.of("out.writeBytes($N)", local);
    }
    return CodeBlock.of("$L.write(out, $N)", codec(t), local);
  }

  /** Expression reading a non-null value. */
  private CodeBlock readValue(ValueType t) {
    if (t instanceof Boxed b) {
      return CodeBlock.of("in.read$L()", primitiveSuffix(b.kind()));
    }
    if (t instanceof BuiltIn b && b.constant().equals("STRING")) {
      return CodeBlock.of("in.readString()");
    }
    if (t instanceof BuiltIn b && b.constant().equals("BYTES")) {
      return CodeBlock.of("in.readBytes()");
    }
    return CodeBlock.of("$L.read(in)", codec(t));
  }

  // ---------------------------------------------------------------- sealed interfaces

  private CodeBlock sealedCodec(SealedType s, String key) {
    List<String> bases = baseNames(s.type());
    String codecClass = unique(classNames(bases), classNames, "");
    CodeBlock ref = field(key, s.type(), bases, CodeBlock.of("new $L()", codecClass));
    int slot = classes.size();
    classes.add(null);

    TypeName sealedType = TypeName.get(s.type());
    String simple = simpleName(s.type());
    Set<String> taken = new HashSet<>(List.of("out", "in", "tag"));
    String value = freshName(decapitalize(simple), taken, "value");
    taken.add(value);

    MethodSpec.Builder write = MethodSpec.methodBuilder("write")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(OUTPUT, "out")
        .addParameter(sealedType, value);
    MethodSpec.Builder read = MethodSpec.methodBuilder("read")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(sealedType)
        .addParameter(INPUT, "in");
    read.addStatement("int tag = in.readVarInt()");
    read.beginControlFlow("switch (tag)");

    for (int tag = 0; tag < s.permits().size(); tag++) {
      ValueType permit = s.permits().get(tag);
      CodeBlock permitCodec = codec(permit);
      String variable = freshName(decapitalize(simpleName(permit.type())), taken, "value" + tag);
      taken.add(variable);
      TypeName permitType = TypeName.get(permit.type());
      if (tag == 0) {
        write.beginControlFlow("if ($N instanceof $T $N)", value, permitType, variable);
      } else {
        write.nextControlFlow("else if ($N instanceof $T $N)", value, permitType, variable);
      }
      write.addStatement("out.writeVarInt($L)", tag);
      write.addStatement("$L.write(out, $N)", permitCodec, variable);
      read.addCode("case $L:\n", tag);
      read.addStatement("$>return $L.read(in)$<", permitCodec);
    }
    write.nextControlFlow("else");
    write.addStatement("throw new $T($S + $N.getClass().getName())", IllegalArgumentException.class,
        "not a permitted subtype of " + s.typeName() + ": ", value);
    write.endControlFlow();
    read.addCode("default:\n");
    read.addStatement("$>throw new $T($S + tag)$<", CODEC_EXCEPTION,
        "unknown " + s.typeName() + " tag ");
    read.endControlFlow();

    classes.set(slot, TypeSpec.classBuilder(codecClass)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(CODEC, sealedType))
        .addMethod(write.build())
        .addMethod(read.build())
        .build());
    return ref;
  }

  // ---------------------------------------------------------------- names

  /**
   * The first candidate not yet in {@code used} (compared ignoring case), else the last candidate with
   * a numeric suffix; adds the result to {@code used}.
   */
  private static String unique(List<String> candidates, Set<String> used, String separator) {
    List<String> valid = new ArrayList<>();
    for (String candidate : candidates) {
      if (SourceVersion.isName(candidate)) {
        valid.add(candidate);
      }
    }
    if (valid.isEmpty()) {
      valid.add(separator.isEmpty() ? "ValueCodec" : "VALUE_CODEC");
    }
    for (String candidate : valid) {
      if (used.add(candidate.toLowerCase(Locale.ROOT))) {
        return candidate;
      }
    }
    String last = valid.get(valid.size() - 1);
    for (int i = 2; ; i++) {
      String candidate = last + separator + i;
      if (used.add(candidate.toLowerCase(Locale.ROOT))) {
        return candidate;
      }
    }
  }

  private List<String> classNames(List<String> bases) {
    List<String> names = new ArrayList<>();
    for (String base : bases) {
      names.add(base + "Codec");
    }
    return names;
  }

  /** {@code preferred} unless taken or not a usable name, then {@code fallback}, {@code fallback2}, ... */
  private static String freshName(String preferred, Set<String> taken, String fallback) {
    String candidate = preferred;
    if (!SourceVersion.isName(candidate) || taken.contains(candidate)) {
      candidate = fallback;
      for (int i = 2; !SourceVersion.isName(candidate) || taken.contains(candidate); i++) {
        candidate = fallback + i;
      }
    }
    taken.add(candidate);
    return candidate;
  }

  /**
   * A camel-case name for a type: {@code ListOfTag}, {@code MapOfStringToLong}. {@code detail} 0 uses
   * simple names ({@code Item}), 1 the nesting ({@code OrderItem} for {@code Order.Item}), 2 also the
   * package ({@code ComShopOrderItem}); the next level is tried when a name is taken.
   */
  private static String baseName(TypeMirror t, int detail) {
    TypeKind kind = t.getKind();
    if (kind.isPrimitive()) {
      return capitalize(kind.name().toLowerCase(Locale.ROOT));
    }
    if (kind == TypeKind.ARRAY) {
      return baseName(((ArrayType) t).getComponentType(), detail) + "Array";
    }
    if (kind != TypeKind.DECLARED) {
      return "Value";
    }
    DeclaredType d = (DeclaredType) t;
    TypeElement te = (TypeElement) d.asElement();
    StringBuilder b = new StringBuilder(typeName(te, detail));
    List<? extends TypeMirror> args = d.getTypeArguments();
    if (te.getQualifiedName().contentEquals("java.util.Map") && args.size() == 2) {
      return b.append("Of").append(baseName(args.get(0), detail)).append("To")
          .append(baseName(args.get(1), detail)).toString();
    }
    for (int i = 0; i < args.size(); i++) {
      b.append(i == 0 ? "Of" : "And").append(baseName(args.get(i), detail));
    }
    return b.toString();
  }

  private static String typeName(TypeElement te, int detail) {
    if (detail == 0 || te.getQualifiedName().toString().startsWith("java.")) {
      return capitalize(te.getSimpleName().toString());
    }
    Element enclosing = te.getEnclosingElement();
    if (enclosing instanceof TypeElement outer) {
      return typeName(outer, detail) + capitalize(te.getSimpleName().toString());
    }
    StringBuilder b = new StringBuilder();
    if (detail >= 2 && enclosing instanceof PackageElement p && !p.isUnnamed()) {
      for (String part : p.getQualifiedName().toString().split("\\.")) {
        b.append(capitalize(part));
      }
    }
    return b.append(capitalize(te.getSimpleName().toString())).toString();
  }

  /** Names for the codec of {@code type}, from plain to detailed; the first free one is used. */
  private static List<String> baseNames(TypeMirror type) {
    List<String> names = new ArrayList<>();
    for (int detail = 0; detail <= 2; detail++) {
      String name = baseName(type, detail);
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static String simpleName(TypeMirror t) {
    return t instanceof DeclaredType d ? d.asElement().getSimpleName().toString() : "value";
  }

  /** {@code OrderLine -> ORDER_LINE}, {@code HTTPServer -> HTTP_SERVER}, {@code Tag2 -> TAG2}. */
  static String upperSnake(String camel) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (i > 0 && Character.isUpperCase(c)) {
        char previous = camel.charAt(i - 1);
        boolean nextLower = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
        if (Character.isLowerCase(previous) || Character.isDigit(previous)
            || (Character.isUpperCase(previous) && nextLower)) {
          b.append('_');
        }
      }
      b.append(c);
    }
    return b.toString().toUpperCase(Locale.ROOT);
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** {@code Product -> product}, {@code URLInfo -> urlInfo}, {@code ITEM -> item}. */
  static String decapitalize(String s) {
    int upper = 0;
    while (upper < s.length() && Character.isUpperCase(s.charAt(upper))) {
      upper++;
    }
    if (upper == 0) {
      return s;
    }
    if (upper > 1 && upper < s.length()) {
      upper--; // the last capital starts the next word
    }
    return s.substring(0, upper).toLowerCase(Locale.ROOT) + s.substring(upper);
  }

  /** The suffix of {@code Output.writeX}/{@code Input.readX} for a primitive kind. */
  static String primitiveSuffix(TypeKind kind) {
    return switch (kind) {
      case BOOLEAN -> "Boolean";
      case BYTE -> "Byte";
      case SHORT -> "Short";
      case CHAR -> "Char";
      case INT -> "Int";
      case LONG -> "Long";
      case FLOAT -> "Float";
      case DOUBLE -> "Double";
      default -> throw new IllegalArgumentException("not a primitive: " + kind);
    };
  }

  private static String boxConstant(TypeKind kind) {
    return primitiveSuffix(kind).toUpperCase(Locale.ROOT);
  }
}
