package io.redwire.sample;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Stands in for a pricing service: a remote call per quote, and list prices set by hand. */
final class ListPricing implements Pricing {

  final AtomicLong quotes = new AtomicLong();
  private final Map<String, Long> quotesPerKey = new ConcurrentHashMap<>();
  private final Map<String, BigDecimal> listPrices = new ConcurrentHashMap<>();

  @Override
  public Price price(String sku, String currency) {
    quotes.incrementAndGet();
    quotesPerKey.merge(sku + ":" + currency, 1L, Long::sum);
    InMemoryCatalog.pause();
    BigDecimal set = listPrices.get(sku + ":" + currency);
    if (set != null) {
      return new Price(sku, set, currency, Instant.now());
    }
    BigDecimal base = new BigDecimal(10 + Math.abs(sku.hashCode() % 90)).add(new BigDecimal("0.99"));
    BigDecimal amount = currency.equals("EUR") ? base.multiply(new BigDecimal("0.92")) : base;
    return new Price(sku, amount.setScale(2, RoundingMode.HALF_EVEN), currency, Instant.now());
  }

  /** Quotes per SKU and currency ({@code "B-1:USD"}). */
  Map<String, Long> quotesPerKey() {
    return new java.util.TreeMap<>(quotesPerKey);
  }

  @Override
  public void setPrice(String sku, String currency, BigDecimal amount) {
    listPrices.put(sku + ":" + currency, amount);
  }
}
