package io.redwire.processor.generate;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.SessionSpec;
import io.redwire.processor.model.SessionSpec.Accessor;
import io.redwire.processor.model.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Writes the accessors of a {@code @SessionScoped} interface: constants for the store's settings and
 * for each field (its name, and the fingerprint of its type), and one body per accessor that makes one
 * call on the view's {@code Session} (one round trip):
 *
 * <pre>{@code
 * public String coupon() {
 *   return this.session.decode(this.session.get(COUPON), COUPON, COUPON_FINGERPRINT, Codecs.STRING);
 * }
 * public long addItems(long delta) {
 *   return this.session.add(ITEMS, delta);
 * }
 * }</pre>
 *
 * An increment returning a view record ({@code Summary addItems(long delta)}) calls {@code
 * session.addAndGet(ITEMS, delta, ADD_ITEMS_FIELDS)} and decodes the record as a view does.
 *
 * Fields with an increment hold decimal integers (so {@code HINCRBY} works); the others hold their
 * codec's bytes behind the value header. Absent values: null, {@code Optional.empty()}, 0 or false.
 */
final class SessionMethods implements Step {

  static final String PACKAGE = GeneratedClass.RUNTIME + ".session";
  static final ClassName SESSION = ClassName.get(PACKAGE, "Session");
  static final ClassName STORE = ClassName.get(PACKAGE, "SessionStore");
  static final ClassName SETTINGS = ClassName.get(PACKAGE, "SessionSettings");
  static final ClassName FIELD = ClassName.get(PACKAGE, "SessionField");
  static final ClassName OPTIONAL = ClassName.get("java.util", "Optional");

  private final SessionSpec spec;
  /** Field name -> constant of its SessionField. */
  private final Map<String, String> fieldConstants = new LinkedHashMap<>();
  /** Field name -> constant of its fingerprint (codec fields only). */
  private final Map<String, String> fingerprints = new LinkedHashMap<>();
  /** View method name -> constant of its field array. */
  private final Map<String, String> viewFields = new LinkedHashMap<>();
  private String settings;
  private String views;

  SessionMethods(ClassContext c) {
    this.spec = c.model().session();
  }

  String settings() {
    return settings;
  }

  String views() {
    return views;
  }

