package io.redwire.it.names;

import io.redwire.Cached;
import io.redwire.Locked;
import io.redwire.RateLimited;
import java.math.BigDecimal;

/** Interfaces that reuse {@link Prices}' names with another shape or kind: refused at wrap time. */
public final class Conflicts {

  private Conflicts() {}

  /** Another value type under "shared-price". */
  public interface OtherValue {
    @Cached(ttl = "10m", name = "shared-price", key = "{sku}")
    Long price(String sku);
  }

  /** Another key shape under "shared-price". */
  public interface OtherKey {
    @Cached(ttl = "10m", name = "shared-price", key = "{id}")
    BigDecimal price(long id);
  }

  /** Another algorithm under "shared-quota". */
  public interface OtherAlgorithm {
    @RateLimited(limit = 3, per = "1h", name = "shared-quota", key = "{sku}",
        algorithm = RateLimited.Algorithm.SLIDING_WINDOW)
    String quote(String sku);
  }

  /** "shared-price" with another TTL: a share must agree on its settings. */
  public interface OtherTtl {
    @Cached(ttl = "5m", name = "shared-price", key = "{sku}")
    BigDecimal price(String sku);
  }

  /** "shared-quota" with another limit. */
  public interface OtherLimit {
    @RateLimited(limit = 30, per = "1h", name = "shared-quota", key = "{sku}")
    String quote(String sku);
  }

  /** "shared-price" as a lock. */
  public interface OtherKind {
    @Locked(name = "shared-price", key = "{sku}")
    String reprice(String sku);
  }
}
