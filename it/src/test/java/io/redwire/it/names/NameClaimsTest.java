package io.redwire.it.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.cache.CacheRegion;
import io.redwire.runtime.cache.CacheSettings;
import io.redwire.runtime.codec.Codecs;
import io.redwire.runtime.lock.LockSettings;
import io.redwire.runtime.lock.RedwireLock;
import io.redwire.runtime.ratelimit.RateLimit;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.runtime.ratelimit.RateLimiter;
import io.redwire.testing.RedisServer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Default names keep interfaces apart; explicit names share on purpose, and a name reused with another
 * kind or shape is refused when the second interface is wrapped. Through generated proxies, against a
 * real redis-server.
 */
class NameClaimsTest {

  static final String PRICES = "io.redwire.it.names.Prices";

  static RedisServer server;
  static final AtomicInteger namespaces = new AtomicInteger();

  Redwire redwire;
  final List<Redwire> extra = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @BeforeEach
  void open() {
    redwire = newRedwire();
  }

  @AfterEach
  void close() {
    redwire.close();
    extra.forEach(Redwire::close);
  }

  Redwire newRedwire() {
    Redwire r = Redwire.builder().uri(server.uri()).namespace("n" + namespaces.incrementAndGet())
        .startupCheck(false).build();
    return r;
  }

  /** Counts calls per method name and answers with {@code <tag> <argument>}. */
  static final class Calls {
    final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    String call(String method, String tag, Object arg) {
      counts.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
      return tag + " " + arg;
    }

    int count(String method) {
      AtomicInteger n = counts.get(method);
      return n == null ? 0 : n.get();
    }
  }

  static Users users(Calls calls) {
    return new Users() {
      @Override public String name(long id) { return calls.call("name", "user", id); }
      @Override public String ping(long id) { return calls.call("ping", "user", id); }
    };
  }

  static Products products(Calls calls) {
    return new Products() {
      @Override public String name(long id) { return calls.call("name", "product", id); }
      @Override public String ping(long id) { return calls.call("ping", "product", id); }
    };
  }

  @Test
  void sameMethodNamesInTwoInterfacesNeverShareCacheEntries() {
    Calls u = new Calls();
    Calls p = new Calls();
    Users cachedUsers = RedwireUsers.wrap(users(u), redwire);
    Products cachedProducts = RedwireProducts.wrap(products(p), redwire);
    assertEquals("user 1", cachedUsers.name(1));
    assertEquals("product 1", cachedProducts.name(1), "not the user's entry");
    assertEquals("user 1", cachedUsers.name(1));
    assertEquals("product 1", cachedProducts.name(1));
    assertEquals(1, u.count("name"), "the second call was a hit");
    assertEquals(1, p.count("name"), "the second call was a hit");
    String keys = server.command("KEYS", "*name*");
    assertTrue(keys.contains(":Users.name:") && keys.contains(":Products.name:"), keys);
  }

  @Test
  void sameMethodNamesInTwoInterfacesNeverShareRateLimitBudgets() {
    Users limitedUsers = RedwireUsers.wrap(users(new Calls()), redwire);
    Products limitedProducts = RedwireProducts.wrap(products(new Calls()), redwire);
    limitedUsers.ping(7);
    limitedUsers.ping(7);
    RateLimitedException e = assertThrows(RateLimitedException.class, () -> limitedUsers.ping(7));
    assertEquals("Users.ping", e.name());
    assertEquals("product 7", limitedProducts.ping(7), "the users' calls spent none of the products' budget");
    assertEquals("product 7", limitedProducts.ping(7));
    assertEquals("Products.ping", assertThrows(RateLimitedException.class, () -> limitedProducts.ping(7)).name());
  }

