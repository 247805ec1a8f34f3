package io.redwire.it.queue;

import io.redwire.Locked;
import io.redwire.Queued;
import io.redwire.RateLimited;

/** A queued method with a lock and a rate limit: both apply when the job runs. */
public interface Exclusive {

  @Queued(queue = "exclusive", backoff = "50ms", maxAttempts = 20)
  @Locked(key = "{account}", lease = "5s", maxWait = "10s")
  void settle(String account, int n);

  @Queued(queue = "limited", backoff = "50ms")
  @RateLimited(limit = 5, per = "1s", burst = 1, key = "", onLimit = RateLimited.OnLimit.WAIT, maxWait = "5s")
  void ping(int n);
}
