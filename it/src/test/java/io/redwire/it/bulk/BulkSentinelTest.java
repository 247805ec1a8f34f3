package io.redwire.it.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redwire.it.Sentinels;
import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.RedisSentinel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisSentinelClient;

/** A bulk method through Jedis' {@link RedisSentinelClient}: one MGET and pipelined stores on the primary. */
class BulkSentinelTest {

  @Test
  void aBulkReadsAndWritesThroughTheSentinelClient() {
    try (RedisSentinel deployment = RedisSentinel.start("redwire-bulk")) {
      try (RedisSentinelClient client = Sentinels.client(deployment, 500);
          Redwire redwire = Redwire.builder().client(client).namespace("s").build()) {
        CountingProducts delegate = new CountingProducts();
        Products products = RedwireProducts.wrap(delegate, redwire);
        Set<Long> ids = new LinkedHashSet<>(List.of(5L, 3L, 9L));

        assertEquals(List.of(5L, 3L, 9L), new ArrayList<>(products.products(ids).keySet()));
        Await.until(Duration.ofSeconds(5), () -> entries(deployment) == 3, () -> "3 entries on the primary");
        Map<Long, Products.Product> again = products.products(ids);
        assertEquals(List.of(5L, 3L, 9L), new ArrayList<>(again.keySet()));
        assertEquals(1, delegate.asked.size(), "all hits");
      }
    }
  }

  private static int entries(RedisSentinel deployment) {
    String all = deployment.master().command("KEYS", "s:c:products:*}");
    return all == null || all.isEmpty() ? 0 : all.split("\n").length;
  }
}
