package io.redwire.sample;

import io.redwire.SessionScoped;
import io.redwire.SessionUser;
import java.util.List;

/**
 * The checkout's cart, kept in a session: one Redis hash per visitor, idle for 30 minutes at most and
 * 8 hours old at most, and at most 2 carts per signed-in user.
 */
@SessionScoped(ttl = "30m", name = "cart", absolute = "8h", maxPerUser = 2)
public interface CartSession {

  record Line(String sku, int quantity) {}

  record Summary(String userId, long items, List<Line> lines, String coupon) {}

  String id();

  @SessionUser
  String userId();

  void userId(String userId);

  long items();

  long addItems(long delta);

  List<Line> lines();

  void lines(List<Line> lines);

  String coupon();

  boolean compareAndSetCoupon(String expect, String update);

  /** The whole cart in one round trip. */
  Summary summary();
}
