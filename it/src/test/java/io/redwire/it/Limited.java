package io.redwire.it;

import io.redwire.RateLimited;
import io.redwire.RateLimited.Algorithm;
import io.redwire.RateLimited.OnFailure;
import io.redwire.RateLimited.OnLimit;
import java.util.concurrent.CompletableFuture;

/** Rate-limited methods for the proxy tests. */
public interface Limited {

  /** Burst 10, then one per second. */
  @RateLimited(limit = 10, per = "10s", key = "{user}")
  String gcra(String user);

  @RateLimited(limit = 10, per = "2s", key = "{user}", algorithm = Algorithm.FIXED_WINDOW)
  String fixed(String user);

  @RateLimited(limit = 10, per = "2s", key = "{user}", algorithm = Algorithm.SLIDING_WINDOW)
  String sliding(String user);

  /** Two limits with one key: the hash tag is the user. */
  @RateLimited(limit = 3, per = "1s", key = "{user}")
  @RateLimited(limit = 1000, per = "1h", key = "{user}")
  String twice(String user);

  /** Per user and global: the hash tag is the first limit's name. */
  @RateLimited(limit = 5, per = "1s", key = "{user}", name = "pair-user")
  @RateLimited(limit = 100, per = "1m", name = "pair-all")
  String pair(String user);

  @RateLimited(limit = 1, per = "1h", key = "{user}")
  String failOpen(String user);

  @RateLimited(limit = 1, per = "1h", key = "{user}", onFailure = OnFailure.DENY)
  String failClosed(String user);

  /** One every 250 ms, no burst; waits up to 3 s. */
  @RateLimited(limit = 4, per = "1s", burst = 1, key = "{user}", onLimit = OnLimit.WAIT, maxWait = "3s")
  String patient(String user);

  @RateLimited(limit = 1, per = "1h", key = "{user}")
  CompletableFuture<String> later(String user);

  /** Not limited. */
  String free(String user);

  /** Answers with the user; counts nothing. */
  final class Echo implements Limited {
    @Override public String gcra(String user) { return user; }
    @Override public String fixed(String user) { return user; }
    @Override public String sliding(String user) { return user; }
    @Override public String twice(String user) { return user; }
    @Override public String pair(String user) { return user; }
    @Override public String failOpen(String user) { return user; }
    @Override public String failClosed(String user) { return user; }
    @Override public String patient(String user) { return user; }
    @Override public CompletableFuture<String> later(String user) { return CompletableFuture.completedFuture(user); }
    @Override public String free(String user) { return user; }
  }
}
