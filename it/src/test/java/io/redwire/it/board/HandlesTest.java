package io.redwire.it.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.board.Board;
import io.redwire.runtime.board.Ranked;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Leaderboards, counters and distinct counts through generated classes, against a real redis-server. */
class HandlesTest {

  static RedisServer server;
  static RedisClient plain;
  static final AtomicInteger namespaces = new AtomicInteger();
  Redwire redwire;

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

  @BeforeEach
  void open() {
    redwire = Redwire.builder().uri(server.uri()).namespace("h" + namespaces.incrementAndGet()).build();
  }

  @AfterEach
  void close() {
    redwire.close();
  }

  @Test
  void theSmallestUseOnAFreshRedwire() {
    Games games = RedwireGames.of(redwire);
    Board<String> chess = games.weekly("chess");
    assertEquals(10, chess.add("amy", 10));
    assertEquals(12, chess.best("bob", 12));
    assertEquals(Optional.of(new Ranked<>("amy", 2, 10)), chess.rank("amy"));
    assertEquals(List.of(new Ranked<>("bob", 1, 12), new Ranked<>("amy", 2, 10)), chess.top(5));
    assertEquals(0, games.weekly("go").size(), "the parameters select the board");
    games.pageViews("/home").increment();
    games.pageViews("/home").increment(2);
    assertEquals(3, games.views("/home"), "a default method uses the handles");
    assertTrue(games.visitors("/home").add("amy"));
    assertEquals(1, games.visitors("/home").count());
  }

  @Test
  void twoInstancesShareBoardsAndCounters() {
    try (Redwire other = Redwire.builder().uri(server.uri()).namespace(redwire.namespace()).build()) {
      Games a = RedwireGames.of(redwire);
      Games b = RedwireGames.of(other);
      a.weekly("chess").add("amy", 5);
      b.weekly("chess").add("amy", 5);
      assertEquals(Optional.of(new Ranked<>("amy", 1, 10)), b.weekly("chess").rank("amy"));
      a.pageViews("/p").increment();
      b.pageViews("/p").increment();
      assertEquals(2, a.views("/p"));
    }
  }

  @Test
  void aMixedInterfaceWrapsADelegate() {
    Shop shop = RedwireShop.wrap(new Shop() {
      int loads;

      @Override
      public Board<String> bestSellers() {
        throw new AssertionError("a handle method never calls the delegate");
      }

      @Override
      public String name(String sku) {
        return sku + "#" + ++loads;
      }

      @Override
      public String plain(String sku) {
        return "plain " + sku;
      }
    }, redwire);
    shop.bestSellers().add("sku-1", 3);
    assertEquals(List.of(new Ranked<>("sku-1", 1, 3)), shop.bestSellers().top(3));
    assertEquals("a#1", shop.name("a"));
    assertEquals("a#1", shop.name("a"));
    assertEquals("plain a", shop.plain("a"));
  }

  @Test
  void aNameClaimedAsAnotherKindIsRefused() {
    RedwireGames.of(redwire);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> RedwireClash.of(redwire));
    assertTrue(e.getMessage().contains("io.redwire.it.board.Games") && e.getMessage().contains(
        "io.redwire.it.board.Clash"), e.getMessage());
  }

  @Test
  void afterCloseEveryHandleRefuses() {
    Games games = RedwireGames.of(redwire);
    Board<String> board = games.weekly("chess");
    redwire.close();
    assertThrows(IllegalStateException.class, () -> board.add("amy", 1));
    assertThrows(IllegalStateException.class, () -> games.weekly("chess"));
    assertThrows(IllegalStateException.class, () -> games.pageViews("/p"));
    assertThrows(IllegalStateException.class, () -> RedwireGames.of(redwire));
  }

  @Test
  void everyKeyExpiresAndARollingBoardIsGoneAfterItsPeriodPlusGrace() throws Exception {
    Games games = RedwireGames.of(redwire);
    games.rush("g").add(1L, 5);
    games.daily("g").add(1L, 5);
    games.weekly("g").add("amy", 1);
    games.pageViews("/p").increment();
    games.visitors("/p").add("amy");
    java.util.Set<String> keys = plain.keys(redwire.namespace() + ":*");
    assertEquals(5, keys.size(), "one key per handle: " + keys);
    for (String key : keys) {
      assertTrue(plain.pttl(key) > 0, key + " expires");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!plain.keys(redwire.namespace() + ":board:Games.rush:*").isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the 2 s board outlived its period plus grace");
      Thread.sleep(50); // polling the server for a condition
    }
  }
}
