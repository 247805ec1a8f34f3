package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.SubscribeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The listener kind: for an interface of {@code @Subscribes} methods, {@code Redwire<Interface>} is a
 * running {@code Subscription} of a handler (an implementation of the interface), started with
 * {@code subscribe(handler, redwire[, options])}; {@code deadLetters(redwire)} (one durable method) or
 * {@code <method>DeadLetters(redwire)} (several) returns the typed dead letters of a method's group.
 *
 * <p>Per method: a {@code Listening} constant (channel, group, retries...), the event's fingerprint, an
 * {@code EventConsumer} field started in the constructor after the name claims, and a small nested class
 * that calls the handler's method (no lambdas in generated code). {@code close()} closes every consumer.
 */
public final class ListenerWriter extends GeneratedClass {

  static final ClassName LISTENING = ClassName.get(PublishMethods.PACKAGE, "Listening");
  static final ClassName CONSUMER = ClassName.get(PublishMethods.PACKAGE, "EventConsumer");
  static final ClassName HANDLER = ClassName.get(PublishMethods.PACKAGE, "EventHandler");
  static final ClassName SUBSCRIPTION = ClassName.get(PublishMethods.PACKAGE, "Subscription");
  static final ClassName OPTIONS = ClassName.get(PublishMethods.PACKAGE, "SubscribeOptions");
  static final ClassName DEAD_LETTERS = ClassName.get(PublishMethods.PACKAGE, "DeadLetters");

  /** Whether {@code model} gets this kind: it has a {@code @Subscribes} method (validation keeps it pure). */
  public static boolean applies(InterfaceModel model) {
    return model.methods().stream().anyMatch(m -> m.subscribes() != null);
  }

  @Override
  String javadoc() {
    return "Redwire listener for {@link $T}: start it with {@link #subscribe}; close it to stop.\n";
  }

  @Override
  List<String> reservedMembers() {
    return new ArrayList<>(List.of("redwire", "handler", "options", "subscribe", "close", "deadLetters"));
  }

  @Override
  List<Step> steps(ClassContext c) {
    return List.of();
  }

  private record Method(MethodModel model, String listening, String fingerprint, String consumer,
      ClassName adapter, TypeName event) {}

