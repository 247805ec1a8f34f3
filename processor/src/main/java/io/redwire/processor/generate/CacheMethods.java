package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.CacheWrite;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.ResultShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the caching parts of a proxy: one {@code CacheRegion} field per {@code @Cached} method, the
 * straight-line hit path, a small loader class per cached method for the miss path, and the
 * {@code @CachePut} / {@code @CacheEvict} calls after a method returns.
 */
final class CacheMethods implements Step {

  static final String CACHE = GeneratedClass.RUNTIME + ".cache";
  static final ClassName REGION = ClassName.get(CACHE, "CacheRegion");
  static final ClassName SETTINGS = ClassName.get(CACHE, "CacheSettings");
  static final ClassName REFRESH = ClassName.get(CACHE, "CacheSettings", "Refresh");
  static final ClassName LOADER = ClassName.get(CACHE, "CacheLoader");
  static final ClassName ASYNC_LOADER = ClassName.get(CACHE, "AsyncCacheLoader");
  static final ClassName OPTIONAL = ClassName.get("java.util", "Optional");
  static final ClassName FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");

  private final CodecWriter codecs;
  private final ClassName self;
  /** Cache name -> field holding its region. */
  private final Map<String, String> regionFields = new LinkedHashMap<>();
  private final List<TypeSpec> loaders = new ArrayList<>();
  private final NameAllocator memberNames;
  private final KeyCode keys;

  CacheMethods(ClassContext c) {
    this.codecs = c.codecs();
    this.self = c.self();
    this.memberNames = c.members();
    this.keys = c.keys();
  }

