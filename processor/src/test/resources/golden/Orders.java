package golden;

import io.redwire.Cached;
import io.redwire.Locked;
import io.redwire.RateLimited;
import java.util.List;
import java.util.Optional;

/** Every pattern on one interface, composed on one method: rate limit, then lock, then cache. */
public interface Orders {

  record Order(String id, String userId, List<String> skus) {}

  @RateLimited(limit = 10, per = "1s", key = "{userId}")
  @RateLimited(limit = 1000, per = "1h", key = "{userId}")
  String place(String userId, List<String> skus);

  @RateLimited(limit = 5, per = "1m", key = "{userId}", burst = 2)
  @Locked(key = "{userId}", maxWait = "2s")
  @Cached(ttl = "30s", key = "{userId}:{orderId}")
  Order order(String userId, String orderId);

  @Locked(key = "{day}", lease = "1h", onBusy = Locked.OnBusy.SKIP)
  Optional<String> nightly(String day);
}
