package io.redwire.processor.generate;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.CacheSpec;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.LockSpec;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.RateLimitSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the name claims of a proxy: one {@code static final String} shape per distinct (kind, name)
 * of the interface, and at the start of the constructor, before any region, limiter or lock is built,
 * one {@code redwire.claim(kind, name, owner, shape)} each. The runtime refuses a name that another
 * interface registered with another kind or shape, so two interfaces share state only when they
 * name it alike on purpose and agree on what it holds.
 *
 * <p>Shapes: cache {@code value=<value type>#<fingerprint hex>;key=<part types>}, rate limit
 * {@code algorithm=<GCRA|SLIDING_WINDOW|FIXED_WINDOW>;key=<part types>}, lock {@code key=<part types>}.
 */
final class Claims {

  static final String CACHE = "cache";
  static final String RATE_LIMIT = "rate-limit";
  static final String LOCK = "lock";

  private record Claim(String kind, String name, String local, String shape) {}

  private final InterfaceModel model;
  private final NameAllocator memberNames;

  Claims(InterfaceModel model, NameAllocator memberNames) {
    this.model = model;
    this.memberNames = memberNames;
  }

  /** Adds the shape constants and the claim calls; call before anything else adds to the constructor. */
  void addTo(TypeSpec.Builder cls, MethodSpec.Builder ctor) {
    Map<String, Claim> claims = new LinkedHashMap<>();
    for (MethodModel m : model.methods()) {
      for (RateLimitSpec r : m.rateLimits()) {
        add(claims, new Claim(RATE_LIMIT, r.name(), model.localName(r.name()),
            "algorithm=" + r.algorithm().name() + ";key=" + r.key().partTypes()));
      }
      LockSpec l = m.locked();
      if (l != null) {
        add(claims, new Claim(LOCK, l.name(), model.localName(l.name()), "key=" + l.key().partTypes()));
      }
      CacheSpec c = m.cached();
      if (c != null) {
        add(claims, new Claim(CACHE, c.name(), model.localName(c.name()),
            "value=" + c.valueType().typeName() + "#" + Long.toHexString(c.valueType().fingerprint())
                + ";key=" + c.key().partTypes()));
      }
    }
    for (Claim c : claims.values()) {
      String suffix = switch (c.kind()) {
        case CACHE -> "_CACHE_SHAPE";
        case RATE_LIMIT -> "_RATE_LIMIT_SHAPE";
        default -> "_LOCK_SHAPE";
      };
      String constant = memberNames.newName(ProxyWriter.constant(c.local()) + suffix);
      cls.addField(FieldSpec.builder(String.class, constant, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .initializer("$S", c.shape())
          .build());
      ctor.addStatement("redwire.claim($S, $S, $S, $N)", c.kind(), c.name(), model.qualifiedName(), constant);
    }
  }

  private static void add(Map<String, Claim> claims, Claim claim) {
    claims.putIfAbsent(claim.kind() + ' ' + claim.name(), claim);
  }
}
