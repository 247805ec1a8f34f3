package io.redwire.it.session;

import io.redwire.SessionScoped;

/** {@link Visit} as an older build had it: no increments (visits stored by its codec), an address without a city. */
@SessionScoped(ttl = "30m", name = "visit", absolute = "8h")
public interface OldVisit {

  record Address(String street) {}

  String id();

  String userId();

  void userId(String userId);

  long visits();

  void visits(long visits);

  Address address();

  void address(Address address);
}
