package io.redwire.processor.validate;

import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.QueueSpec;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.read.Mirrors;
import io.redwire.processor.read.QueueReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.type.TypeKind;

/**
 * Checks {@code @Queued}, {@code @Delay} and {@code @At}: per method (void, attempts, one timing
 * parameter of the right type, codecs for every argument, a unique template that names parameters, the
 * annotations it may combine with) and per interface (a queued interface holds only queued methods;
 * methods sharing a queue agree on its settings).
 */
public final class QueueValidator {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Diagnostics diagnostics;

  public QueueValidator(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  public void validate(InterfaceModel model) {
    boolean queued = model.methods().stream().anyMatch(m -> m.queued() != null);
    if (!queued) {
      return;
    }
    Map<String, MethodModel> queues = new HashMap<>();
    for (MethodModel m : model.methods()) {
      QueueSpec q = m.queued();
      if (q == null) {
        if (!m.element().isDefault()) {
          diagnostics.queuedMixed(m.element(), m.plain() ? "is not a @Queued method"
              : "is not a @Queued method but has other Redwire annotations");
        }
        continue;
      }
      check(m, q);
      MethodModel first = queues.putIfAbsent(q.queue(), m);
      if (first != null && !settings(first.queued()).equals(settings(q))) {
        diagnostics.queueShape(q.origin(), q.queue(), settings(q), first.element(), settings(first.queued()));
      }
    }
  }

  private static String settings(QueueSpec q) {
    return "maxAttempts = " + q.maxAttempts() + ", backoff = " + q.backoffMillis() + " ms, timeout = "
        + (q.timeoutMillis() == 0 ? "none" : q.timeoutMillis() + " ms");
  }

  private void check(MethodModel m, QueueSpec q) {
    Origin at = q.origin();
    String other = others(m);
    if (other != null) {
      diagnostics.queuedWith(at, other);
      return;
    }
    if (at.value("queue") != null && !NAME.matcher(q.queue()).matches()) {
      diagnostics.nameInvalid(at, "Queued", q.queue());
    }
    if (m.element().getReturnType().getKind() != TypeKind.VOID) {
      diagnostics.queuedReturn(at, m.element().getReturnType().toString());
    }
    if (q.maxAttempts() < 1) {
      diagnostics.queuedRange(at, q.maxAttempts());
    }
    List<Param> timing = QueueReader.timing(m.params());
    for (int i = 1; i < timing.size(); i++) {
      diagnostics.timingTwice(timing.get(i).element(), timing.get(0).name());
    }
    for (Param p : timing) {
      boolean delay = Mirrors.find(p.element(), QueueReader.DELAY) != null;
      String expected = delay ? "java.time.Duration" : "java.time.Instant";
      if (!p.type().toString().equals(expected)) {
        diagnostics.timingType(p.element(), delay ? "Delay" : "At", expected, p.type().toString());
      }
    }
    for (int i = 0; i < m.params().size(); i++) {
      ValueType v = q.args().get(i);
      if (v instanceof ValueType.Unsupported u) {
        if (u.reportedByJavac()) {
          diagnostics.reportedByJavac();
        } else {
          Param p = m.params().get(i);
          diagnostics.jobCodec(p.element(), p.type().toString(), u.message());
        }
      }
    }
    KeyTemplate unique = q.unique();
    if (unique != null && unique.segments().stream().noneMatch(s -> s instanceof KeyTemplate.Ref)) {
      diagnostics.uniqueNamesNothing(at, unique.source());
    }
  }

  /** The Redwire annotations a queued method may not have, or null. */
  private static String others(MethodModel m) {
    if (m.cached() != null || !m.writes().isEmpty()) {
      return "a cache annotation";
    }
    if (m.publishes() != null) {
      return "@Publishes";
    }
    if (m.subscribes() != null) {
      return "@Subscribes";
    }
    if (m.handle() != null) {
      return "@" + m.handle().kind().annotation;
    }
    return null;
  }

  /** {@code @Delay} / {@code @At} on a parameter of a method without {@code @Queued}. */
  public void checkTiming(Element parameter) {
    Element method = parameter.getEnclosingElement();
    if (Mirrors.find(method, QueueReader.QUEUED) == null) {
      diagnostics.timingWithoutQueued(parameter,
          Mirrors.find(parameter, QueueReader.DELAY) != null ? "Delay" : "At");
    }
  }
}
