package io.redwire.it.session;

import io.redwire.SessionScoped;
import io.redwire.SessionUser;

/** {@link Cart} as an older build had it: its address had no city. Same store name. */
@SessionScoped(ttl = "30m", name = "cart", absolute = "8h", maxPerUser = 3)
public interface OldCart {

  record Address(String street) {}

  String id();

  @SessionUser
  String userId();

  void userId(String userId);

  long items(); // no increment in this build: stored by its codec, not as a decimal integer

  void items(long items);

  String coupon();

  void coupon(String coupon);

  Address address();

  void address(Address address);
}
