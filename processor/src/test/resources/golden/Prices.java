package golden;

import io.redwire.CacheEvict;
import io.redwire.CachePut;
import io.redwire.Cached;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bulk cached methods: one sharing its cache with a single-key method, one keyed by a component. */
public interface Prices {

  record Price(long id, BigDecimal amount) {}

  record Sku(String code, int region) {}

  @Cached(ttl = "10m", name = "price", key = "{id}", jitter = 10)
  Price price(long id);

  @Cached(ttl = "10m", name = "price", key = "{ids}", jitter = 10)
  Map<Long, Price> prices(Set<Long> ids);

  @Cached(ttl = "1m", key = "{skus.code}:r{skus.region}", nulls = true)
  Map<Sku, Integer> stock(List<Sku> skus);

  @Cached(ttl = "1m", name = "labels", refresh = Cached.Refresh.NONE)
  Map<String, String> labels(Collection<String> codes);

  @CachePut(name = "price", key = "{p.id}")
  Price save(Price p);

  @CacheEvict(name = "price", key = "{id}")
  void delete(long id);
}