  @Test
  void anExplicitlySharedNameWithTheSameShapesIsShared() {
    Calls a = new Calls();
    Calls b = new Calls();
    Prices prices = RedwirePrices.wrap(new Prices() {
      @Override public BigDecimal price(String sku) {
        a.call("price", "a", sku);
        return BigDecimal.ONE;
      }
      @Override public String quote(String sku) { return a.call("quote", "a", sku); }
    }, redwire);
    PricesToo pricesToo = RedwirePricesToo.wrap(new PricesToo() {
      @Override public BigDecimal lookup(String code) {
        b.call("lookup", "b", code);
        return BigDecimal.TEN;
      }
      @Override public String ask(String code) { return b.call("ask", "b", code); }
    }, redwire);
    assertEquals(BigDecimal.ONE, prices.price("x"));
    assertEquals(BigDecimal.ONE, pricesToo.lookup("x"), "the entry Prices stored");
    assertEquals(0, b.count("lookup"));
    prices.quote("q");
    pricesToo.ask("q");
    prices.quote("q");
    RateLimitedException e = assertThrows(RateLimitedException.class, () -> pricesToo.ask("q"));
    assertEquals("shared-quota", e.name());
    assertEquals(2, a.count("quote"));
    assertEquals(1, b.count("ask"), "one budget of 3 for both interfaces");
  }

  @Test
  void aSharedNameWithAnotherValueTypeIsRefused() {
    RedwirePrices.wrap(unusedPrices(), redwire);
    refused(() -> RedwireConflicts_OtherValue.wrap(sku -> 1L, redwire), PRICES,
        "io.redwire.it.names.Conflicts.OtherValue", "as a cache (value=java.lang.Long#");
  }

  @Test
  void aSharedNameWithAnotherKeyShapeIsRefused() {
    RedwirePrices.wrap(unusedPrices(), redwire);
    refused(() -> RedwireConflicts_OtherKey.wrap(id -> BigDecimal.ONE, redwire), PRICES,
        "io.redwire.it.names.Conflicts.OtherKey", ";key=integer;");
  }

  @Test
  void aSharedNameWithAnotherAlgorithmIsRefused() {
    RedwirePrices.wrap(unusedPrices(), redwire);
    refused(() -> RedwireConflicts_OtherAlgorithm.wrap(sku -> sku, redwire), PRICES,
        "io.redwire.it.names.Conflicts.OtherAlgorithm", "as a rate-limit (algorithm=SLIDING_WINDOW;key=String;");
  }

  @Test
  void aSharedNameWithOtherSettingsIsRefused() {
    RedwirePrices.wrap(unusedPrices(), redwire);
    refused(() -> RedwireConflicts_OtherTtl.wrap(sku -> BigDecimal.ONE, redwire), PRICES,
        "io.redwire.it.names.Conflicts.OtherTtl", ";ttl=300000;");
    refused(() -> RedwireConflicts_OtherLimit.wrap(sku -> sku, redwire), PRICES,
        "io.redwire.it.names.Conflicts.OtherLimit", ";limit=30/3600000ms;");
  }

  @Test
  void aSharedNameOfAnotherKindIsRefused() {
    RedwirePrices.wrap(unusedPrices(), redwire);
    refused(() -> RedwireConflicts_OtherKind.wrap(sku -> sku, redwire), PRICES,
        "io.redwire.it.names.Conflicts.OtherKind", "as a lock (key=String)");
  }

  @Test
  void refusedInEitherOrder() {
    RedwireConflicts_OtherKind.wrap(sku -> sku, redwire);
    refused(() -> RedwirePrices.wrap(unusedPrices(), redwire), "io.redwire.it.names.Conflicts.OtherKind",
        PRICES, "as a cache (value=java.math.BigDecimal#");
  }

  @Test
  void wrappingTheSameInterfaceTwiceIsFine() {
    Calls calls = new Calls();
    RedwireUsers.wrap(users(calls), redwire).name(3);
    assertEquals("user 3", RedwireUsers.wrap(users(calls), redwire).name(3));
    assertEquals(1, calls.count("name"), "both proxies use one cache");
  }

  @Test
  void theSmallestInterfaceWrapsOnAFreshRedwire() {
    AtomicInteger loads = new AtomicInteger();
    Accounts accounts = RedwireAccounts.wrap(id -> "account " + id + " #" + loads.incrementAndGet(), redwire);
    assertEquals("account 42 #1", accounts.byId(42));
    assertEquals("account 42 #1", accounts.byId(42));
    assertEquals(1, loads.get());
  }

