package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.RateLimitSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the rate-limit parts of a proxy: one {@code RateLimiter} field per {@code @RateLimited} method,
 * built once in the constructor, and the method's prologue: build each distinct key tag, then one
 * {@code acquire} call, before anything else the method does.
 */
final class RateLimitMethods implements Step {

  static final String PACKAGE = GeneratedClass.RUNTIME + ".ratelimit";
  static final ClassName LIMITER = ClassName.get(PACKAGE, "RateLimiter");
  static final ClassName LIMIT = ClassName.get(PACKAGE, "RateLimit");
  static final ClassName REFUSED = ClassName.get(PACKAGE, "RateLimitedException");
  static final ClassName FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");

  private final Map<MethodModel, String> fields = new IdentityHashMap<>();
  private final KeyCode keys;

  RateLimitMethods(ClassContext c) {
    this.keys = c.keys();
  }

  /** The distinct key templates of a method's limits, by source text, in order of first use. */
  private static List<String> tags(MethodModel m) {
    List<String> tags = new ArrayList<>();
    for (RateLimitSpec r : m.rateLimits()) {
      if (!tags.contains(r.key().source())) {
        tags.add(r.key().source());
      }
    }
    return tags;
  }

  @Override
  public void fields(ClassContext c) {
    TypeSpec.Builder cls = c.cls();
    CodeBlock.Builder ctor = c.constructor();
    for (MethodModel m : c.model().methods()) {
      if (m.rateLimits().isEmpty()) {
        continue;
      }
      for (RateLimitSpec r : m.rateLimits()) {
        c.claims().claim(Claims.RATE_LIMIT, r.name(), "algorithm=" + r.algorithm().name() + ";key="
            + r.key().partTypes() + ";limit=" + r.limit() + "/" + r.perMillis() + "ms;burst=" + r.burst());
      }
      String field = c.members().newName(m.name() + "RateLimiter");
      fields.put(m, field);
      cls.addField(FieldSpec.builder(LIMITER, field, Modifier.PRIVATE, Modifier.FINAL).build());
      List<String> tags = tags(m);
      RateLimitSpec first = m.rateLimits().get(0);
      List<CodeBlock> limits = new ArrayList<>();
      for (RateLimitSpec r : m.rateLimits()) {
        limits.add(CodeBlock.of("new $T($S, $LL, $LL, $LL, $L)", LIMIT, r.name(), r.limit(), r.perMillis(),
            r.burst(), tags.indexOf(r.key().source())));
      }
      ctor.addStatement("this.$N = $T.of(redwire, $T.$L, $T.$L, $T.$L, $LL, $L,\n$>$L$<)", field, LIMITER,
          LIMITER.nestedClass("Algorithm"), first.algorithm().name(),
          LIMITER.nestedClass("OnLimit"), first.onLimit().name(),
          LIMITER.nestedClass("OnFailure"), first.onFailure().name(),
          first.maxWaitMillis(), tags.size(), CodeBlock.join(limits, ",\n"));
    }
  }

  /** The statements that decide a call before the method's body; nothing for methods without limits. */
  @Override
  public void before(MethodContext mc) {
    MethodModel m = mc.model();
    MethodSpec.Builder method = mc.method();
    NameAllocator names = mc.names();
    String field = fields.get(m);
    if (field == null) {
      return;
    }
    List<String> tags = tags(m);
    List<CodeBlock> args = new ArrayList<>();
    for (String source : tags) {
      if (source.isEmpty()) {
        args.add(CodeBlock.of("null"));
        continue;
      }
      KeyTemplate template = m.rateLimits().stream().filter(r -> r.key().source().equals(source))
          .findFirst().orElseThrow().key();
      args.add(CodeBlock.of("$N",
          keys.build(method, CodeBlock.of("$T.tagPrefix()", LIMITER), template, names, "rateTag")));
    }
    CodeBlock call;
    if (tags.size() == 1 && tags.get(0).isEmpty()) {
      call = CodeBlock.of("this.$N.acquire()", field);
    } else if (tags.size() <= 2) {
      call = CodeBlock.of("this.$N.acquire($L)", field, CodeBlock.join(args, ", "));
    } else {
      call = CodeBlock.of("this.$N.acquire(new byte[][] {$L})", field, CodeBlock.join(args, ", "));
    }
    if (m.result().async()) {
      String refused = names.newName("refused");
      method.beginControlFlow("try");
      method.addStatement(call);
      method.nextControlFlow("catch ($T $N)", REFUSED, refused);
      method.addStatement("return $T.failedFuture($N)", FUTURE, refused);
      method.endControlFlow();
    } else {
      method.addStatement(call);
    }
  }
}
