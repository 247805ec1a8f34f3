package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.PublishSpec;
import io.redwire.processor.model.ResultShape;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the {@code @Publishes} parts of a proxy: per method a {@code Publication} constant, the
 * payload's fingerprint and an {@code EventPublisher} field built in the constructor; and, in the
 * {@code after} slot (so only once the delegate returned, after any cache writes and inside any lock),
 * one {@code publish} of the result or of the {@code @Payload} parameter.
 *
 * <pre>{@code
 * OrderPlaced result = this.delegate.place(cart);
 * this.placePublisher.publish(result);
 * return result;
 * }</pre>
 */
final class PublishMethods implements Step {

  static final String PACKAGE = GeneratedClass.RUNTIME + ".events";
  static final ClassName PUBLISHER = ClassName.get(PACKAGE, "EventPublisher");
  static final ClassName PUBLICATION = ClassName.get(PACKAGE, "Publication");
  /** The claim kind of a channel, shared by publishers and listeners. */
  static final String CHANNEL = "channel";

  private final Map<MethodModel, String> fields = new IdentityHashMap<>();

  PublishMethods(ClassContext c) {}

  /** The claim shape of a channel: durability and the event's type and fingerprint. */
  static String shape(boolean durable, io.redwire.processor.model.ValueType v) {
    return "durable=" + durable + ";event=" + v.typeName() + "#" + Long.toHexString(v.fingerprint());
  }

  @Override
  public void fields(ClassContext c) {
    for (MethodModel m : c.model().methods()) {
      PublishSpec p = m.publishes();
      if (p == null) {
        continue;
      }
      c.claims().claim(CHANNEL, p.channel(), shape(p.durable(), p.valueType()));
      String constant = ProxyWriter.constant(m.name());
      String publication = c.members().newName(constant + "_PUBLICATION");
      String fingerprint = c.members().newName(constant + "_EVENT_FINGERPRINT");
      String field = c.members().newName(m.name() + "Publisher");
      fields.put(m, field);
      TypeName payload = TypeName.get(p.payloadType()).box();
      c.cls().addField(FieldSpec.builder(PUBLICATION, publication, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .initializer("new $T($S, $L, $LL, $LL)", PUBLICATION, p.channel(), p.durable(),
              p.durable() ? p.retainMillis() : 0, p.durable() ? p.retainCount() : 0)
          .build());
      c.cls().addField(FieldSpec.builder(TypeName.LONG, fingerprint, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("Shape of $L.\n", p.valueType().shape().replace("$", "$$"))
          .initializer("0x$LL", Long.toHexString(p.valueType().fingerprint()))
          .build());
      c.cls().addField(FieldSpec.builder(ParameterizedTypeName.get(PUBLISHER, payload), field, Modifier.PRIVATE,
          Modifier.FINAL).build());
      c.constructor().addStatement("this.$N = $T.of(redwire, $N, $N, $L)", field, PUBLISHER, publication,
          fingerprint, c.codecs().codec(p.valueType()));
    }
  }

  @Override
  public boolean usesResult(MethodContext m) {
    return m.model().publishes() != null;
  }

  @Override
  public void after(MethodContext mc, String result) {
    MethodModel m = mc.model();
    PublishSpec p = m.publishes();
    if (p == null) {
      return;
    }
    String field = fields.get(m);
    if (p.payload() != null) {
      mc.method().addStatement("this.$N.publish($N)", field, p.payload().name());
    } else if (m.result().wrapper() == ResultShape.Wrapper.OPTIONAL) {
      mc.method().beginControlFlow("if ($N.isPresent())", result);
      mc.method().addStatement("this.$N.publish($N.get())", field, result);
      mc.method().endControlFlow();
    } else {
      mc.method().addStatement("this.$N.publish($N)", field, result);
    }
  }
}
