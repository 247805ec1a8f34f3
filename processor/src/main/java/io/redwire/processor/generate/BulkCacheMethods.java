package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.redwire.processor.model.BulkShape;
import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Param;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes bulk {@code @Cached} methods ({@code Map<K, V> byIds(Set<K> ids)}): one
 * {@code BulkCacheRegion} field per method, over the region of its cache (which {@link CacheMethods}
 * declares), and a body that builds one key per id, reads them all at once, calls the delegate with
 * the misses only and completes the batch:
 *
 * <pre>{@code
 * BulkCacheRegion.Batch<Long, Product> batch = this.productsBulk.start(ids.size());
 * for (Long id : ids) {
 *   KeyWriter keyWriter = KeyWriter.begin(batch.prefix());
 *   keyWriter.part(id);
 *   byte[] key = keyWriter.end();
 *   batch.add(id, key);
 * }
 * if (batch.read()) {
 *   return batch.result();
 * }
 * return batch.complete(this.delegate.products(batch.missingSet()));
 * }</pre>
 */
final class BulkCacheMethods implements Step {

  static final ClassName BULK = ClassName.get(CacheMethods.CACHE, "BulkCacheRegion");
  static final ClassName BATCH = ClassName.get(CacheMethods.CACHE, "BulkCacheRegion", "Batch");
  static final ClassName KIND = ClassName.get(CacheMethods.CACHE, "BulkCacheRegion", "Kind");

  private final CacheMethods caches;
  private final NameAllocator memberNames;
  private final KeyCode keys;
  /** Method element -> its BulkCacheRegion field. */
  private final Map<Object, String> bulkFields = new HashMap<>();

  BulkCacheMethods(ClassContext c, CacheMethods caches) {
    this.caches = caches;
    this.memberNames = c.members();
    this.keys = c.keys();
  }

  @Override
  public void fields(ClassContext cc) {
    for (MethodModel m : cc.model().methods()) {
      CacheSpec c = m.cached();
      if (c == null || c.bulk() == null) {
        continue;
      }
      BulkShape b = c.bulk();
      String field = memberNames.newName(ProxyWriter.identifier(m.name()) + "Bulk");
      bulkFields.put(m.element(), field);
      TypeName type = ParameterizedTypeName.get(BULK, TypeName.get(b.element()).box(),
          TypeName.get(b.mapValue()));
      cc.cls().addField(FieldSpec.builder(type, field, Modifier.PRIVATE, Modifier.FINAL).build());
      cc.constructor().addStatement("this.$N = $T.of(this.$N, $T.$L)", field, BULK,
          caches.regionField(c.name()), KIND, b.kind().name());
    }
  }

  @Override
  public boolean call(MethodContext mc) {
    MethodModel m = mc.model();
    CacheSpec c = m.cached();
    if (c == null || c.bulk() == null) {
      return false;
    }
    BulkShape b = c.bulk();
    MethodSpec.Builder method = mc.method();
    NameAllocator names = mc.names();
    TypeName id = TypeName.get(b.element());
    TypeName value = TypeName.get(b.mapValue());
    String ids = b.ids().name();
    String batch = names.newName("batch");
    String each = names.newName(singular(ids));
    method.addStatement("$T $N = this.$N.start($N.size())", ParameterizedTypeName.get(BATCH, id, value), batch,
        bulkFields.get(m.element()), ids);
    method.beginControlFlow("for ($T $N : $N)", id, each, ids);
    String key = keys.build(method, CodeBlock.of("$N.prefix()", batch), perElement(c.key(), each), names, "key");
    method.addStatement("$N.add($N, $N)", batch, each, key);
    method.endControlFlow();
    method.beginControlFlow("if ($N.read())", batch);
    method.addStatement("return $N.result()", batch);
    method.endControlFlow();
    String missing = b.kind() == BulkShape.Kind.SET ? "missingSet" : "missingList";
    method.addStatement("return $N.complete(this.delegate.$L($N.$L()))", batch, m.name(), batch, missing);
    return true;
  }

  /** The template with its placeholders on the loop variable {@code each} (they name the collection). */
  private static KeyTemplate perElement(KeyTemplate key, String each) {
    List<KeyTemplate.Segment> segments = key.segments().stream().map(s -> {
      if (s instanceof KeyTemplate.Ref r) {
        Param p = new Param(each, r.param().type(), r.param().element());
        return (KeyTemplate.Segment) new KeyTemplate.Ref(r.text(), p, r.steps(), r.kind(), r.typeName());
      }
      return s;
    }).toList();
    return new KeyTemplate(key.source(), key.implicit(), segments);
  }

  /** {@code ids} -> {@code id}, {@code skus} -> {@code sku}; otherwise {@code <name>Element}. */
  private static String singular(String plural) {
    if (plural.length() > 1 && plural.endsWith("s") && !plural.endsWith("ss")) {
      return plural.substring(0, plural.length() - 1);
    }
    return plural + "Element";
  }
}
