package io.redwire.runtime.cache;

/** Computes a cached value on a miss: generated code implements it as a small class per method. */
public interface CacheLoader<V> {
  V load() throws Exception;
}
