package io.redwire.processor.read;

import io.redwire.processor.model.KeyTemplate;
import io.redwire.processor.model.Origin;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.RateLimitSpec;
import io.redwire.processor.validate.Diagnostics;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * Reads the {@code @RateLimited}s of a method. Durations and keys are checked here; an empty key is one
 * bucket for the whole method (not "all parameters" as for {@code @Cached}).
 */
public final class RateLimitReader {

  public static final String RATE_LIMITED = "io.redwire.RateLimited";
  public static final String RATE_LIMITED_LIST = "io.redwire.RateLimited.List";

  private final KeyTemplates keys;
  private final Diagnostics diagnostics;

  public RateLimitReader(KeyTemplates keys, Diagnostics diagnostics) {
    this.keys = keys;
    this.diagnostics = diagnostics;
  }

  /**
   * The method's limits in source order; empty when it has none. Names default to {@code namePrefix}
   * and the method's name ({@code "Orders.place"}), followed by {@code -<per>} when the method has
   * several limits ({@code "Orders.place-1s"}).
   */
  public List<RateLimitSpec> read(ExecutableElement method, List<Param> params, String namePrefix) {
    List<AnnotationMirror> found = Mirrors.findAll(method, RATE_LIMITED, RATE_LIMITED_LIST);
    List<RateLimitSpec> specs = new ArrayList<>();
    for (AnnotationMirror a : found) {
      Origin at = new Origin(method, a);
      String per = Mirrors.string(a, "per");
      String name = Mirrors.string(a, "name");
      if (name.isEmpty()) {
        name = namePrefix + method.getSimpleName() + (found.size() > 1 ? "-" + per.strip() : "");
      }
      long perMillis = Durations.member(at, "RateLimited", "per", true, -1, diagnostics);
      long maxWait = Mirrors.string(a, "maxWait").isBlank() ? 0 : Durations.member(at, "RateLimited", "maxWait", false, -1, diagnostics);
      String template = Mirrors.string(a, "key");
      KeyTemplate key = template.isEmpty()
          ? new KeyTemplate("", false, List.of())
          : keys.parse(template, params, at, "key");
      specs.add(new RateLimitSpec(at, name, longValue(a, "limit"), perMillis, longValue(a, "burst"), key,
          RateLimitSpec.Algorithm.valueOf(Mirrors.enumName(a, "algorithm")),
          RateLimitSpec.OnLimit.valueOf(Mirrors.enumName(a, "onLimit")),
          RateLimitSpec.OnFailure.valueOf(Mirrors.enumName(a, "onFailure")), maxWait));
    }
    return List.copyOf(specs);
  }

  private static long longValue(AnnotationMirror a, String member) {
    Object v = Mirrors.raw(a, member);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
