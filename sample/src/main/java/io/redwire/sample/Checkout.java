package io.redwire.sample;

import io.redwire.Locked;
import io.redwire.RateLimited;

/**
 * Placing the order of a cart: each user may place 3 orders at once, then one every 2 seconds, and 100
 * a day. A refused call throws {@code RateLimitedException}, which the HTTP layer turns into {@code 429}
 * with {@code Retry-After} and {@code RateLimit-*} headers. The cart is read and emptied under its own
 * lock, so two checkouts of one cart (a double submit, on any instances) place its order once.
 */
public interface Checkout {

  @RateLimited(limit = 30, per = "1m", burst = 3, key = "{userId}")
  @RateLimited(limit = 100, per = "1d", key = "{userId}")
  @Locked(key = "{cartId}", name = "checkout", maxWait = "5s")
  Orders.OrderPlaced placeOrder(String userId, String cartId);
}
