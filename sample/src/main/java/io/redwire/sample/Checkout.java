package io.redwire.sample;

import io.redwire.RateLimited;
import java.util.List;

/**
 * Placing an order: each user may place 3 orders at once, then one every 2 seconds, and 100 a day. A
 * refused call throws {@code RateLimitedException}, which the HTTP layer turns into {@code 429} with
 * {@code Retry-After} and {@code RateLimit-*} headers.
 */
public interface Checkout {

  @RateLimited(limit = 30, per = "1m", burst = 3, key = "{userId}")
  @RateLimited(limit = 100, per = "1d", key = "{userId}")
  Orders.OrderPlaced placeOrder(String userId, List<CartSession.Line> lines);
}
