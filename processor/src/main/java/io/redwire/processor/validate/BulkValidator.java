package io.redwire.processor.validate;

import io.redwire.processor.model.BulkShape;
import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Origin;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.util.Types;

/**
 * Checks bulk {@code @Cached} methods ({@code Map<K, V> byIds(Set<K> ids)}): the parameter is a
 * collection of one id type and the result a {@code Map} keyed by it; the key template names the ids
 * (each placeholder stands for one id); no background refresh. And, across methods, that a bulk method
 * and the methods it shares its cache name with agree on everything an entry depends on.
 */
final class BulkValidator {

  private final Diagnostics diagnostics;
  private final Types types;

  BulkValidator(ProcessingEnvironment env, Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
    this.types = env.getTypeUtils();
  }

  /** Per method; {@code c.bulk()} is not null. */
  void check(MethodModel m, CacheSpec c) {
    BulkShape b = c.bulk();
    Origin method = Origin.of(m.element());
    if (!b.plainMap() || b.mapKey() == null || b.mapValue() == null) {
      diagnostics.bulkReturn(method, b.declared().toString());
    }
    if (b.element() == null) {
      diagnostics.bulkParameter(Origin.of(b.ids().element()), Diagnostics.describe(m.element()),
          b.ids().type().toString());
    }
    if (b.element() != null && b.mapKey() != null && !types.isSameType(b.element(), b.mapKey())) {
      diagnostics.bulkKeyType(method, b.element().toString(), b.mapKey().toString());
    }
    KeyTemplate key = c.key();
    if (key != null && key.segments().stream().noneMatch(s -> s instanceof KeyTemplate.Ref)) {
      diagnostics.bulkKeyConstant(c.origin(), key.source(), b.ids().name());
    }
    if (c.refresh() == CacheSpec.Refresh.BACKGROUND) {
      diagnostics.bulkRefresh(c.origin());
    }
  }

  /**
   * {@code c} has the name of {@code first}'s cache and one of them is bulk: they share entries, so they
   * must agree on what an entry is.
   */
  void checkShare(CacheSpec c, MethodModel first) {
    CacheSpec f = first.cached();
    List<String> differ = new ArrayList<>();
    if (c.valueType() != null && f.valueType() != null && !types.isSameType(c.result().value(), f.result().value())) {
      differ.add("value type (" + c.result().value() + " vs " + f.result().value() + ")");
    }
    if (c.key() != null && f.key() != null && !c.key().shape().equals(f.key().shape())) {
      differ.add("key (" + shape(c.key()) + " vs " + shape(f.key()) + ")");
    }
    if (c.ttlMillis() != f.ttlMillis()) {
      differ.add("ttl (" + c.ttlMillis() + " ms vs " + f.ttlMillis() + " ms)");
    }
    if (c.jitterPercent() != f.jitterPercent()) {
      differ.add("jitter (" + c.jitterPercent() + " vs " + f.jitterPercent() + ")");
    }
    if (c.nulls() != f.nulls()) {
      differ.add("nulls (" + c.nulls() + " vs " + f.nulls() + ")");
    } else if (c.nulls() && c.nullTtlMillis() != f.nullTtlMillis()) {
      differ.add("nullTtl (" + c.nullTtlMillis() + " ms vs " + f.nullTtlMillis() + " ms)");
    }
    if (c.refresh() != f.refresh()) {
      differ.add("refresh (" + c.refresh() + " vs " + f.refresh() + ")");
    }
    if (c.near() != f.near()) {
      differ.add("near (" + c.near() + " vs " + f.near() + ")");
    }
    if (!differ.isEmpty()) {
      diagnostics.bulkShare(c.origin(), c.name(), first.element(), String.join(", ", differ));
    }
  }

  private static String shape(KeyTemplate key) {
    String s = key.shape().replace("'", "");
    return s.isEmpty() ? "empty" : "\"" + s + "\"";
  }
}