  @Test
  void wrapAfterCloseIsRefused() {
    Redwire closed = newRedwire();
    closed.close();
    assertThrows(IllegalStateException.class, () -> RedwireAccounts.wrap(id -> "x", closed));
  }

  /**
   * Property: a fresh {@code Redwire} takes a cache, a rate limit and a lock of any valid name, and a
   * proxy beside them (an earlier runtime failed with "Recursive update" for about one name in 16).
   */
  @Test
  void anyNameWorksOnAFreshRedwire() {
    Random random = new Random(20261201L);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    for (int i = 0; i < 200; i++) {
      StringBuilder name = new StringBuilder();
      for (int n = 1 + random.nextInt(24); n > 0; n--) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String cacheName = name.toString();
      Redwire fresh = newRedwire();
      try {
        fresh.claim("cache", cacheName, "property", "value=java.lang.String#0;key=");
        CacheRegion.of(fresh, new CacheSettings(cacheName, 60_000, 0, false, 60_000,
            CacheSettings.Refresh.EARLY), 0L, Codecs.STRING);
        fresh.claim("rate-limit", cacheName + "-1s", "property", "algorithm=GCRA;key=");
        RateLimiter.of(fresh, RateLimiter.Algorithm.GCRA, RateLimiter.OnLimit.THROW,
            RateLimiter.OnFailure.ALLOW, 0, 1, new RateLimit(cacheName + "-1s", 10, 1000, 0, 0));
        fresh.claim("lock", cacheName + ".lock", "property", "key=");
        RedwireLock.of(fresh, new LockSettings(cacheName + ".lock", 0, 0));
        Accounts accounts = RedwireAccounts.wrap(id -> cacheName, fresh);
        assertEquals(cacheName, accounts.byId(i), "name " + cacheName);
      } finally {
        fresh.close();
      }
    }
  }

  @Test
  void aGenericBaseIsImplementedThroughItsSubInterface() {
    Map<Long, AtomicInteger> loads = new ConcurrentHashMap<>();
    AccountRepo repo = RedwireAccountRepo.wrap(new AccountRepo() {
      @Override public Account find(Long id) {
        loads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        return new Account(id, "owner " + id);
      }
      @Override public void forget(Long id) {}
    }, redwire);
    assertEquals(new AccountRepo.Account(5, "owner 5"), repo.find(5L));
    assertEquals(new AccountRepo.Account(5, "owner 5"), repo.find(5L));
    assertEquals(1, loads.get(5L).get(), "the second find was a hit");
    repo.forget(5L);
    repo.find(5L);
    assertEquals(2, loads.get(5L).get(), "forget evicted the entry");
    String keys = server.command("KEYS", "*:AccountRepo.find:*");
    assertTrue(keys.contains("AccountRepo.find"), keys);
  }

  @Test
  void aDefaultMethodCallingACachedMethodRunsOnTheDelegateAndBypassesTheCache() {
    Calls calls = new Calls();
    Greeter greeter = RedwireGreeter.wrap(id -> calls.call("name", "name", id), redwire);
    assertEquals("hello name 1", greeter.greet(1));
    assertEquals("hello name 1", greeter.greet(1));
    assertEquals(2, calls.count("name"), "greet() ran on the delegate, whose name() is not cached");
    greeter.name(1);
    greeter.name(1);
    assertEquals(3, calls.count("name"), "name() through the proxy is cached");
  }

  private static Prices unusedPrices() {
    return new Prices() {
      @Override public BigDecimal price(String sku) { return BigDecimal.ONE; }
      @Override public String quote(String sku) { return sku; }
    };
  }

  /** The second wrap throws, naming the first owner, the second owner and the second shape. */
  private static void refused(Executable wrap, String first, String second, String secondShape) {
    IllegalStateException e = assertThrows(IllegalStateException.class, wrap);
    for (String part : List.of("used by " + first + " as a ", "and by " + second + " as a ", secondShape)) {
      assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
    }
  }
}
