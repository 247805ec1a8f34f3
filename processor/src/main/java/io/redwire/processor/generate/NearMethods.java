package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.ResultShape;

/**
 * The body of a {@code @Cached(near = N)} method: the key is built in its writer and looked up in the
 * near cache before it is ever copied, so a near hit allocates nothing (for a plain return type); a
 * miss ends the key and goes to the region's {@code nearLoad}, which reads Redis and loads as a cache
 * without a near cache would.
 *
 * <pre>{@code
 * KeyWriter keyWriter = KeyWriter.begin(this.productCache.prefix());
 * keyWriter.part(id);
 * NearCache.Entry<Product> near = this.productCache.near(keyWriter);
 * if (near != null) {
 *   return near.value();
 * }
 * byte[] key = keyWriter.end();
 * return this.productCache.nearLoad(key, new LoadProduct(id));
 * }</pre>
 */
final class NearMethods {

  static final ClassName ENTRY = ClassName.get(CacheMethods.CACHE, "NearCache", "Entry");

  private NearMethods() {}

  static void call(MethodContext mc, KeyCode keys, String region, String loader) {
    MethodModel m = mc.model();
    CacheSpec c = m.cached();
    MethodSpec.Builder method = mc.method();
    NameAllocator names = mc.names();
    ResultShape r = m.result();
    String key = names.newName("key");
    String writer = keys.writer(method, CodeBlock.of("this.$N.prefix()", region), c.key(), names, "key");
    String near = names.newName("near");
    method.addStatement("$T $N = this.$N.near($N)", ParameterizedTypeName.get(ENTRY, TypeName.get(r.value()).box()),
        near, region, writer);
    method.beginControlFlow("if ($N != null)", near);
    CodeBlock value = CodeBlock.of("$N.value()", near);
    switch (r.wrapper()) {
      case OPTIONAL -> method.addStatement("return $T.ofNullable($L)", CacheMethods.OPTIONAL, value);
      case COMPLETABLE_FUTURE, COMPLETION_STAGE ->
          method.addStatement("return $T.completedFuture($L)", CacheMethods.FUTURE, value);
      default -> method.addStatement("return $L", value);
    }
    method.endControlFlow();
    method.addStatement("byte[] $N = $N.end()", key, writer);
    CodeBlock load = CodeBlock.of("new $N($L)", loader, ProxyWriter.arguments(m));
    switch (r.wrapper()) {
      case OPTIONAL -> method.addStatement("return $T.ofNullable(this.$N.nearLoad($N, $L))",
          CacheMethods.OPTIONAL, region, key, load);
      case COMPLETABLE_FUTURE, COMPLETION_STAGE ->
          method.addStatement("return this.$N.nearLoadAsync($N, $L)", region, key, load);
      default -> method.addStatement("return this.$N.nearLoad($N, $L)", region, key, load);
    }
  }
}
