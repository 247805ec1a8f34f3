package io.redwire.micrometer;

import io.redwire.Cached;
import io.redwire.Locked;
import io.redwire.RateLimited;
import java.util.concurrent.CountDownLatch;

/** A shop with one method per pattern, run through the processor by this module's test build. */
public interface Shop {

  @Cached(ttl = "1m", name = "price", key = "{sku}")
  long price(String sku);

  @RateLimited(limit = 2, per = "1h", key = "{user}", name = "checkout")
  String checkout(String user);

  /** Signals {@code entered}, then holds the lock until {@code release} opens. */
  @Locked(key = "{sku}", maxWait = "10s", name = "stock")
  long reserve(String sku, CountDownLatch entered, CountDownLatch release);

  /** Does not wait for a busy lock. */
  @Locked(key = "{sku}", name = "stock")
  long reserveNow(String sku, CountDownLatch entered, CountDownLatch release);

  /** Prices are the length of the SKU; the lock holds until released. */
  final class Impl implements Shop {
    @Override
    public long price(String sku) {
      return sku.length();
    }

    @Override
    public String checkout(String user) {
      return "order of " + user;
    }

    @Override
    public long reserve(String sku, CountDownLatch entered, CountDownLatch release) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 1;
    }

    @Override
    public long reserveNow(String sku, CountDownLatch entered, CountDownLatch release) {
      return reserve(sku, entered, release);
    }
  }
}
