package io.redwire.processor.model;

/**
 * A {@code @CachePut} or {@code @CacheEvict} on a method: which cache, which key (or the whole cache).
 */
public record CacheWrite(Origin origin, Kind kind, String cacheName, KeyTemplate key, boolean all) {

  /** What the write does after the method succeeds. */
  public enum Kind {
    PUT, EVICT
  }
}
