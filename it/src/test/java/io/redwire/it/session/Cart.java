package io.redwire.it.session;

import io.redwire.SessionScoped;
import io.redwire.SessionUser;

/** The cart of the product spec: a user index with maxPerUser, an increment, a CAS, a record field and a view. */
@SessionScoped(ttl = "30m", name = "cart", absolute = "8h", maxPerUser = 3)
public interface Cart {

  record Address(String street, String city) {}

  record Summary(long items, String coupon, String userId) {}

  String id();

  @SessionUser
  String userId();

  void userId(String userId);

  long items();

  long addItems(long delta);

  boolean compareAndSetItems(long expect, long update);

  String coupon();

  void coupon(String coupon);

  boolean compareAndSetCoupon(String expect, String update);

  Address address();

  void address(Address address);

  Summary summary();
}
