package io.redwire.it.session;

import io.redwire.SessionScoped;

/**
 * Increments that return a view record: the increment and the view's read in one round trip. {@code
 * addVisits} reads the incremented field with the others, {@code addPages} (an int field) too, {@code
 * addHits} reads a record without it.
 */
@SessionScoped(ttl = "30m", name = "visit", absolute = "8h")
public interface Visit {

  record Address(String street, String city) {}

  record Request(String userId, long visits, Address address, int pages) {}

  record Pages(int pages, long visits) {}

  record Who(String userId) {}

  String id();

  String userId();

  void userId(String userId);

  long visits();

  Request addVisits(long delta);

  int pages();

  Pages addPages(int delta);

  long hits();

  Who addHits(long delta);

  Address address();

  void address(Address address);
}
