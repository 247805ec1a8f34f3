package io.redwire.processor.read;

import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.PublishSpec;
import io.redwire.processor.model.ResultShape;
import io.redwire.processor.model.SubscribeSpec;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.validate.Diagnostics;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Reads {@code @Publishes} (with its {@code @Payload} parameter) and {@code @Subscribes} from a
 * method's annotation mirrors. Durations and the retention are checked here; everything else in
 * {@code EventValidator}.
 */
public final class EventReader {

  public static final String PUBLISHES = "io.redwire.Publishes";
  public static final String SUBSCRIBES = "io.redwire.Subscribes";
  public static final String PAYLOAD = "io.redwire.Payload";

  private final ValueTypeReader values;
  private final Diagnostics diagnostics;

  public EventReader(ValueTypeReader values, Diagnostics diagnostics) {
    this.values = values;
    this.diagnostics = diagnostics;
  }

  /** The {@code @Payload} parameters of a method, in order. */
  public static List<Param> payloads(List<Param> params) {
    return params.stream().filter(p -> Mirrors.find(p.element(), PAYLOAD) != null).toList();
  }

  /** The method's {@code @Publishes}, or null. */
  public PublishSpec readPublishes(ExecutableElement method, List<Param> params, ResultShape result) {
    AnnotationMirror a = Mirrors.find(method, PUBLISHES);
    if (a == null) {
      return null;
    }
    Origin at = new Origin(method, a);
    boolean durable = Mirrors.bool(a, "durable");
    String retain = Mirrors.string(a, "retain").strip();
    long retainMillis = 0;
    long retainCount = 0;
    if (retain.isEmpty()) {
      retainMillis = PublishSpec.DEFAULT_RETAIN_MILLIS;
    } else if (retain.chars().allMatch(Character::isDigit)) {
      try {
        retainCount = Long.parseLong(retain);
      } catch (NumberFormatException e) {
        retainCount = -1;
      }
      if (retainCount < 1) {
        diagnostics.retainInvalid(at, retain);
        retainMillis = -1;
        retainCount = 0;
      }
    } else {
      retainMillis = Durations.parseMillis(retain);
      if (retainMillis < 0) {
        diagnostics.retainInvalid(at, retain);
      }
    }
    List<Param> payloads = payloads(params);
    Param payload = payloads.isEmpty() ? null : payloads.get(0);
    TypeMirror type;
    if (payload != null) {
      type = payload.type();
    } else if (result.isVoid() || result.async()) {
      type = null;
    } else {
      type = result.value();
    }
    ValueType value = type == null ? null : values.read(type, method);
    return new PublishSpec(at, Mirrors.string(a, "channel"), durable, retainMillis, retainCount, payload,
        type, value);
  }

  /** The method's {@code @Subscribes}, or null. The group defaults to {@code namePrefix + method}. */
  public SubscribeSpec readSubscribes(ExecutableElement method, List<Param> params, String namePrefix) {
    AnnotationMirror a = Mirrors.find(method, SUBSCRIBES);
    if (a == null) {
      return null;
    }
    Origin at = new Origin(method, a);
    String group = Mirrors.string(a, "group");
    if (group.isEmpty()) {
      group = namePrefix + method.getSimpleName();
    }
    long backoff = Durations.member(at, "Subscribes", "backoff", false, 1_000, diagnostics);
    long reclaim = Durations.member(at, "Subscribes", "reclaimAfter", false, 30_000, diagnostics);
    TypeMirror event = params.size() == 1 ? params.get(0).type() : null;
    ValueType value = event == null ? null : values.read(event, method);
    return new SubscribeSpec(at, Mirrors.string(a, "channel"), Mirrors.bool(a, "durable"), group,
        Mirrors.integer(a, "concurrency"), Mirrors.integer(a, "maxDeliveries"), backoff, reclaim, event, value,
        isFuture(method.getReturnType()));
  }

  private static boolean isFuture(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return false;
    }
    String raw = ((DeclaredType) t).asElement().toString();
    return raw.equals("java.util.concurrent.CompletionStage")
        || raw.equals("java.util.concurrent.CompletableFuture");
  }
}
