package golden;

import io.redwire.Locked;
import io.redwire.Payload;
import io.redwire.Publishes;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** A publisher: durable and pub/sub events, the result or a @Payload parameter, composed with a lock. */
public interface Shop {

  record Cart(String userId, List<String> skus) {}

  record OrderPlaced(String orderId, String userId, List<String> skus, BigDecimal total) {}

  @Publishes(channel = "orders", retain = "7d")
  @Locked(key = "{cart.userId}", maxWait = "1s")
  OrderPlaced place(Cart cart);

  @Publishes(channel = "carts", durable = false)
  void abandon(@Payload Cart cart, String reason);

  @Publishes(channel = "audit", retain = "100000")
  Optional<String> audit(String entry);

  String name();
}
