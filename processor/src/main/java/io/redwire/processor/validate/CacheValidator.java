package io.redwire.processor.validate;

import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.CacheWrite;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.ResultShape;
import io.redwire.processor.model.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Checks {@code @Cached}, {@code @CachePut} and {@code @CacheEvict} across an interface: values that
 * can be stored, unique cache names, writes that name an existing cache with a key of its shape.
 */
public final class CacheValidator {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Diagnostics diagnostics;
  private final Types types;
  private final BulkValidator bulks;
  private InterfaceModel model;

  public CacheValidator(ProcessingEnvironment env, Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
    this.types = env.getTypeUtils();
    this.bulks = new BulkValidator(env, diagnostics);
  }

  public void validate(InterfaceModel model) {
    this.model = model;
    Map<String, MethodModel> caches = new LinkedHashMap<>();
    for (MethodModel m : model.methods()) {
      CacheSpec c = m.cached();
      if (c == null) {
        continue;
      }
      checkCached(m, c);
      MethodModel first = caches.putIfAbsent(c.name(), m);
      if (first != null && (c.bulk() != null || first.cached().bulk() != null)) {
        bulks.checkShare(c, first); // a bulk method may share its cache with single-key methods
      } else if (first != null) {
        diagnostics.duplicateCacheName(c.origin(), c.name(), first.element());
      }
    }
    for (MethodModel m : model.methods()) {
      for (CacheWrite w : m.writes()) {
        if (m.cached() != null) {
          diagnostics.conflict(w.origin(), "Cached", w.kind() == CacheWrite.Kind.PUT ? "CachePut" : "CacheEvict");
          continue;
        }
        checkWrite(m, w, caches);
      }
    }
  }

  private void checkCached(MethodModel m, CacheSpec c) {
    if (c.origin().value("name") != null && !NAME.matcher(c.name()).matches()) {
      diagnostics.nameInvalid(c.origin(), "Cached", c.name());
    }
    if (c.result().isVoid()) {
      diagnostics.cachedVoid(c.origin());
      return;
    }
    if (c.bulk() != null) {
      bulks.check(m, c);
    }
    if (c.jitterPercent() < 0 || c.jitterPercent() > 100) {
      diagnostics.jitterRange(c.origin(), c.jitterPercent());
    }
    NearCheck.check(c, diagnostics);
    if (!c.nulls() && c.origin().value("nullTtl") != null) {
      diagnostics.nullTtlWithoutNulls(c.origin());
    }
    if (c.nulls() && c.result().primitive()) {
      diagnostics.nullsOnPrimitive(c.origin(), c.result().declared().toString());
    }
    ValueType v = c.valueType();
    if (v instanceof ValueType.Unsupported u) {
      if (u.reportedByJavac()) {
        diagnostics.reportedByJavac();
      } else {
        diagnostics.noCodec(c.origin(), c.result().value().toString(), u.message());
      }
    }
  }

  private void checkWrite(MethodModel m, CacheWrite w, Map<String, MethodModel> caches) {
    String annotation = w.kind() == CacheWrite.Kind.PUT ? "CachePut" : "CacheEvict";
    if (w.cacheName().isEmpty()) {
      diagnostics.cacheNameMissing(w.origin(), annotation);
      return;
    }
    MethodModel target = caches.get(w.cacheName());
    if (target == null) {
      diagnostics.cacheNameUnknown(w.origin(), annotation, w.cacheName(),
          caches.keySet().stream().map(model::localName).toList());
      return;
    }
    CacheSpec cache = target.cached();
    if (w.all()) {
      if (w.origin().value("key") != null) {
        diagnostics.evictAllWithKey(w.origin());
      }
      return;
    }
    if (w.kind() == CacheWrite.Kind.EVICT && w.key() != null && w.key().implicit()
        && w.key().segments().isEmpty() && cache.key() != null && !cache.key().segments().isEmpty()) {
      diagnostics.evictWithoutKey(w.origin(), cache.name(), describe(cache.key().shape()));
      return;
    }
    if (w.key() != null && cache.key() != null && !w.key().shape().equals(cache.key().shape())) {
      diagnostics.keyShape(w.origin(), annotation, cache.name(), describe(cache.key().shape()),
          describe(w.key().shape()));
    }
    if (w.kind() == CacheWrite.Kind.PUT) {
      ResultShape r = m.result();
      if (r.isVoid()) {
        diagnostics.putVoid(w.origin());
      } else if (!sameValue(r, cache.result())) {
        diagnostics.putType(w.origin(), cache.name(), cache.result().value().toString(),
            r.declared().toString());
      }
    }
  }

  /** A put stores what the cache holds: the same value type, plain or in the same wrapper kind. */
  private boolean sameValue(ResultShape put, ResultShape cache) {
    TypeMirror a = put.value();
    TypeMirror b = cache.value();
    return types.isSameType(types.erasure(a), types.erasure(b)) && types.isSameType(a, b);
  }

  private static String describe(String shape) {
    return shape.isEmpty() ? "empty" : "\"" + shape.replace("'", "") + "\"";
  }
}
