package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import javax.lang.model.util.Types;

/**
 * The store kind: for a {@code @SessionScoped} interface, {@code Redwire<Interface>} is the session
 * view (it implements the interface over one {@code Session} handle) and has {@code store(redwire)},
 * which claims the store name and returns a {@code SessionStore<Interface>}. Default methods are
 * inherited as written.
 */
public final class StoreWriter extends GeneratedClass {

  private final Types types;

  public StoreWriter(Types types) {
    this.types = types;
  }

  /** Whether {@code model} gets this kind: the interface is {@code @SessionScoped}. */
  public static boolean applies(InterfaceModel model) {
    return model.session() != null;
  }

  @Override
  String javadoc() {
    return "A session of {@link $T}; get the store with {@link #store}.\n";
  }

  @Override
  List<String> reservedMembers() {
    return new ArrayList<>(SessionMethods.reserved());
  }

  @Override
  List<Step> steps(ClassContext c) {
    return List.of(new SessionMethods(c));
  }

  @Override
  void body(ClassContext c, List<Step> steps) {
    TypeName iface = interfaceType(c.model());
    SessionMethods sessions = (SessionMethods) steps.get(0);
    c.cls().addSuperinterface(iface);
    c.cls().addField(SessionMethods.SESSION, "session", Modifier.PRIVATE, Modifier.FINAL);
    for (Step s : steps) {
      s.fields(c);
    }
    c.cls().addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(SessionMethods.SESSION, "session")
        .addStatement("this.session = session")
        .build());
    MethodSpec.Builder store = MethodSpec.methodBuilder("store")
        .addJavadoc("Returns the sessions of {@link $T} on {@code redwire}; no I/O.\n",
            ClassName.get(c.model().element()))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(ParameterizedTypeName.get(SessionMethods.STORE, iface))
        .addParameter(REDWIRE, "redwire")
        .addStatement("$T.requireNonNull(redwire, $S)", OBJECTS, "redwire");
    c.claims().addTo(c.cls(), store);
    store.addStatement("return $T.of(redwire, $N, $N)", SessionMethods.STORE, sessions.settings(),
        sessions.views());
    c.cls().addMethod(store.build());
    for (MethodModel m : c.model().methods()) {
      if (m.element().isDefault()) {
        continue;
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
