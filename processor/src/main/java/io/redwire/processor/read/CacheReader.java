package io.redwire.processor.read;

import io.redwire.processor.model.BulkShape;
import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.CacheWrite;
import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.ResultShape;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.validate.Diagnostics;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/** Reads {@code @Cached}, {@code @CachePut} and {@code @CacheEvict} from a method's annotation mirrors. */
public final class CacheReader {

  public static final String CACHED = "io.redwire.Cached";
  public static final String CACHE_PUT = "io.redwire.CachePut";
  public static final String CACHE_EVICT = "io.redwire.CacheEvict";
  public static final String CACHE_EVICT_LIST = "io.redwire.CacheEvict.List";

  private final KeyTemplates keys;
  private final ValueTypeReader values;
  private final Diagnostics diagnostics;
  private final BulkReader bulks;

  public CacheReader(KeyTemplates keys, ValueTypeReader values, Diagnostics diagnostics, BulkReader bulks) {
    this.keys = keys;
    this.values = values;
    this.diagnostics = diagnostics;
    this.bulks = bulks;
  }

  /**
   * The method's {@code @Cached}, or null when it has none. Durations and key are checked here. The
   * name defaults to {@code namePrefix} and the method's name ({@code "Catalog.product"}).
   */
  public CacheSpec readCached(ExecutableElement method, List<Param> params, ResultShape result,
      String namePrefix) {
    AnnotationMirror a = Mirrors.find(method, CACHED);
    if (a == null) {
      return null;
    }
    Origin at = new Origin(method, a);
    String name = Mirrors.string(a, "name");
    if (name.isEmpty()) {
      name = namePrefix + method.getSimpleName();
    }
    long ttl = Durations.member(at, "Cached", "ttl", true, -1, diagnostics);
    boolean nulls = Mirrors.bool(a, "nulls");
    long nullTtl = Mirrors.string(a, "nullTtl").isEmpty() ? ttl : Durations.member(at, "Cached", "nullTtl", false, -1, diagnostics);
    BulkShape bulk = bulks.read(params, result);
    KeyTemplate key = null;
    ValueType value = null;
    ResultShape stored = result;
    if (bulk == null) {
      key = keys.parse(Mirrors.string(a, "key"), params, at, "key");
      value = result.isVoid() ? null : values.read(result.value(), method);
    } else if (bulk.wellFormed()) {
      // the template's placeholders name the collection and mean one id: the key of one entry
      Param id = new Param(bulk.ids().name(), bulk.element(), bulk.ids().element());
      key = keys.parse(Mirrors.string(a, "key"), List.of(id), at, "key");
      value = values.read(bulk.mapValue(), method);
      stored = new ResultShape(ResultShape.Wrapper.PLAIN, bulk.mapValue(), bulk.mapValue(), false);
    } // else the validator reports the shape
    return new CacheSpec(at, name, ttl, key, Mirrors.integer(a, "jitter"), nulls, nullTtl,
        CacheSpec.Refresh.valueOf(Mirrors.enumName(a, "refresh")), stored, value, bulk,
        Mirrors.integer(a, "near"));
  }

  /** The method's {@code @CachePut} and {@code @CacheEvict}s, in source order. */
  public List<CacheWrite> readWrites(ExecutableElement method, List<Param> params) {
    List<CacheWrite> writes = new ArrayList<>();
    AnnotationMirror put = Mirrors.find(method, CACHE_PUT);
    if (put != null) {
      writes.add(write(method, params, put, CacheWrite.Kind.PUT));
    }
    for (AnnotationMirror evict : Mirrors.findAll(method, CACHE_EVICT, CACHE_EVICT_LIST)) {
      writes.add(write(method, params, evict, CacheWrite.Kind.EVICT));
    }
    return List.copyOf(writes);
  }

  private CacheWrite write(ExecutableElement method, List<Param> params, AnnotationMirror a,
      CacheWrite.Kind kind) {
    Origin at = new Origin(method, a);
    boolean all = kind == CacheWrite.Kind.EVICT && Mirrors.bool(a, "all");
    String template = Mirrors.string(a, "key");
    KeyTemplate key = all ? null : keys.parse(template, params, at, "key");
    return new CacheWrite(at, kind, Mirrors.string(a, "name"), key, all);
  }
}
