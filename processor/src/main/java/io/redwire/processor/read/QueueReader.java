package io.redwire.processor.read;

import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.QueueSpec;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.validate.Diagnostics;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * Reads {@code @Queued} (with its {@code @Delay} / {@code @At} parameter) from a method's annotation
 * mirrors. Durations and the unique key template are checked here; everything else in
 * {@code QueueValidator}.
 */
public final class QueueReader {

  public static final String QUEUED = "io.redwire.Queued";
  public static final String DELAY = "io.redwire.Delay";
  public static final String AT = "io.redwire.At";

  private final KeyTemplates keys;
  private final ValueTypeReader values;
  private final Diagnostics diagnostics;

  public QueueReader(KeyTemplates keys, ValueTypeReader values, Diagnostics diagnostics) {
    this.keys = keys;
    this.values = values;
    this.diagnostics = diagnostics;
  }

  /** The parameters marked {@code @Delay} or {@code @At}, in order. */
  public static List<Param> timing(List<Param> params) {
    return params.stream().filter(p -> Mirrors.find(p.element(), DELAY) != null
        || Mirrors.find(p.element(), AT) != null).toList();
  }

  /** The method's {@code @Queued}, or null. The queue defaults to {@code namePrefix + method}. */
  public QueueSpec read(ExecutableElement method, List<Param> params, String namePrefix) {
    AnnotationMirror a = Mirrors.find(method, QUEUED);
    if (a == null) {
      return null;
    }
    Origin at = new Origin(method, a);
    String queue = Mirrors.string(a, "queue");
    if (queue.isEmpty()) {
      queue = namePrefix + method.getSimpleName();
    }
    long backoff = Durations.member(at, "Queued", "backoff", false, 1_000, diagnostics);
    long timeout = Durations.member(at, "Queued", "timeout", false, 0, diagnostics);
    String uniqueText = Mirrors.string(a, "unique");
    KeyTemplate unique = uniqueText.isEmpty() ? null : keys.parse(uniqueText, params, at, "unique");
    Param delay = null;
    Param when = null;
    List<Param> timing = timing(params);
    if (!timing.isEmpty()) { // more than one is reported by the validator
      Param first = timing.get(0);
      if (Mirrors.find(first.element(), DELAY) != null) {
        delay = first;
      } else {
        when = first;
      }
    }
    List<ValueType> args = new ArrayList<>();
    for (Param p : params) {
      args.add(values.read(p.type(), method));
    }
    return new QueueSpec(at, queue, Mirrors.integer(a, "maxAttempts"), backoff, timeout, unique, delay, when,
        List.copyOf(args));
  }
}
