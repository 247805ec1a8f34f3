package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.ResultShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Modifier;
import javax.lang.model.util.Types;

/**
 * The proxy kind: {@code Redwire<Interface>} implements the interface around a delegate, built with
 * {@code wrap(delegate, redwire)}. Methods without Redwire annotations delegate; annotated ones are
 * written by the steps, in this rank order:
 *
 * <pre>
 *   rate limit (before) -> lock (around) -> cache or handle (call) -> cache writes -> publish (after)
 * </pre>
 *
 * so a refused call never waits for a lock, a cache hit is rate limited and runs under the lock, and
 * writes see the delegate's result; an event is published only after the delegate returned (and
 * after the cache writes), still inside the lock.
 */
public final class ProxyWriter extends GeneratedClass {

  private final Types types;

  public ProxyWriter(Types types) {
    this.types = types;
  }

  @Override
  String javadoc() {
    return "Redwire proxy for {@link $T}: wrap an implementation with {@link #wrap}.\n";
  }

  @Override
  List<String> reservedMembers() {
    return new ArrayList<>(List.of("delegate", "redwire"));
  }

  /** The rank order of the proxy's steps. */
  @Override
  List<Step> steps(ClassContext c) {
    CacheMethods cache = new CacheMethods(c);
    return List.of(new RateLimitMethods(c), new LockMethods(c), cache, new BulkCacheMethods(c, cache),
        new HandleMethods(c), new PublishMethods(c));
  }

  @Override
  void body(ClassContext c, List<Step> steps) {
    TypeName iface = interfaceType(c.model());
    List<TypeVariableName> typeVars = typeVariables(c.model());
    c.cls().addSuperinterface(iface);
    c.cls().addField(FieldSpec.builder(iface, "delegate", Modifier.PRIVATE, Modifier.FINAL).build());
    c.cls().addField(FieldSpec.builder(REDWIRE, "redwire", Modifier.PRIVATE, Modifier.FINAL).build());
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(iface, "delegate")
        .addParameter(REDWIRE, "redwire")
        .addStatement("this.delegate = $T.requireNonNull(delegate, $S)", OBJECTS, "delegate")
        .addStatement("this.redwire = $T.requireNonNull(redwire, $S)", OBJECTS, "redwire");
    for (Step s : steps) {
      s.fields(c);
    }
    c.claims().addTo(c.cls(), ctor); // before any region, limiter or lock is built
    c.cls().addMethod(ctor.addCode(c.constructor().build()).build());

    c.cls().addMethod(MethodSpec.methodBuilder("wrap")
        .addJavadoc("Returns {@code delegate} with the Redwire annotations of {@link $T} applied through"
            + " {@code redwire}.\n", ClassName.get(c.model().element()))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addTypeVariables(typeVars)
        .returns(iface)
        .addParameter(iface, "delegate")
        .addParameter(REDWIRE, "redwire")
        .addStatement(typeVars.isEmpty() ? "return new $T(delegate, redwire)" : "return new $T<>(delegate, redwire)",
            c.self())
        .build());

    for (MethodModel m : c.model().methods()) {
      MethodContext mc = overriding(c, m, types);
      writeMethod(mc, steps);
      c.cls().addMethod(mc.method().build());
    }
    finish(c, steps);
  }

  private static void writeMethod(MethodContext mc, List<Step> steps) {
    // after close(), every call through the proxy refuses, before the delegate runs
    mc.method().addStatement("this.redwire.ensureOpen()");
    for (Step s : steps) {
      s.before(mc);
    }
    List<Step.Closer> closers = new ArrayList<>();
    for (Step s : steps) {
      Step.Closer closer = s.around(mc);
      if (closer != null) {
        closers.add(closer);
      }
    }
    Step owner = null;
    for (Step s : steps) {
      if (s.call(mc)) {
        if (owner != null) { // validation refuses two features that both call the delegate
          throw new IllegalStateException(mc.model().name() + ": two steps own the delegate call");
        }
        owner = s;
      }
    }
    if (owner == null) {
      callDelegate(mc, steps);
    }
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close(mc);
    }
  }

  /** The delegate call; when a step uses the result, it is kept in a local, used, then returned. */
  private static void callDelegate(MethodContext mc, List<Step> steps) {
    MethodModel m = mc.model();
    MethodSpec.Builder method = mc.method();
    List<Step> users = new ArrayList<>();
    for (Step s : steps) {
      if (s.usesResult(mc)) {
        users.add(s);
      }
    }
    if (users.isEmpty()) {
      method.addStatement(m.result().isVoid() && m.result().wrapper() == ResultShape.Wrapper.VOID
          ? "this.delegate.$L($L)" : "return this.delegate.$L($L)", m.name(), arguments(m));
      return;
    }
    String result = null;
    if (m.result().wrapper() == ResultShape.Wrapper.VOID) {
      method.addStatement("this.delegate.$L($L)", m.name(), arguments(m));
    } else {
      result = mc.names().newName("result");
      method.addStatement("$T $N = this.delegate.$L($L)", TypeName.get(m.result().declared()), result,
          m.name(), arguments(m));
    }
    for (Step s : users) {
      s.after(mc, result);
    }
    if (result != null) {
      method.addStatement("return $N", result);
    }
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
