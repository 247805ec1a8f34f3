package io.redwire.processor.validate;

import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.LockSpec;
import io.redwire.processor.model.MethodModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks {@code @Locked} across an interface: names, futures (not supported), {@code onBusy = SKIP}
 * only where an empty value exists, and one key shape per lock name. Durations and keys are checked
 * while reading.
 */
public final class LockValidator {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Diagnostics diagnostics;

  public LockValidator(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  public void validate(InterfaceModel model) {
    Map<String, MethodModel> byName = new LinkedHashMap<>();
    Map<String, MethodModel> byTemplate = new LinkedHashMap<>();
    for (MethodModel m : model.methods()) {
      LockSpec l = m.locked();
      if (l == null) {
        continue;
      }
      if (l.origin().value("name") != null && !NAME.matcher(l.name()).matches()) {
        diagnostics.nameInvalid(l.origin(), "Locked", l.name());
      }
      String returned = m.result().declared().toString();
      if (l.empty() == LockSpec.Empty.FUTURE) {
        diagnostics.lockedAsync(l.origin(), returned);
        continue;
      }
      if (l.onBusy() == LockSpec.OnBusy.SKIP && l.empty() == LockSpec.Empty.NULL && l.nonNull()) {
        diagnostics.lockSkipNonNull(l.origin(), returned);
      }
      String template = l.key() == null ? "" : l.key().source();
      if (!template.isEmpty()) {
        MethodModel same = byTemplate.putIfAbsent(template, m);
        if (same != null && !same.locked().name().equals(l.name())
            && (same.locked().origin().value("name") == null || l.origin().value("name") == null)) {
          diagnostics.lockNotShared(l.origin(), template, l.name(), same.element(), same.locked().name());
        }
      }
      MethodModel first = byName.putIfAbsent(l.name(), m);
      if (first != null && l.key() != null && first.locked().key() != null
          && !l.key().shape().equals(first.locked().key().shape())) {
        diagnostics.lockKeyShape(l.origin(), l.name(), describe(l.key().shape()), first.element(),
            describe(first.locked().key().shape()));
      }
    }
  }

  private static String describe(String shape) {
    return shape.isEmpty() ? "empty" : "\"" + shape.replace("'", "") + "\"";
  }
}
