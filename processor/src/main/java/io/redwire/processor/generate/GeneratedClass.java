package io.redwire.processor.generate;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Param;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.util.Types;

/**
 * One kind of generated class (the way Dagger has one generator per kind of binding class). Every
 * kind writes {@code Redwire<Interface>} next to the interface, as a public final class with
 * {@code @Generated} (no timestamp), the interface as its only originating element (so the processor
 * stays isolating), the interface's type variables, and the members of its {@link Step}s. A kind
 * supplies its entry points (the proxy kind: {@code wrap(delegate, redwire)}; the handles kind: {@code
 * of(redwire)}; the listener kind: {@code subscribe(handler, redwire[, options])} and {@code
 * deadLetters(redwire)}; the store kind: {@code store(redwire)}; the queue kind: {@code client(redwire)},
 * {@code work(delegate, redwire, ...)} and {@code admin(redwire)}) and the method bodies.
 */
public abstract class GeneratedClass {

  static final String RUNTIME = "io.redwire.runtime";
  static final ClassName REDWIRE = ClassName.get(RUNTIME, "Redwire");
  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final ClassName OBJECTS = ClassName.get("java.util", "Objects");

  /** Writes the class for {@code model}. */
  public final JavaFile write(InterfaceModel model) {
    ClassName self = ClassName.get(model.packageName(), model.generatedSimpleName());
    TypeSpec.Builder cls = TypeSpec.classBuilder(self)
        .addAnnotation(AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", "io.redwire.processor.RedwireProcessor").build())
        .addJavadoc(javadoc(), ClassName.get(model.element()))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addTypeVariables(typeVariables(model))
        .addOriginatingElement(model.element());
    NameAllocator members = new NameAllocator();
    List<String> reserved = reservedMembers();
    reserved.forEach(members::newName);
    List<String> codecReserved = new ArrayList<>();
    codecReserved.add(model.generatedSimpleName());
    codecReserved.addAll(reserved);
    ClassContext c = new ClassContext(model, self, cls, CodeBlock.builder(), new Claims(model, members),
        members, new KeyCode(members), new CodecWriter(codecReserved));
    body(c, steps(c));
    return JavaFile.builder(model.packageName(), cls.build())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  /** The class Javadoc; {@code $T} is the interface. */
  abstract String javadoc();

  /** Member names the kind uses itself, reserved before any step names a field. */
  abstract List<String> reservedMembers();

  /** The steps of this class in rank order (one new instance each per class). */
  abstract List<Step> steps(ClassContext c);

  /** Adds the fields, constructor, entry points and methods. */
  abstract void body(ClassContext c, List<Step> steps);

  static List<TypeVariableName> typeVariables(InterfaceModel model) {
    List<TypeVariableName> typeVars = new ArrayList<>();
    for (TypeParameterElement tp : model.element().getTypeParameters()) {
      typeVars.add(TypeVariableName.get(tp));
    }
    return typeVars;
  }

  static TypeName interfaceType(InterfaceModel model) {
    return TypeName.get(model.type());
  }

  /** A method overriding {@code m} as a member of the interface, its local names seeded with its parameters. */
  static MethodContext overriding(ClassContext c, MethodModel m, Types types) {
    NameAllocator names = new NameAllocator();
    for (Param p : m.params()) {
      names.newName(p.name(), p);
    }
    return new MethodContext(c, m, MethodSpec.overriding(m.element(), c.model().type(), types), names);
  }

  /** What every kind adds after its methods: the shared key literals, the steps' last members, the codecs. */
  static void finish(ClassContext c, List<Step> steps) {
    c.keys().addFields(c.cls());
    for (Step s : steps) {
      s.finish(c);
    }
    c.codecs().addTo(c.cls());
  }
}
