package io.redwire.it.bulk;

import io.redwire.Cached;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Single-key and bulk methods sharing caches keyed by a String and by a record. */
public interface Skus {

  enum Region { EU, US }

  record Sku(String code, Region region) {}

  @Cached(ttl = "10m", name = "labels", key = "{code}")
  String label(String code);

  @Cached(ttl = "10m", name = "labels", key = "{codes}")
  Map<String, String> labels(Set<String> codes);

  @Cached(ttl = "10m", name = "stock", key = "{sku.code}:r{sku.region}")
  Integer stock(Sku sku);

  @Cached(ttl = "10m", name = "stock", key = "{skus.code}:r{skus.region}")
  Map<Sku, Integer> stocks(List<Sku> skus);
}
