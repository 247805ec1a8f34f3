package io.redwire.it;

import io.redwire.Locked;
import io.redwire.RateLimited;

/** A key part whose accessor itself calls a proxy (which builds a key of its own) while the outer key is built. */
public interface NestedKeys {

  /** {@code id()} is looked up through the proxy: a locked call, whose lock key is built meanwhile. */
  record User(String name, NestedKeys lookup) {
    public String id() {
      return lookup.idOf(name);
    }
  }

  @RateLimited(limit = 100, per = "1m", key = "{user.id}:{day}")
  String profile(User user, int day);

  @Locked(key = "{name}")
  String idOf(String name);

  /** Answers without Redis. */
  final class Impl implements NestedKeys {
    @Override
    public String profile(User user, int day) {
      return "profile of " + user.id() + " on day " + day;
    }

    @Override
    public String idOf(String name) {
      return "id-" + name;
    }
  }
}
