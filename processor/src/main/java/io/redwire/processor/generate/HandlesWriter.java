package io.redwire.processor.generate;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import javax.lang.model.util.Types;

/**
 * The handles kind: for an interface whose every abstract method returns a handle ({@code @Leaderboard},
 * {@code @Counter}, {@code @Distinct}), {@code Redwire<Interface>} needs no delegate and is built with
 * {@code of(redwire)}. Default methods are inherited as written. An interface that mixes handle methods
 * with methods to delegate gets the proxy kind ({@code wrap(delegate, redwire)}) instead.
 */
public final class HandlesWriter extends GeneratedClass {

  private final Types types;

  public HandlesWriter(Types types) {
    this.types = types;
  }

  /** Whether {@code model} gets this kind: every abstract method returns a handle. */
  public static boolean applies(InterfaceModel model) {
    boolean any = false;
    for (MethodModel m : model.methods()) {
      if (m.handle() != null) {
        any = true;
      } else if (!m.element().isDefault()) {
        return false;
      }
    }
    return any;
  }

  @Override
  String javadoc() {
    return "Redwire handles for {@link $T}: get them with {@link #of}.\n";
  }

  @Override
  List<String> reservedMembers() {
    return new ArrayList<>(List.of("redwire"));
  }

  @Override
  List<Step> steps(ClassContext c) {
    return List.of(new HandleMethods(c));
  }

  @Override
  void body(ClassContext c, List<Step> steps) {
    TypeName iface = interfaceType(c.model());
    List<TypeVariableName> typeVars = typeVariables(c.model());
    c.cls().addSuperinterface(iface);
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(REDWIRE, "redwire")
        .addStatement("$T.requireNonNull(redwire, $S)", OBJECTS, "redwire");
    for (Step s : steps) {
      s.fields(c);
    }
    c.claims().addTo(c.cls(), ctor);
    c.cls().addMethod(ctor.addCode(c.constructor().build()).build());
    c.cls().addMethod(MethodSpec.methodBuilder("of")
        .addJavadoc("Returns the handles of {@link $T} on {@code redwire}; no I/O.\n",
            com.palantir.javapoet.ClassName.get(c.model().element()))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addTypeVariables(typeVars)
        .returns(iface)
        .addParameter(REDWIRE, "redwire")
        .addStatement(typeVars.isEmpty() ? "return new $T(redwire)" : "return new $T<>(redwire)", c.self())
        .build());
    for (MethodModel m : c.model().methods()) {
      if (m.handle() == null) {
        continue; // a default method, inherited as written
      }
      MethodContext mc = overriding(c, m, types);
      for (Step s : steps) {
        s.call(mc);
      }
      c.cls().addMethod(mc.method().build());
    }
    finish(c, steps);
  }
}
