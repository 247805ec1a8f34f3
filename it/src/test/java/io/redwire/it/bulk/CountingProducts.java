package io.redwire.it.bulk;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delegate: records every collection of ids it is given, answers {@code "product <id>"}, leaves out
 * the ids in {@link #omit}, and throws while {@link #failure} is set.
 */
final class CountingProducts implements Products {

  final List<Collection<Long>> asked = new CopyOnWriteArrayList<>();
  final AtomicInteger singles = new AtomicInteger();
  volatile Set<Long> omit = Set.of();
  volatile RuntimeException failure;
  volatile String suffix = "";

  Collection<Long> last() {
    return asked.get(asked.size() - 1);
  }

  private Map<Long, Product> load(Collection<Long> ids) {
    asked.add(ids);
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    Map<Long, Product> out = new LinkedHashMap<>();
    for (Long id : ids) {
      if (!omit.contains(id)) {
        out.put(id, new Product(id, "product " + id + suffix));
      }
    }
    return out;
  }

  @Override
  public Product product(long id) {
    singles.incrementAndGet();
    return omit.contains(id) ? null : new Product(id, "product " + id + suffix);
  }

  @Override
  public Map<Long, Product> products(Set<Long> ids) {
    return load(ids);
  }

  @Override
  public Map<Long, Product> productList(List<Long> ids) {
    return load(ids);
  }

  @Override
  public Map<Long, Product> productCollection(Collection<Long> ids) {
    return load(ids);
  }

  @Override
  public Product save(Product p) {
    return p;
  }

  @Override
  public void delete(long id) {}

  @Override
  public Map<Long, Product> known(Set<Long> ids) {
    return load(ids);
  }
}
