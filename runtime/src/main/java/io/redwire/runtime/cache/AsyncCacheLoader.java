package io.redwire.runtime.cache;

import java.util.concurrent.CompletionStage;

/** Computes a cached value asynchronously on a miss, for methods returning a future. */
public interface AsyncCacheLoader<V> {
  CompletionStage<V> load() throws Exception;
}