  @Override
  void body(ClassContext c, List<Step> steps) {
    InterfaceModel model = c.model();
    TypeName iface = interfaceType(model);
    c.cls().addSuperinterface(SUBSCRIPTION);
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(iface, "handler")
        .addParameter(REDWIRE, "redwire")
        .addParameter(OPTIONS, "options")
        .addStatement("$T.requireNonNull(handler, $S)", OBJECTS, "handler")
        .addStatement("$T.requireNonNull(redwire, $S)", OBJECTS, "redwire")
        .addStatement("$T.requireNonNull(options, $S)", OBJECTS, "options");
    Map<MethodModel, Method> methods = new LinkedHashMap<>();
    for (MethodModel m : model.methods()) {
      SubscribeSpec s = m.subscribes();
      if (s == null) {
        continue;
      }
      c.claims().claim(PublishMethods.CHANNEL, s.channel(), PublishMethods.shape(s.durable(), s.valueType()));
      String constant = ProxyWriter.constant(m.name());
      String listening = c.members().newName(constant + "_LISTENING");
      String fingerprint = c.members().newName(constant + "_EVENT_FINGERPRINT");
      String consumer = c.members().newName(m.name() + "Consumer");
      ClassName adapter = c.self().nestedClass(c.members().newName(ProxyWriter.capitalized(m.name()) + "Handler"));
      TypeName event = TypeName.get(s.eventType()).box();
      methods.put(m, new Method(m, listening, fingerprint, consumer, adapter, event));
      c.cls().addField(FieldSpec.builder(LISTENING, listening, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("new $T($S, $L, $S, $L, $L, $LL, $LL)", LISTENING, s.channel(), s.durable(),
              s.group(), s.concurrency(), s.maxDeliveries(), s.backoffMillis(), s.reclaimAfterMillis())
          .build());
      c.cls().addField(FieldSpec.builder(TypeName.LONG, fingerprint, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("Shape of $L; an event of another shape is dead-lettered, never misread.\n",
              s.valueType().shape().replace("$", "$$"))
          .initializer("0x$LL", Long.toHexString(s.valueType().fingerprint()))
          .build());
      c.cls().addField(FieldSpec.builder(ParameterizedTypeName.get(CONSUMER, event), consumer, Modifier.PRIVATE,
          Modifier.FINAL).build());
    }
    c.claims().addTo(c.cls(), ctor); // before any consumer starts
    for (Method m : methods.values()) {
      ctor.addStatement("this.$N = $T.start(redwire, $N, $N, $L, new $T(handler), options)", m.consumer(),
          CONSUMER, m.listening(), m.fingerprint(), c.codecs().codec(m.model().subscribes().valueType()),
          m.adapter());
    }
    c.cls().addMethod(ctor.build());

    c.cls().addMethod(MethodSpec.methodBuilder("subscribe")
        .addJavadoc("Starts handling the events of {@link $T} with {@code handler} on background threads;"
            + " returns at once. Close the subscription (or {@code redwire}) to stop.\n",
            ClassName.get(model.element()))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(SUBSCRIPTION)
        .addParameter(iface, "handler")
        .addParameter(REDWIRE, "redwire")
        .addStatement("return new $T(handler, redwire, $T.DEFAULTS)", c.self(), OPTIONS)
        .build());
    c.cls().addMethod(MethodSpec.methodBuilder("subscribe")
        .addJavadoc("Like {@link #subscribe($T, $T)}, with run-time options.\n", iface, REDWIRE)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(SUBSCRIPTION)
        .addParameter(iface, "handler")
        .addParameter(REDWIRE, "redwire")
        .addParameter(OPTIONS, "options")
        .addStatement("return new $T(handler, redwire, options)", c.self())
        .build());

    List<Method> durable = methods.values().stream().filter(m -> m.model().subscribes().durable()).toList();
    for (Method m : durable) {
      String name = durable.size() == 1 ? "deadLetters" : c.members().newName(m.model().name() + "DeadLetters");
      c.cls().addMethod(MethodSpec.methodBuilder(name)
          .addJavadoc("The dead letters of {@code $L} in group {@code $L}: list, replay, purge. No I/O.\n",
              m.model().name(), m.model().subscribes().group())
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(ParameterizedTypeName.get(DEAD_LETTERS, m.event()))
          .addParameter(REDWIRE, "redwire")
          .addStatement("return $T.of(redwire, $N, $N, $L)", DEAD_LETTERS, m.listening(), m.fingerprint(),
              c.codecs().codec(m.model().subscribes().valueType()))
          .build());
    }

    MethodSpec.Builder close = MethodSpec.methodBuilder("close")
        .addAnnotation(Override.class)
        .addJavadoc("Stops reading, lets running handlers finish (up to the close wait) and leaves the rest"
            + " pending for the group's other consumers.\n")
        .addModifiers(Modifier.PUBLIC);
    for (Method m : methods.values()) {
      close.addStatement("this.$N.close()", m.consumer());
    }
    c.cls().addMethod(close.build());

    for (Method m : methods.values()) {
      boolean async = m.model().subscribes().async();
      c.cls().addType(TypeSpec.classBuilder(m.adapter())
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addSuperinterface(ParameterizedTypeName.get(HANDLER, m.event()))
          .addField(iface, "handler", Modifier.PRIVATE, Modifier.FINAL)
          .addMethod(MethodSpec.constructorBuilder()
              .addParameter(iface, "handler")
              .addStatement("this.handler = handler")
              .build())
          .addMethod(MethodSpec.methodBuilder("handle")
              .addAnnotation(Override.class)
              .addModifiers(Modifier.PUBLIC)
              .addException(Exception.class)
              .addParameter(m.event(), "event")
              .addStatement(async ? "$T.await(this.handler.$N(event))" : "this.handler.$N(event)",
                  async ? new Object[] {HANDLER, m.model().name()} : new Object[] {m.model().name()})
              .build())
          .build());
    }
    c.codecs().addTo(c.cls());
  }
}
