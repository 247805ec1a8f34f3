package io.redwire.sample;

import java.math.BigDecimal;
import java.time.Instant;

/** A price quote in one currency. */
public record Price(String sku, BigDecimal amount, String currency, Instant quotedAt) {}
