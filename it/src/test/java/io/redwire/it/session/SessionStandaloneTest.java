package io.redwire.it.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.session.SessionStore;
import io.redwire.testing.CommandCounter;
import io.redwire.testing.RedisServer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** The session contract on one redis-server, and what can be counted there: commands on the wire, TTL writes. */
class SessionStandaloneTest extends SessionContract {

  static RedisServer server;
  static RedisClient plain;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    plain = RedisClient.create(server.host(), server.port());
  }

  @AfterAll
  static void stop() {
    plain.close();
    server.close();
  }

  @Override
  Redwire newRedwire(CountingMetrics metrics) {
    return Redwire.builder().uri(server.uri()).namespace(namespace).metrics(metrics).build();
  }

  @Override
  UnifiedJedis raw() {
    return plain;
  }

  @Test
  void everyAccessIsOneCommandOnTheWire() throws Exception {
    try (CommandCounter counter = new CommandCounter(server.port());
        Redwire counted = Redwire.builder().uri(counter.uri()).namespace(namespace).startupCheck(false).build()) {
      SessionStore<Cart> carts = RedwireCart.store(counted);
      Cart cart = carts.create();
      cart.addItems(1); // loads the script (EVALSHA, NOSCRIPT, EVAL) once
      counter.reset();
      cart.items();
      cart.coupon("C");
      cart.addItems(2);
      cart.compareAndSetCoupon("C", "D");
      cart.summary();
      cart.address();
      Cart found = carts.find(cart.id()).orElseThrow();
      assertEquals(List.of("EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA"),
          counter.commands());
      counter.reset();
      Cart byId = carts.view(cart.id());
      assertEquals(List.of(), counter.commands(), "a view by id asks nothing until it is used");
      byId.summary();
      byId.addItems(1);
      assertEquals(List.of("EVALSHA", "EVALSHA"), counter.commands(), "a typical request: two round trips");
      Visit visit = RedwireVisit.store(counted).create();
      counter.reset();
      visit.addVisits(1);
      visit.addPages(1);
      assertEquals(List.of("EVALSHA", "EVALSHA"), counter.commands(),
          "an increment returning a view: one round trip");
      counter.reset();
      assertEquals(Optional.empty(), carts.find("not-an-id"));
      assertEquals(List.of(), counter.commands(), "a malformed id is refused without a round trip");
      carts.invalidate(found.id());
      found.coupon(); // one round trip finds the session ended
      counter.reset();
      found.coupon();
      assertEquals(List.of(), counter.commands(), "a view that saw its session end asks no more");
    }
  }

  @Test
  void theIdleTtlIsSlidWithoutAWriteWhenItWasSlidRecently() {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    Cart cart = carts.create();
    cart.items();
    server.resetStats();
    for (int i = 0; i < 20; i++) {
      cart.items();
    }
    assertEquals(0, server.commandCalls("pexpire"), "reads right after a slide write no PEXPIRE");
    assertEquals(20, server.commandCalls("evalsha"));
    // an operator's shorter TTL override is applied at the next access
    try (Redwire shorter = Redwire.builder().uri(server.uri()).namespace(namespace)
        .ttl("cart", java.time.Duration.ofMinutes(1)).build()) {
      RedwireCart.store(shorter).find(cart.id()).orElseThrow();
      long pttl = plain.pttl(key("cart", cart.id()));
      assertTrue(pttl <= 60_000 && pttl > 50_000, "pttl " + pttl);
    }
  }
}
