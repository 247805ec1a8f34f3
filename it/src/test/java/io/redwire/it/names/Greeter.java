package io.redwire.it.names;

import io.redwire.Cached;

/** A default method that calls a cached method of the same interface. */
public interface Greeter {

  @Cached(ttl = "10m")
  String name(long id);

  /** Runs on the delegate: its {@code name} calls are the delegate's own, not the cache's. */
  default String greet(long id) {
    return "hello " + name(id);
  }
}