  @Override
  public void fields(ClassContext c) {
    String local = ProxyWriter.constant(spec.name());
    settings = c.members().newName(local + "_SESSION");
    c.cls().addField(FieldSpec.builder(SETTINGS, settings, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("new $T($S, $LL, $LL, $L, $L)", SETTINGS, spec.name(), spec.ttlMillis(),
            spec.absoluteMillis(), spec.maxPerUser(), spec.user() != null)
        .build());
    StringBuilder shape = new StringBuilder("ttl=").append(spec.ttlMillis()).append(";absolute=")
        .append(spec.absoluteMillis()).append(";maxPerUser=").append(spec.maxPerUser()).append(";user=")
        .append(spec.user() == null ? "" : spec.user()).append(";fields=");
    boolean first = true;
    for (Accessor getter : spec.fields().values()) {
      String f = getter.field();
      String constant = c.members().newName(ProxyWriter.constant(f));
      fieldConstants.put(f, constant);
      c.cls().addField(FieldSpec.builder(FIELD, constant, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("$T.of($S)", FIELD, f)
          .build());
      shape.append(first ? "" : ",").append(f).append(':');
      first = false;
      if (spec.integral(f)) {
        shape.append(getter.type()).append("/decimal");
      } else {
        String fp = c.members().newName(constant + "_FINGERPRINT");
        fingerprints.put(f, fp);
        c.cls().addField(FieldSpec.builder(TypeName.LONG, fp, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("0x$LL", Long.toHexString(getter.value().fingerprint()))
            .build());
        shape.append(getter.value().typeName()).append('#').append(Long.toHexString(getter.value().fingerprint()));
      }
    }
    for (Accessor a : spec.accessors()) {
      if (a.kind() != SessionSpec.Kind.VIEW && a.kind() != SessionSpec.Kind.ADD_VIEW) {
        continue;
      }
      String constant = c.members().newName(ProxyWriter.constant(a.methodName()) + "_FIELDS");
      viewFields.put(a.methodName(), constant);
      CodeBlock.Builder init = CodeBlock.builder().add("{");
      for (int i = 0; i < a.components().size(); i++) {
        init.add(i == 0 ? "$N" : ", $N", fieldConstants.get(a.components().get(i)));
      }
      c.cls().addField(FieldSpec.builder(ArrayTypeName.of(FIELD), constant, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .initializer(init.add("}").build())
          .build());
    }
    c.claims().claim(Claims.SESSION, spec.name(), shape.toString());
    views = c.members().newName("VIEWS");
  }

  @Override
  public boolean call(MethodContext mc) {
    Accessor a = accessor(mc);
    if (a == null) {
      return false;
    }
    MethodSpec.Builder m = mc.method();
    String f = a.field() == null ? null : fieldConstants.get(a.field());
    switch (a.kind()) {
      case ID -> m.addStatement("return this.session.id()");
      case GET -> {
        String value = mc.names().newName("value");
        read(mc, a.field(), CodeBlock.of("this.session.get($N)", f), value);
        m.addStatement("return $N", value);
      }
      case SET -> {
        String p = mc.model().params().get(0).name();
        if (spec.integral(a.field())) {
          m.addStatement("this.session.set($N, $N)", f, p);
        } else if (a.field().equals(spec.user())) {
          m.addStatement("this.session.setUser($N, $L, $N)", f, encode(mc, a.field(), p), p);
        } else {
          m.addStatement("this.session.set($N, $L)", f, encode(mc, a.field(), p));
        }
      }
      case ADD -> {
        String p = mc.model().params().get(0).name();
        if (a.type().getKind() == TypeKind.INT) {
          m.addStatement("return this.session.addInt($N, $N)", f, p);
        } else {
          m.addStatement("return this.session.add($N, $N)", f, p);
        }
      }
      case CAS -> {
        String expect = mc.model().params().get(0).name();
        String update = mc.model().params().get(1).name();
        if (spec.integral(a.field())) {
          m.addStatement("return this.session.compareAndSet($N, $N, $N)", f, expect, update);
        } else {
          m.addStatement("return this.session.compareAndSet($N, $N, $N, $N, $L)", f, expect, update,
              fingerprints.get(a.field()), mc.cls().codecs().codec(spec.fields().get(a.field()).value()));
        }
      }
      case VIEW -> view(mc, a);
      case ADD_VIEW -> addView(mc, a, f);
      default -> throw new IllegalStateException("validated: " + a.kind());
    }
    return true;
  }

  private void view(MethodContext mc, Accessor a) {
    MethodSpec.Builder m = mc.method();
    String raw = mc.names().newName("raw");
    m.addStatement("byte[][] $N = this.session.getAll($N)", raw, viewFields.get(a.methodName()));
    m.beginControlFlow("if ($N == null)", raw).addStatement("return null").endControlFlow();
    construct(mc, a, raw);
  }

  /** The increment returning a view: one round trip that adds, then reads the view's fields. */
  private void addView(MethodContext mc, Accessor a, String field) {
    MethodSpec.Builder m = mc.method();
    String raw = mc.names().newName("raw");
    String p = mc.model().params().get(0).name();
    m.addStatement("byte[][] $N = this.session.$L($N, $N, $N)", raw,
        spec.fields().get(a.field()).type().getKind() == TypeKind.INT ? "addIntAndGet" : "addAndGet", field, p,
        viewFields.get(a.methodName()));
    construct(mc, a, raw);
  }

  /** Decodes a view's components from {@code raw} and returns its record. */
  private void construct(MethodContext mc, Accessor a, String raw) {
    MethodSpec.Builder m = mc.method();
    CodeBlock.Builder args = CodeBlock.builder();
    for (int i = 0; i < a.components().size(); i++) {
      String component = a.components().get(i);
      String local = mc.names().newName(component);
      read(mc, component, CodeBlock.of("$N[$L]", raw, i), local);
      args.add(i == 0 ? "$N" : ", $N", local);
    }
    m.addStatement("return new $T($L)", TypeName.get(a.type()), args.build());
  }

  /** Declares {@code local} holding field {@code field} decoded from the bytes {@code raw}, absent as the type's empty value. */
  private void read(MethodContext mc, String field, CodeBlock raw, String local) {
    MethodSpec.Builder m = mc.method();
    Accessor getter = spec.fields().get(field);
    String f = fieldConstants.get(field);
    TypeMirror type = getter.type();
    if (spec.integral(field)) {
      m.addStatement("$T $N = this.session.$L($L, $N)", TypeName.get(type), local,
          type.getKind() == TypeKind.INT ? "intOf" : "longOf", raw, f);
      return;
    }
    CodeBlock decode = CodeBlock.of("this.session.decode($L, $N, $N, $L)", raw, f, fingerprints.get(field),
        mc.cls().codecs().codec(getter.value()));
    if (type.getKind().isPrimitive()) {
      String boxed = mc.names().newName(local + "Boxed");
      m.addStatement("$T $N = $L", TypeName.get(type).box(), boxed, decode);
      m.addStatement("$T $N = $N == null ? $L : $N", TypeName.get(type), local, boxed, zero(type.getKind()),
          boxed);
    } else if (optional(type)) {
      String stored = mc.names().newName(local + "Stored");
      m.addStatement("$T $N = $L", TypeName.get(type), stored, decode);
      m.addStatement("$T $N = $N == null ? $T.empty() : $N", TypeName.get(type), local, stored, OPTIONAL,
          stored);
    } else {
      m.addStatement("$T $N = $L", TypeName.get(type), local, decode);
    }
  }

  private CodeBlock encode(MethodContext mc, String field, String param) {
    return CodeBlock.of("$T.encode($N, $N, $L)", SESSION, param, fingerprints.get(field),
        mc.cls().codecs().codec(spec.fields().get(field).value()));
  }

  private Accessor accessor(MethodContext mc) {
    for (Accessor a : spec.accessors()) {
      if (a.method().equals(mc.model().element())) {
        return a;
      }
    }
    return null;
  }

  private static boolean optional(TypeMirror t) {
    return t.getKind() == TypeKind.DECLARED
        && ((DeclaredType) t).asElement().toString().equals("java.util.Optional");
  }

  private static String zero(TypeKind k) {
    return switch (k) {
      case BOOLEAN -> "false";
      case CHAR -> "'\\0'";
      case FLOAT -> "0f";
      case DOUBLE -> "0d";
      case LONG -> "0L";
      default -> "0";
    };
  }

  /** The nested class that builds views: {@code SessionStore.Views<Interface>}. */
  @Override
  public void finish(ClassContext c) {
    TypeName iface = GeneratedClass.interfaceType(c.model());
    ClassName nested = c.self().nestedClass("Views");
    c.cls().addType(TypeSpec.classBuilder(nested)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(STORE.nestedClass("Views"), iface))
        .addMethod(MethodSpec.methodBuilder("view")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(iface)
            .addParameter(SESSION, "session")
            .addStatement("return new $T(session)", c.self())
            .build())
        .build());
    c.cls().addField(FieldSpec.builder(nested, views, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("new $T()", nested)
        .build());
  }

  static List<String> reserved() {
    return List.of("session", "redwire", "Views", "store");
  }
}
