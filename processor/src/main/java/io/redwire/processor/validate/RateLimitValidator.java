package io.redwire.processor.validate;

import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.RateLimitSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks {@code @RateLimited} across an interface: positive limits and bursts, burst only for GCRA,
 * maxWait exactly with WAIT (and never on asynchronous methods), unique names, and one algorithm and
 * policy per method (its limits are decided in one script call).
 */
public final class RateLimitValidator {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Diagnostics diagnostics;

  public RateLimitValidator(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  public void validate(InterfaceModel model) {
    Map<String, MethodModel> names = new LinkedHashMap<>();
    for (MethodModel m : model.methods()) {
      List<RateLimitSpec> limits = m.rateLimits();
      for (RateLimitSpec r : limits) {
        check(m, r);
        if (r.perMillis() > 0 || r.origin().value("name") != null) {
          if (r.origin().value("name") != null && !NAME.matcher(r.name()).matches()) {
            diagnostics.nameInvalid(r.origin(), "RateLimited", r.name());
          } else {
            MethodModel first = names.putIfAbsent(r.name(), m);
            if (first != null) {
              diagnostics.rateLimitNameDuplicate(r.origin(), r.name(), first.element());
            }
          }
        }
      }
      if (limits.size() > 1) {
        RateLimitSpec first = limits.get(0);
        for (RateLimitSpec r : limits.subList(1, limits.size())) {
          same(r, "algorithm", r.algorithm(), first.algorithm());
          same(r, "onLimit", r.onLimit(), first.onLimit());
          same(r, "onFailure", r.onFailure(), first.onFailure());
          if (r.maxWaitMillis() != first.maxWaitMillis()) {
            diagnostics.rateLimitMixed(r.origin(), "maxWait", which(r), quoted(r, "maxWait"),
                quoted(first, "maxWait"));
          }
        }
      }
    }
  }

  private void check(MethodModel m, RateLimitSpec r) {
    if (r.limit() < 1) {
      diagnostics.rateLimitLimit(r.origin(), r.limit());
    }
    if (r.origin().value("burst") != null) {
      if (r.burst() < 1) {
        diagnostics.rateLimitBurst(r.origin(), r.burst());
      } else if (r.algorithm() != RateLimitSpec.Algorithm.GCRA) {
        diagnostics.rateLimitBurstAlgorithm(r.origin(), r.algorithm().name());
      }
    }
    boolean hasMaxWait = r.origin().value("maxWait") != null;
    if (r.onLimit() == RateLimitSpec.OnLimit.WAIT) {
      if (m.result().async()) {
        diagnostics.rateLimitWaitAsync(r.origin(), m.result().declared().toString());
      } else if (!hasMaxWait) {
        diagnostics.rateLimitWaitUnbounded(r.origin());
      }
    } else if (hasMaxWait) {
      diagnostics.rateLimitMaxWaitWithoutWait(r.origin());
    }
  }

  private void same(RateLimitSpec r, String member, Object value, Object first) {
    if (!Objects.equals(value, first)) {
      diagnostics.rateLimitMixed(r.origin(), member, which(r), value.toString(), first.toString());
    }
  }

  /** Identifies one of a method's limits in a message: {@code per = "1h"}. */
  private static String which(RateLimitSpec r) {
    return r.origin().value("per") == null ? "limit = " + r.limit() : "per = " + r.origin().value("per");
  }

  private static String quoted(RateLimitSpec r, String member) {
    return r.origin().value(member) == null ? "none" : r.origin().value(member).toString();
  }
}
