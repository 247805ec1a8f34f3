package io.redwire.processor.generate;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.InterfaceModel;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The name claims of a generated class, collected from its steps: one {@code static final String}
 * shape per distinct (kind, name), and at the start of the constructor, before any region, limiter or
 * lock is built, one {@code redwire.claim(kind, name, owner, shape)} each. The runtime refuses a name
 * that another interface registered with another kind or shape, so two interfaces share state only
 * when they name it alike on purpose and agree on what it holds.
 *
 * <p>Shapes: cache {@code value=<value type>#<fingerprint hex>;key=<part types>}, rate limit
 * {@code algorithm=<GCRA|SLIDING_WINDOW|FIXED_WINDOW>;key=<part types>}, lock {@code key=<part types>},
 * session store {@code ttl=..;absolute=..;maxPerUser=..;user=..;fields=<name>:<type>#<fingerprint>,...}.
 * Claims go at the start of the constructor, or of the static factory for kinds whose constructor
 * takes no {@code Redwire} (the store kind's {@code store(redwire)}).
 */
final class Claims {

  static final String CACHE = "cache";
  static final String RATE_LIMIT = "rate-limit";
  static final String LOCK = "lock";
  static final String SESSION = "session";

  private record Claim(String kind, String name, String shape) {}

  private final InterfaceModel model;
  private final NameAllocator memberNames;
  private final Map<String, Claim> claims = new LinkedHashMap<>();

  Claims(InterfaceModel model, NameAllocator memberNames) {
    this.model = model;
    this.memberNames = memberNames;
  }

  /** A step's claim of {@code name} as {@code kind} with {@code shape}; the first one of a (kind, name) counts. */
  void claim(String kind, String name, String shape) {
    claims.putIfAbsent(kind + ' ' + name, new Claim(kind, name, shape));
  }

  /** Adds the shape constants and the claim calls to the start of the constructor. */
  void addTo(TypeSpec.Builder cls, MethodSpec.Builder ctor) {
    for (Claim c : claims.values()) {
      String suffix = "_" + ProxyWriter.constant(c.kind()) + "_SHAPE";
      String constant = memberNames.newName(ProxyWriter.constant(model.localName(c.name())) + suffix);
      cls.addField(FieldSpec.builder(String.class, constant, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .initializer("$S", c.shape())
          .build());
      ctor.addStatement("redwire.claim($S, $S, $S, $N)", c.kind(), c.name(), model.qualifiedName(), constant);
    }
  }
}
