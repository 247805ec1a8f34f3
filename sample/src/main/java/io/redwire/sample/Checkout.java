package io.redwire.sample;

import io.redwire.RateLimited;

/** The checkout API: each user may place 3 orders at once, then one every 2 seconds, and 100 a day. */
public interface Checkout {

  @RateLimited(limit = 30, per = "1m", burst = 3, key = "{userId}")
  @RateLimited(limit = 100, per = "1d", key = "{userId}")
  String placeOrder(String userId, String sku);
}
