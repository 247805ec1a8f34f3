package golden;

import io.redwire.Subscribes;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A listener: a durable consumer group with retries, and a pub/sub channel handled asynchronously. */
public interface ShopEvents {

  record Cart(String userId, List<String> skus) {}

  record OrderPlaced(String orderId, String userId, List<String> skus, BigDecimal total) {}

  @Subscribes(channel = "orders", group = "billing", maxDeliveries = 5, backoff = "500ms", reclaimAfter = "10s")
  void placed(OrderPlaced event);

  @Subscribes(channel = "carts", durable = false, concurrency = 2)
  CompletionStage<Void> abandoned(Cart cart);

  default String describe() {
    return "billing";
  }
}
