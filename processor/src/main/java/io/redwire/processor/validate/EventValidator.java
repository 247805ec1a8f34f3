package io.redwire.processor.validate;

import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.PublishSpec;
import io.redwire.processor.model.SubscribeSpec;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.read.EventReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Checks {@code @Publishes}, {@code @Payload} and {@code @Subscribes}: per method (what is published,
 * codecs, stream-only options on pub/sub channels, listener signatures), per interface (a listener
 * interface holds only listener methods) and across the interfaces of one compilation (publishers and
 * listeners of a channel agree on the payload shape and durability). One instance per round.
 */
public final class EventValidator {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private record Side(String description, Element element) {}

  private final Diagnostics diagnostics;
  /** Channel -> the first publisher or listener seen in this compilation. */
  private final Map<String, Side> channels = new HashMap<>();
  /** Channel and consumer group of a durable listener -> the first method that reads them. */
  private final Map<List<String>, Element> groups = new HashMap<>();

  public EventValidator(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  public void validate(InterfaceModel model) {
    boolean listener = model.methods().stream().anyMatch(m -> m.subscribes() != null);
    for (MethodModel m : model.methods()) {
      if (m.publishes() != null) {
        checkPublishes(m, m.publishes());
      }
      if (m.subscribes() != null) {
        checkSubscribes(m, m.subscribes());
      } else if (listener && !m.element().isDefault()) {
        diagnostics.listenerMixed(m.element(), m.plain() ? "is not a @Subscribes method"
            : "is not a @Subscribes method but has other Redwire annotations");
      }
    }
  }

  private void checkPublishes(MethodModel m, PublishSpec p) {
    Origin at = p.origin();
    if (!NAME.matcher(p.channel()).matches()) {
      diagnostics.nameInvalid(at, "Publishes", p.channel());
    }
    if (!p.durable() && at.value("retain") != null) {
      diagnostics.streamOnly(at, "Publishes", "retain");
    }
    List<Param> payloads = EventReader.payloads(m.params());
    for (int i = 1; i < payloads.size(); i++) {
      diagnostics.payloadTwice(payloads.get(i).element(), payloads.get(0).name());
    }
    if (m.cached() != null) {
      diagnostics.publishesCached(at);
      return;
    }
    if (p.payloadType() == null) {
      if (m.result().async() && !m.result().isVoid()) {
        diagnostics.publishesFuture(at, m.result().declared().toString());
      } else {
        diagnostics.publishesNothing(at, m.result().declared().toString());
      }
      return;
    }
    if (!codec(at, p.payloadType(), p.valueType())) {
      return;
    }
    agree(at, p.channel(), p.durable(), p.valueType(), m.element());
  }

  private void checkSubscribes(MethodModel m, SubscribeSpec s) {
    Origin at = s.origin();
    String other = others(m);
    if (other != null) {
      diagnostics.listenerMixed(m.element(), "also has " + other);
      return;
    }
    if (!NAME.matcher(s.channel()).matches()) {
      diagnostics.nameInvalid(at, "Subscribes", s.channel());
    }
    if (at.value("group") != null && !NAME.matcher(s.group()).matches()) {
      diagnostics.nameInvalid(at, "Subscribes", s.group());
    }
    if (!s.durable()) {
      for (String member : List.of("group", "maxDeliveries", "backoff", "reclaimAfter")) {
        if (at.value(member) != null) {
          diagnostics.streamOnly(at, "Subscribes", member);
        }
      }
    }
    if (s.concurrency() < 1) {
      diagnostics.subscribesRange(at, "concurrency", s.concurrency());
    }
    if (s.maxDeliveries() < 1) {
      diagnostics.subscribesRange(at, "maxDeliveries", s.maxDeliveries());
    }
    TypeMirror returned = m.element().getReturnType();
    if (returned.getKind() != TypeKind.VOID && !(s.async() && voidFuture(returned))) {
      diagnostics.subscribesReturn(at, returned.toString());
    }
    if (m.params().size() != 1) {
      diagnostics.subscribesParameters(at, m.params().size());
      return;
    }
    if (codec(at, s.eventType(), s.valueType())) {
      agree(at, s.channel(), s.durable(), s.valueType(), m.element());
    }
    if (s.durable()) {
      Element first = groups.putIfAbsent(List.of(s.channel(), s.group()), m.element());
      if (first != null && !first.equals(m.element())) {
        diagnostics.groupShared(at, s.channel(), s.group(), first);
      }
    }
  }

  private static boolean voidFuture(TypeMirror t) {
    return t instanceof DeclaredType d && d.getTypeArguments().size() == 1
        && d.getTypeArguments().get(0).toString().equals("java.lang.Void");
  }

  /** The other Redwire annotations on a listener method, or null. */
  private static String others(MethodModel m) {
    if (m.publishes() != null) {
      return "@Publishes";
    }
    if (m.cached() != null || !m.writes().isEmpty()) {
      return "a cache annotation";
    }
    if (!m.rateLimits().isEmpty()) {
      return "@RateLimited";
    }
    if (m.locked() != null) {
      return "@Locked";
    }
    if (m.handle() != null) {
      return "@" + m.handle().kind().annotation;
    }
    return null;
  }

  private boolean codec(Origin at, TypeMirror type, ValueType value) {
    if (value instanceof ValueType.Unsupported u) {
      if (u.reportedByJavac()) {
        diagnostics.reportedByJavac();
      } else {
        diagnostics.eventNoCodec(at, type.toString(), u.message());
      }
      return false;
    }
    return value != null;
  }

  private void agree(Origin at, String channel, boolean durable, ValueType value, Element element) {
    String description = value.typeName() + (durable ? " (durable)" : " (not durable)");
    Side first = channels.putIfAbsent(channel, new Side(description + "#" + Long.toHexString(value.fingerprint()),
        element));
    if (first != null && !first.description().equals(description + "#" + Long.toHexString(value.fingerprint()))) {
      String there = first.description().substring(0, first.description().lastIndexOf('#'));
      if (there.equals(description)) {
        there = there + " of another shape";
      }
      diagnostics.channelShape(at, channel, description, first.element(), there);
    }
  }
}
