package golden;

import io.redwire.CacheEvict;
import io.redwire.CachePut;
import io.redwire.Cached;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

public interface NearCatalog {

  record Product(long id, String name, List<String> tags) {}

  @Cached(ttl = "10m", key = "{id}", near = 10000)
  Product product(long id);

  @Cached(ttl = "1m", nulls = true, near = 100)
  Optional<Product> find(String name, int page);

  @Cached(ttl = "30s", near = 500)
  long stock(String sku);

  @Cached(ttl = "5m", near = 50)
  CompletableFuture<Product> later(long id);

  @CachePut(name = "product", key = "{p.id}")
  Product save(Product p);

  @CacheEvict(name = "product", key = "{id}")
  @CacheEvict(name = "find", all = true)
  void delete(long id);
}
