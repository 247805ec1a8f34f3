package golden;

import io.redwire.SessionScoped;
import java.util.Optional;

/** Increments returning a view: one round trip adds and reads the record's fields. */
@SessionScoped(ttl = "30m", name = "visit")
public interface VisitSession {
  record Request(String userId, long visits, int pages, Optional<String> theme) {}

  record Pages(int pages, String userId) {}

  String id();

  String userId();

  void userId(String userId);

  long visits();

  Request addVisits(long delta);

  int pages();

  Pages addPages(int delta);

  Optional<String> theme();

  void theme(Optional<String> theme);
}
