package golden;

import io.redwire.CacheEvict;
import io.redwire.CachePut;
import io.redwire.Cached;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

public interface Catalog {

  enum Category { BOOKS, GAMES }

  record Product(long id, String name, Category category, BigDecimal price, List<String> tags) {}

  record User(String id, int tier) {}

  @Cached(ttl = "10m", key = "{id}", jitter = 10)
  Product product(long id);

  @Cached(ttl = "1h", name = "recommended", key = "{user.id}:v{version}", refresh = Cached.Refresh.BACKGROUND)
  List<Product> recommended(User user, int version);

  @Cached(ttl = "1m", nulls = true, nullTtl = "5s")
  Optional<Product> find(String name);

  @Cached(ttl = "30s", name = "stock")
  long stock(String sku);

  @Cached(ttl = "PT5M", name = "byCategory")
  CompletionStage<Map<String, Product>> byCategory(Category category);

  @CachePut(name = "product", key = "{p.id}")
  Product save(Product p);

  @CacheEvict(name = "product", key = "{id}")
  @CacheEvict(name = "recommended", all = true)
  void delete(long id) throws IOException;

  int plain(int x, String... rest);

  <T extends Comparable<T>> T max(List<T> items);

  String describe(long id);

  String describe(String sku);

  default String hello() {
    return "hello";
  }
}
