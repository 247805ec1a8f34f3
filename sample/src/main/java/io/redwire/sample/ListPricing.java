package io.redwire.sample;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Stands in for a pricing service: a remote call per quote. */
final class ListPricing implements Pricing {

  final AtomicLong quotes = new AtomicLong();

  @Override
  public Price price(String sku, String currency) {
    quotes.incrementAndGet();
    InMemoryCatalog.pause();
    BigDecimal base = new BigDecimal(10 + Math.abs(sku.hashCode() % 90)).add(new BigDecimal("0.99"));
    BigDecimal amount = currency.equals("EUR") ? base.multiply(new BigDecimal("0.92")) : base;
    return new Price(sku, amount.setScale(2, RoundingMode.HALF_EVEN), currency, Instant.now());
  }
}
