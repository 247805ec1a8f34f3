package io.redwire.it;

import io.redwire.Cached;
import io.redwire.Locked;
import java.util.concurrent.CompletableFuture;

/** Background refreshes (sync and future) next to a lock, with explicit names. */
public interface Refreshing {

  @Cached(ttl = "1m", name = "refreshed", key = "{key}", refresh = Cached.Refresh.BACKGROUND)
  String value(String key);

  @Cached(ttl = "1m", name = "refreshedAsync", key = "{key}", refresh = Cached.Refresh.BACKGROUND)
  CompletableFuture<String> async(String key);

  /** Holds the lock for {@code millis} (the delegate sleeps); the lease is renewed by the watchdog. */
  @Locked(key = "{job}", name = "refreshLock", maxWait = "10s")
  boolean hold(String job, long millis);

  /** Runs only if the lock is free (returns true), else skips (returns false). */
  @Locked(key = "{job}", name = "refreshLock", onBusy = Locked.OnBusy.SKIP)
  boolean tryJob(String job);
}