  @Override
  public void fields(ClassContext cc) {
    TypeSpec.Builder cls = cc.cls();
    CodeBlock.Builder ctor = cc.constructor();
    for (CacheSpec c : cc.model().caches()) {
      if (regionFields.containsKey(c.name())) {
        continue; // a bulk method sharing the cache of another method (validated to agree)
      }
      // everything a shared cache must agree on: a second interface must not silently run with the
      // first one's settings
      cc.claims().claim(Claims.CACHE, c.name(), "value=" + c.valueType().typeName() + "#"
          + Long.toHexString(c.valueType().fingerprint()) + ";key=" + c.key().partTypes() + ";ttl="
          + c.ttlMillis() + ";jitter=" + c.jitterPercent() + ";nulls=" + c.nulls() + ";nullTtl="
          + c.nullTtlMillis() + ";refresh=" + c.refresh().name() + (c.near() > 0 ? ";near=" + c.near() : ""));
      String local = cc.model().localName(c.name()); // "product" for the default name "Catalog.product"
      String constant = ProxyWriter.constant(local);
      String fingerprint = memberNames.newName(constant + "_FINGERPRINT");
      String settings = memberNames.newName(constant + "_SETTINGS");
      String field = memberNames.newName(ProxyWriter.identifier(local) + "Cache");
      regionFields.put(c.name(), field);
      TypeName value = TypeName.get(c.result().value());
      cls.addField(FieldSpec.builder(TypeName.LONG, fingerprint, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("Shape of $L; a value stored by another shape reads as a miss.\n",
              c.valueType().shape().replace("$", "$$"))
          .initializer("0x$LL", Long.toHexString(c.valueType().fingerprint()))
          .build());
      CodeBlock near = c.near() > 0 ? CodeBlock.of(", $L", c.near()) : CodeBlock.of("");
      cls.addField(FieldSpec.builder(SETTINGS, settings, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("new $T($S, $LL, $L, $L, $LL, $T.$L$L)", SETTINGS, c.name(), c.ttlMillis(),
              c.jitterPercent(), c.nulls(), c.nullTtlMillis(), REFRESH, c.refresh().name(), near)
          .build());
      cls.addField(FieldSpec.builder(ParameterizedTypeName.get(REGION, value), field, Modifier.PRIVATE,
          Modifier.FINAL).build());
      ctor.addStatement("this.$N = $T.of(redwire, $N, $N, $L)", field, REGION, settings, fingerprint,
          codecs.codec(c.valueType()));
    }
  }

  /** The field holding the region of cache {@code name}. */
  String regionField(String name) {
    return regionFields.get(name);
  }

  @Override
  public void finish(ClassContext c) {
    loaders.forEach(c.cls()::addType);
  }

  /** The body of a {@code @Cached} method: the hit path, then the load. */
  @Override
  public boolean call(MethodContext mc) {
    MethodModel m = mc.model();
    CacheSpec c = m.cached();
    if (c == null || c.bulk() != null) {
      return false; // bulk methods: BulkCacheMethods
    }
    MethodSpec.Builder method = mc.method();
    NameAllocator names = mc.names();
    String region = regionFields.get(c.name());
    if (c.near() > 0) {
      NearMethods.call(mc, keys, region, loader(m, c));
      return true;
    }
    String key = keys.build(method, CodeBlock.of("this.$N.prefix()", region), c.key(), names, "key");
    String raw = names.newName("raw");
    String unreadable = names.newName("unreadable");
    ResultShape r = m.result();
    String loader = loader(m, c);
    method.addStatement("byte[] $N = this.$N.get($N)", raw, region, key);
    method.beginControlFlow("if (this.$N.servable($N))", region, raw);
    method.beginControlFlow("try");
    CodeBlock value = CodeBlock.of("this.$N.$L($N)", region, valueReader(r), raw);
    switch (r.wrapper()) {
      case OPTIONAL -> method.addStatement("return $T.ofNullable($L)", OPTIONAL, value);
      case COMPLETABLE_FUTURE, COMPLETION_STAGE ->
          method.addStatement("return $T.completedFuture($L)", FUTURE, value);
      default -> method.addStatement("return $L", value);
    }
    method.nextControlFlow("catch ($T $N)", RuntimeException.class, unreadable);
    method.addComment("bytes the codec refuses are a miss: loaded below, counted and written again");
    method.endControlFlow();
    method.endControlFlow();
    CodeBlock load = CodeBlock.of("new $N($L)", loader, ProxyWriter.arguments(m));
    switch (r.wrapper()) {
      case OPTIONAL -> method.addStatement("return $T.ofNullable(this.$N.load($N, $N, $L))", OPTIONAL,
          region, key, raw, load);
      case COMPLETABLE_FUTURE, COMPLETION_STAGE ->
          method.addStatement("return this.$N.loadAsync($N, $N, $L)", region, key, raw, load);
      default -> method.addStatement("return this.$N.load($N, $N, $L)", region, key, raw, load);
    }
    return true;
  }

  @Override
  public boolean usesResult(MethodContext mc) {
    return mc.model().cached() == null && !mc.model().writes().isEmpty();
  }

  /** {@code @CachePut} and {@code @CacheEvict}: write with the delegate's result. */
  @Override
  public void after(MethodContext mc, String result) {
    MethodModel m = mc.model();
    MethodSpec.Builder method = mc.method();
    NameAllocator names = mc.names();
    ResultShape r = m.result();
    for (CacheWrite w : m.writes()) {
      String region = regionFields.get(w.cacheName());
      boolean async = r.async();
      if (w.kind() == CacheWrite.Kind.EVICT && w.all()) {
        if (async) {
          method.addStatement("this.$N.evictAllWhenComplete($N)", region, result);
        } else {
          method.addStatement("this.$N.evictAll()", region);
        }
        continue;
      }
      String key = keys.build(method, CodeBlock.of("this.$N.prefix()", region), w.key(), names, "key");
      if (w.kind() == CacheWrite.Kind.EVICT) {
        if (async) {
          method.addStatement("this.$N.evictWhenComplete($N, $N)", region, key, result);
        } else {
          method.addStatement("this.$N.evict($N)", region, key);
        }
      } else if (async) {
        method.addStatement("this.$N.putWhenComplete($N, $N)", region, key, result);
      } else if (r.wrapper() == ResultShape.Wrapper.OPTIONAL) {
        method.addStatement("this.$N.put($N, $N == null ? null : $N.orElse(null))", region, key, result,
            result);
      } else {
        method.addStatement("this.$N.put($N, $N)", region, key, result);
      }
    }
  }

  /**
   * The region method that reads a servable entry: {@code value}, or for a method returning a
   * primitive the reader of that primitive ({@code longValue}...), so a hit never boxes.
   */
  private static String valueReader(ResultShape r) {
    if (!r.primitive() || r.wrapper() != ResultShape.Wrapper.PLAIN) {
      return "value";
    }
    return r.declared().getKind().name().toLowerCase(java.util.Locale.ROOT) + "Value";
  }

  /** An inner class that calls the delegate on a miss: named, not a lambda, allocated only on the miss path. */
  private String loader(MethodModel m, CacheSpec c) {
    String name = memberNames.newName("Load" + ProxyWriter.capitalized(m.name()));
    ResultShape r = m.result();
    TypeName value = TypeName.get(r.value());
    boolean async = r.async();
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(async ? ASYNC_LOADER : LOADER, value));
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
    for (Param p : m.params()) {
      TypeName t = TypeName.get(p.type());
      type.addField(t, p.name(), Modifier.PRIVATE, Modifier.FINAL);
      ctor.addParameter(t, p.name());
      ctor.addStatement("this.$N = $N", p.name(), p.name());
    }
    type.addMethod(ctor.build());
    CodeBlock call = CodeBlock.of("$T.this.delegate.$L($L)", self, m.name(),
        CodeBlock.join(m.params().stream().map(p -> CodeBlock.of("this.$N", p.name())).toList(), ", "));
    MethodSpec.Builder load = MethodSpec.methodBuilder("load")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addException(Exception.class);
    if (async) {
      load.returns(ParameterizedTypeName.get(ClassName.get("java.util.concurrent", "CompletionStage"), value))
          .addStatement("return $L", call);
    } else if (r.wrapper() == ResultShape.Wrapper.OPTIONAL) {
      load.returns(value)
          .addStatement("$T result = $L", TypeName.get(r.declared()), call)
          .addStatement("return result == null ? null : result.orElse(null)");
    } else {
      load.returns(value).addStatement("return $L", call);
    }
    type.addMethod(load.build());
    loaders.add(type.build());
    return name;
  }
}
