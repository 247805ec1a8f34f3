package io.redwire.it.session;

import io.redwire.SessionScoped;
import java.util.Map;
import java.util.Set;

/** An {@code int} field with an increment, for its range; a set and a map, for compare-and-set. */
@SessionScoped(ttl = "30m")
public interface Tally {

  String id();

  int visits();

  int addVisits(int delta);

  boolean compareAndSetVisits(int expect, int update);

  Set<String> tags();

  void tags(Set<String> tags);

  boolean compareAndSetTags(Set<String> expect, Set<String> update);

  Map<String, Integer> stock();

  void stock(Map<String, Integer> stock);

  boolean compareAndSetStock(Map<String, Integer> expect, Map<String, Integer> update);
}
