package io.redwire.it.near;

import io.redwire.Cached;
import java.io.IOException;

/** A near-cached method whose delegate may throw. */
public interface Risky {
  @Cached(ttl = "1m", near = 10)
  String fetch(long id) throws IOException;
}
