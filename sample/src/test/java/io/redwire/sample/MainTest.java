package io.redwire.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.testing.RedisServer;
import org.junit.jupiter.api.Test;

/** The sample's main flow end to end, on a redis-server started for the test. */
class MainTest {

  @Test
  void checkoutReadsThroughTheCachesAndUpdatesEvict() {
    try (RedisServer server = RedisServer.start()) {
      Main.Report report = Main.run(server.uri(), 200);
      // 4 products and 8 (sku, currency) prices are loaded once each; everything else is a hit,
      // and B-1 is loaded once more after the update evicted it
      assertEquals(5, report.productMisses(), report.toString());
      assertEquals(196, report.productHits(), report.toString());
      assertEquals(8, report.priceMisses(), report.toString());
      assertEquals(192, report.priceHits(), report.toString());
      assertEquals(8, report.priceQuotes());
      // 4 product loads + 1 lookup of X-404 + 1 update + 1 reload after the update's eviction
      assertEquals(7, report.catalogQueries(), report.toString());
      assertFalse(report.unknownFound());
      assertEquals("The Pragmatic Programmer, 20th anniversary", report.nameAfterUpdate());
      assertTrue(report.toString().contains("catalog: 196 hits, 5 misses, hit rate 97.5%"), report.toString());
      // the checkout allows a burst of 3 per user, then one every 2 s
      assertEquals(3, report.checkoutsAdmitted(), report.toString());
      assertEquals("Checkout.placeOrder-1m", report.checkoutRefused().name());
      assertEquals(30, report.checkoutRefused().limit());
      long retryMillis = report.checkoutRefused().retryAfter().toMillis();
      assertTrue(retryMillis > 1000 && retryMillis <= 2000, report.toString());
      assertEquals("2", report.checkoutRefused().retryAfterHeader());
      assertEquals("order-4", report.otherUserOrder());
      assertTrue(report.toString().contains("HTTP 429, Retry-After: 2"), report.toString());
      // 120 reservations of one unit and a restock of 40, racing on two instances: exact
      Main.LockRun locks = report.locks();
      assertEquals(120, locks.granted(), report.toString());
      assertEquals(40, locks.stockLeft(), report.toString());
      assertEquals(0, locks.staleWritesRefused());
      // three workers started the nightly report together: one ran it, two skipped
      assertEquals(1, locks.reportsRun(), report.toString());
      assertEquals(2, locks.reportsSkipped(), report.toString());
      // 50 orders per SKU of 1, 2, 3 and 4 units: the best sellers are T-1, G-1, B-2
      assertEquals(java.util.List.of(new io.redwire.runtime.board.Ranked<>("T-1", 1, 200),
          new io.redwire.runtime.board.Ranked<>("G-1", 2, 150), new io.redwire.runtime.board.Ranked<>("B-2", 3, 100)),
          report.bestSellers(), report.toString());
      assertEquals(50, report.viewsOfB1(), report.toString());
      // 20 orders published; the email listener sent one email each, o-3 after one retry
      Main.EventRun events = report.events();
      assertEquals(20, events.published(), report.toString());
      assertEquals(20, events.emailsSent(), report.toString());
      assertEquals(1, events.retries(), report.toString());
      assertEquals(0, events.deadLetters(), report.toString());
      assertEquals("Thanks alice, 3 x B-1 is on its way", events.emailForO3(), report.toString());
      // 10 confirmation emails queued as jobs (a double click dropped by the unique key), each sent once
      // by one of three workers, j-2 after one retry; the nightly report job ran once, on time
      Main.JobRun jobs = report.jobs();
      assertEquals(10, jobs.emailsQueued(), report.toString());
      assertEquals(1, jobs.duplicatesDropped(), report.toString());
      assertEquals(10, jobs.emailsSent(), report.toString());
      assertEquals(1, jobs.retries(), report.toString());
      assertEquals("Thanks alice, 2 x G-1 is on its way", jobs.emailForJ2(), report.toString());
      assertEquals(1, jobs.reportsRun(), report.toString());
      assertTrue(jobs.reportOnTime(), report.toString());
      // the cart lives in a session: filled, couponed once, moved to a new id at sign-in, evicted by
      // the third device (2 carts per user), and logged out everywhere
      Main.CartRun cart = report.cart();
      assertEquals(47, cart.idLength());
      assertEquals(new CartSession.Summary("alice", 3, java.util.List.of(new CartSession.Line("B-1", 1),
          new CartSession.Line("G-1", 1), new CartSession.Line("G-1", 1)), "WELCOME10"), cart.summary());
      assertTrue(cart.couponApplied());
      assertFalse(cart.couponAppliedTwice());
      assertFalse(cart.anonymousIdFound(), "the pre-sign-in id is dead");
      assertTrue(cart.firstCartEvicted(), report.toString());
      assertEquals(2, cart.devices());
      assertEquals(2, cart.loggedOut());
      assertEquals(0, cart.devicesAfterLogout());
    }
  }
}
