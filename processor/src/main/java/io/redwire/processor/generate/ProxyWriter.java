package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.ResultShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.util.Types;

/**
 * Writes {@code Redwire<Interface>}: a final class that implements the interface around a delegate.
 * Methods without Redwire annotations delegate; annotated ones call the runtime with straight-line code.
 */
public final class ProxyWriter {

  static final String RUNTIME = "io.redwire.runtime";
  static final ClassName REDWIRE = ClassName.get(RUNTIME, "Redwire");
  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final ClassName OBJECTS = ClassName.get("java.util", "Objects");

  private final Types types;

  public ProxyWriter(Types types) {
    this.types = types;
  }

  public JavaFile write(InterfaceModel model) {
    ClassName self = ClassName.get(model.packageName(), model.generatedSimpleName());
    TypeName iface = TypeName.get(model.type());
    List<TypeVariableName> typeVars = new ArrayList<>();
    for (TypeParameterElement tp : model.element().getTypeParameters()) {
      typeVars.add(TypeVariableName.get(tp));
    }
    TypeSpec.Builder cls = TypeSpec.classBuilder(self)
        .addAnnotation(com.palantir.javapoet.AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", "io.redwire.processor.RedwireProcessor").build())
        .addJavadoc("Redwire proxy for {@link $T}: wrap an implementation with {@link #wrap}.\n",
            ClassName.get(model.element()))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addTypeVariables(typeVars)
        .addSuperinterface(iface)
        .addOriginatingElement(model.element());

    CodecWriter codecs = new CodecWriter(List.of(model.generatedSimpleName(), "delegate", "redwire"));
    NameAllocator members = new NameAllocator();
    members.newName("delegate");
    members.newName("redwire");
    KeyCode keys = new KeyCode(members);
    CacheMethods caches = new CacheMethods(model, codecs, self, members, keys);
    RateLimitMethods rateLimits = new RateLimitMethods(model, members, keys);
    LockMethods locks = new LockMethods(model, members, keys);

    cls.addField(FieldSpec.builder(iface, "delegate", Modifier.PRIVATE, Modifier.FINAL).build());
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(iface, "delegate")
        .addParameter(REDWIRE, "redwire")
        .addStatement("this.delegate = $T.requireNonNull(delegate, $S)", OBJECTS, "delegate")
        .addStatement("$T.requireNonNull(redwire, $S)", OBJECTS, "redwire");
    new Claims(model, members).addTo(cls, ctor); // before any region, limiter or lock is built
    caches.addFields(cls, ctor);
    rateLimits.addFields(cls, ctor);
    locks.addFields(cls, ctor);
    cls.addMethod(ctor.build());

    cls.addMethod(MethodSpec.methodBuilder("wrap")
        .addJavadoc("Returns {@code delegate} with the Redwire annotations of {@link $T} applied through"
            + " {@code redwire}.\n", ClassName.get(model.element()))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addTypeVariables(typeVars)
        .returns(iface)
        .addParameter(iface, "delegate")
        .addParameter(REDWIRE, "redwire")
        .addStatement(typeVars.isEmpty() ? "return new $T(delegate, redwire)" : "return new $T<>(delegate, redwire)",
            self)
        .build());

    for (MethodModel m : model.methods()) {
      MethodSpec.Builder method = MethodSpec.overriding(m.element(), model.type(), types);
      NameAllocator names = new NameAllocator();
      for (Param p : m.params()) {
        names.newName(p.name(), p);
      }
      rateLimits.prologue(method, m, names); // rate limit -> lock -> cache -> delegate
      LockMethods.Held held = locks.acquire(method, m, names);
      if (m.cached() != null) {
        caches.cached(cls, method, m, names);
      } else if (!m.writes().isEmpty()) {
        caches.writes(method, m, names);
      } else {
        method.addStatement(m.result().isVoid() && m.result().wrapper() == ResultShape.Wrapper.VOID
            ? "this.delegate.$L($L)" : "return this.delegate.$L($L)", m.name(), arguments(m));
      }
      locks.release(method, held);
      cls.addMethod(method.build());
    }
    keys.addFields(cls);
    caches.addTypes(cls);
    codecs.addTo(cls);
    return JavaFile.builder(model.packageName(), cls.build())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  static CodeBlock arguments(MethodModel m) {
    return CodeBlock.join(m.params().stream().map(p -> CodeBlock.of("$N", p.name())).toList(), ", ");
  }

  /** A Java identifier made from a cache name: {@code "product-v2"} -> {@code productV2}. */
  static String identifier(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (Character.isJavaIdentifierPart(c) && c != '$') {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = out.length() > 0;
      }
    }
    if (out.length() == 0 || !Character.isJavaIdentifierStart(out.charAt(0))) {
      out.insert(0, '_');
    }
    return out.toString();
  }

  static String constant(String name) {
    return identifier(name).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  static String capitalized(String name) {
    String id = identifier(name);
    return Character.toUpperCase(id.charAt(0)) + id.substring(1);
  }
}
