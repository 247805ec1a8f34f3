package golden;

import io.redwire.SessionScoped;
import io.redwire.SessionUser;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@SessionScoped(ttl = "30m", name = "cart", absolute = "8h", maxPerUser = 5)
public interface CartSession {
  record Line(String sku, int quantity) {}

  record CartView(long items, String coupon, List<Line> lines) {}

  String id();

  @SessionUser
  String userId();

  void userId(String userId);

  long items();

  long addItems(long delta);

  String coupon();

  void coupon(String coupon);

  boolean compareAndSetCoupon(String expect, String update);

  List<Line> lines();

  void lines(List<Line> lines);

  boolean express();

  void express(boolean express);

  Optional<Instant> checkoutStarted();

  void checkoutStarted(Optional<Instant> at);

  CartView view();

  default boolean empty() {
    return items() == 0;
  }
}
