package io.redwire.it.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.session.SessionEndedException;
import io.redwire.runtime.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * What {@code @SessionScoped} must show, through generated classes against real servers; run on one
 * redis-server ({@link SessionStandaloneTest}) and on a 3-master Cluster ({@link SessionClusterTest}).
 */
abstract class SessionContract {

  static final AtomicInteger namespaces = new AtomicInteger();

  String namespace;
  CountingMetrics metrics;
  Redwire redwire;
  final List<Redwire> redwires = new ArrayList<>();
  final ExecutorService threads = Executors.newCachedThreadPool();

  /** A new Redwire on the server(s) under test, in {@code namespace}. */
  abstract Redwire newRedwire(CountingMetrics metrics);

  /** A plain client on the server(s) under test. */
  abstract UnifiedJedis raw();

  @BeforeEach
  void open() {
    namespace = getClass().getSimpleName().substring(0, 3).toLowerCase() + namespaces.incrementAndGet();
    metrics = new CountingMetrics();
    redwire = instance(metrics);
  }

  @AfterEach
  void close() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    redwires.forEach(Redwire::close);
  }

  Redwire instance(CountingMetrics m) {
    Redwire r = newRedwire(m);
    redwires.add(r);
    return r;
  }

  byte[] key(String store, String id) {
    return (namespace + ":session:" + store + ":{" + id.substring(0, 4) + "}:" + id.substring(4))
        .getBytes(StandardCharsets.UTF_8);
  }

  static void await(String what, Duration bound, BooleanSupplier condition) {
    long end = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5); // pacing the poll, not synchronisation: the condition decides
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  // ---------------------------------------------------------------- basics

  @Test
  void createWriteFindRead() {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    Cart cart = carts.create();
    assertTrue(cart.id().matches("[A-Za-z0-9_-]{47}"), cart.id());
    assertNull(cart.coupon(), "an absent object field reads null");
    assertEquals(0, cart.items(), "an absent integral field reads 0");
    assertEquals(3, cart.addItems(3));
    cart.coupon("SAVE10");
    cart.address(new Cart.Address("1 Main St", "Springfield"));
    Cart again = carts.find(cart.id()).orElseThrow();
    assertEquals(3, again.items());
    assertEquals("SAVE10", again.coupon());
    assertEquals(new Cart.Address("1 Main St", "Springfield"), again.address());
    assertEquals(new Cart.Summary(3, "SAVE10", null), again.summary());
    assertFalse(again.compareAndSetCoupon("OTHER", "X"));
    assertTrue(again.compareAndSetCoupon("SAVE10", null), "null update deletes the field");
    assertNull(cart.coupon());
    assertTrue(again.compareAndSetCoupon(null, "NEW"), "null expect matches an absent field");
    assertEquals("NEW", cart.coupon());
    assertEquals(1, metrics.count("sessionCreated", "cart"));
    assertEquals(1, metrics.count("sessionFound", "cart"));
    assertNotEquals(carts.create().id(), cart.id());
  }

  @Test
  void malformedIdsFindNothing() {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    for (String id : new String[] {"", "short", "x".repeat(46) + "!", "../" + "a".repeat(44), null}) {
      assertEquals(Optional.empty(), carts.find(id));
      assertFalse(carts.invalidate(id));
      assertEquals(Optional.empty(), carts.rotate(id));
    }
    assertEquals(Optional.empty(), carts.find("A".repeat(47)), "well formed, unknown");
  }

  @Test
  void aViewByIdNeedsNoRoundTripAndItsFirstAccessTellsExistence() {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    Cart cart = carts.create();
    cart.addItems(2);
    Cart byId = carts.view(cart.id());
    assertEquals(new Cart.Summary(2, null, null), byId.summary());
    assertEquals(3, byId.addItems(1));
    Cart unknown = carts.view("B".repeat(47));
    assertNull(unknown.summary());
    assertThrows(SessionEndedException.class, () -> unknown.addItems(1));
    assertFalse(raw().exists(key("cart", "B".repeat(47))), "nothing was created");
    Cart malformed = carts.view("not an id");
    assertEquals(0, malformed.items());
    assertThrows(SessionEndedException.class, () -> malformed.coupon("X"));
  }

  @Test
  void anEndedViewAnswersAbsentAndRefusesWrites() {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    Cart cart = carts.create();
    cart.coupon("C");
    cart.addItems(2);
    assertTrue(carts.invalidate(cart.id()));
    assertFalse(carts.invalidate(cart.id()));
    assertNull(cart.coupon());
    assertEquals(0, cart.items());
    assertNull(cart.summary(), "a view of an ended session is null");
    assertThrows(SessionEndedException.class, () -> cart.coupon("D"));
    assertThrows(SessionEndedException.class, () -> cart.addItems(1));
    assertThrows(SessionEndedException.class, () -> cart.compareAndSetCoupon(null, "E"));
    assertFalse(raw().exists(key("cart", cart.id())), "no write brought it back");
    assertEquals(1, metrics.count("sessionInvalidated", "cart"));
    assertEquals(1, metrics.count("sessionExpiredOnRead", "cart"));
  }

  @Test
  void afterCloseEveryCallRefuses() {
    Redwire closing = instance(new CountingMetrics());
    SessionStore<Cart> carts = RedwireCart.store(closing);
    Cart cart = carts.create();
    closing.close();
    assertThrows(IllegalStateException.class, cart::items);
    assertThrows(IllegalStateException.class, () -> cart.coupon("X"));
    assertThrows(IllegalStateException.class, carts::create);
    assertThrows(IllegalStateException.class, () -> carts.find(cart.id()));
    assertThrows(IllegalStateException.class, () -> RedwireCart.store(closing));
  }

  // ---------------------------------------------------------------- no lost updates

  @Test
  void noLostUpdates() throws Exception {
    List<SessionStore<Busy>> stores = new ArrayList<>();
    stores.add(RedwireBusy.store(redwire));
    for (int i = 1; i < 4; i++) {
      stores.add(RedwireBusy.store(instance(new CountingMetrics())));
    }
    String id = stores.get(0).create().id();
    int threadCount = 16;
    int perThread = 10_000 / threadCount;
    AtomicLong increments = new AtomicLong();
    AtomicLong casWins = new AtomicLong();
    String[] lastWrite = new String[threadCount];
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      int thread = t;
      Busy busy = stores.get(t % 4).find(id).orElseThrow();
      done.add(threads.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          switch (i % 3) {
            case 0 -> {
              busy.addCount(1);
              increments.incrementAndGet();
            }
            case 1 -> {
              String v = thread + ":" + i;
              set(busy, thread, v);
              lastWrite[thread] = v;
            }
            default -> {
              String current = busy.turn();
              String next = Integer.toString(current == null ? 1 : Integer.parseInt(current) + 1);
              if (busy.compareAndSetTurn(current, next)) {
                casWins.incrementAndGet();
              }
            }
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    Busy busy = stores.get(0).find(id).orElseThrow();
    assertEquals(increments.get(), busy.count(), "every increment counted once");
    assertTrue(casWins.get() > 0);
    assertEquals(Long.toString(casWins.get()), busy.turn(), "every successful compare-and-set took effect");
    for (int t = 0; t < threadCount; t++) {
      assertEquals(lastWrite[t], get(busy, t), "field s" + t + " holds its last write");
    }
  }

  static void set(Busy b, int field, String v) {
    switch (field) {
      case 0 -> b.s0(v);
      case 1 -> b.s1(v);
      case 2 -> b.s2(v);
      case 3 -> b.s3(v);
      case 4 -> b.s4(v);
      case 5 -> b.s5(v);
      case 6 -> b.s6(v);
      case 7 -> b.s7(v);
      case 8 -> b.s8(v);
      case 9 -> b.s9(v);
      case 10 -> b.s10(v);
      case 11 -> b.s11(v);
      case 12 -> b.s12(v);
      case 13 -> b.s13(v);
      case 14 -> b.s14(v);
      default -> b.s15(v);
    }
  }

  static String get(Busy b, int field) {
    return switch (field) {
      case 0 -> b.s0();
      case 1 -> b.s1();
      case 2 -> b.s2();
      case 3 -> b.s3();
      case 4 -> b.s4();
      case 5 -> b.s5();
      case 6 -> b.s6();
      case 7 -> b.s7();
      case 8 -> b.s8();
      case 9 -> b.s9();
      case 10 -> b.s10();
      case 11 -> b.s11();
      case 12 -> b.s12();
      case 13 -> b.s13();
      case 14 -> b.s14();
      default -> b.s15();
    };
  }

  // ---------------------------------------------------------------- no resurrection

  @Test
  void writesRacingInvalidateNeverResurrect() throws Exception {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    SessionStore<Cart> others = RedwireCart.store(instance(new CountingMetrics()));
    for (int round = 0; round < 10; round++) {
      Cart cart = carts.create();
      Cart other = others.find(cart.id()).orElseThrow();
      AtomicInteger landed = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      CountDownLatch writing = new CountDownLatch(4);
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Cart view = t % 2 == 0 ? cart : other;
        int thread = t;
        writers.add(threads.submit(() -> {
          writing.countDown();
          for (int i = 0; i < 200; i++) {
            try {
              if (thread % 2 == 0) {
                view.addItems(1);
              } else {
                view.coupon("c" + i);
              }
              landed.incrementAndGet();
            } catch (SessionEndedException e) {
              refused.incrementAndGet();
            }
          }
          return null;
        }));
      }
      writing.await();
      await("some writes", Duration.ofSeconds(10), () -> landed.get() > 20);
      assertTrue(carts.invalidate(cart.id()));
      for (Future<?> f : writers) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertTrue(refused.get() > 0, "writes after the invalidate were refused");
      assertFalse(raw().exists(key("cart", cart.id())), "round " + round + ": the session came back");
      assertEquals(Optional.empty(), carts.find(cart.id()));
    }
  }

  @Test
  void writesRacingExpiryNeverResurrect() throws Exception {
    SessionStore<Brief> briefs = RedwireBrief.store(redwire);
    for (int round = 0; round < 3; round++) {
      Brief brief = briefs.create();
      brief.note("n");
      byte[] key = key("Brief", brief.id());
      // release the writers as the idle TTL runs out
      await("the TTL to run low", Duration.ofSeconds(5), () -> raw().pttl(key) < 30);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        writers.add(threads.submit(() -> {
          go.await();
          for (int i = 0; i < 20; i++) {
            try {
              brief.addHits(1);
            } catch (SessionEndedException e) {
              return null;
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : writers) {
        f.get(30, TimeUnit.SECONDS);
      }
      // either a write slid the TTL in time (a whole session), or the session ended: never a bare hash
      if (raw().exists(key)) {
        assertTrue(raw().hexists(key, "@a".getBytes(StandardCharsets.UTF_8)), "a partial hash was created");
      }
      await("the idle expiry", Duration.ofSeconds(5), () -> !raw().exists(key));
      assertThrows(SessionEndedException.class, () -> brief.addHits(1));
      assertThrows(SessionEndedException.class, () -> brief.note("late"));
      assertFalse(raw().exists(key), "a write after expiry brought it back");
      assertEquals(0, brief.hits());
      assertEquals(Optional.empty(), briefs.find(brief.id()));
    }
    assertTrue(metrics.count("sessionExpiredOnRead", "Brief") >= 3);
  }

  // ---------------------------------------------------------------- rotation

  @Test
  void rotationUnderLoad() throws Exception {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    Cart first = carts.create();
    first.coupon("KEEP");
    AtomicReference<Cart> current = new AtomicReference<>(first);
    AtomicLong added = new AtomicLong();
    AtomicInteger refused = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      writers.add(threads.submit(() -> {
        while (!stop.get()) {
          Cart view = current.get();
          try {
            view.addItems(1);
            added.incrementAndGet();
          } catch (SessionEndedException e) {
            refused.incrementAndGet(); // clearly refused: the caller retries on the new id
          }
        }
        return null;
      }));
    }
    await("writes before the rotation", Duration.ofSeconds(10), () -> added.get() > 200);
    Cart rotated = carts.rotate(first.id()).orElseThrow();
    current.set(rotated);
    long before = added.get();
    await("writes after the rotation", Duration.ofSeconds(10), () -> added.get() > before + 200);
    stop.set(true);
    for (Future<?> f : writers) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertNotEquals(first.id(), rotated.id());
    assertEquals(first.id().substring(0, 4), rotated.id().substring(0, 4), "the slot tag is kept");
    assertEquals(Optional.empty(), carts.find(first.id()), "the old id finds nothing");
    assertFalse(raw().exists(key("cart", first.id())));
    assertEquals(added.get(), rotated.items(), "every write that succeeded is in the rotated session");
    assertEquals("KEEP", rotated.coupon());
    assertEquals(1, metrics.count("sessionRotated", "cart"));
  }

  // ---------------------------------------------------------------- timeouts

  @Test
  void absoluteTimeoutEndsAnActiveSession() {
    SessionStore<Bounded> store = RedwireBounded.store(redwire);
    Bounded b = store.create();
    // the deadline the server fixed at creation (server ms; the test servers share this machine's clock)
    long deadline = Long.parseLong(new String(raw().hget(key("Bounded", b.id()),
        "@a".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII));
    long giveUp = System.currentTimeMillis() + 10_000;
    long lastSuccessStarted = 0;
    long refusalEnded = 0;
    while (refusalEnded == 0) {
      assertTrue(System.currentTimeMillis() < giveUp, "the session outlived its absolute timeout by 8 s");
      long before = System.currentTimeMillis();
      try {
        b.addHits(1); // active all along: the idle TTL (10 s) never runs out
        lastSuccessStarted = before;
      } catch (SessionEndedException e) {
        refusalEnded = System.currentTimeMillis();
      }
      try {
        Thread.sleep(20); // the pace of a busy user, not synchronisation
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    // bounds that hold however slow the machine is: no write began after the deadline and still
    // succeeded, and the session did not end before its deadline (5 ms for clock granularity)
    assertTrue(lastSuccessStarted < deadline + 5, "a write that began " + (lastSuccessStarted - deadline)
        + " ms after the deadline succeeded");
    assertTrue(refusalEnded >= deadline - 5, "ended " + (deadline - refusalEnded) + " ms before the deadline");
    assertTrue(lastSuccessStarted > 0, "the session was active before its deadline");
    assertEquals(0, b.hits());
    assertTrue(metrics.count("sessionExpiredOnRead", "Bounded") >= 1);
  }

  @Test
  void anAbsoluteTimeoutAddedByADeployReachesSessionsCreatedBefore() {
    // an instance of the older build, without absolute, creates the session...
    OldBounded before = RedwireOldBounded.store(instance(new CountingMetrics())).create();
    before.addHits(1);
    byte[] key = key("Bounded", before.id());
    assertEquals("0", new String(raw().hget(key, "@a".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII));
    // ...and the new build (absolute = "2s") gives it the deadline it would have had
    Bounded after = RedwireBounded.store(redwire).find(before.id()).orElseThrow();
    long created = Long.parseLong(new String(raw().hget(key, "@c".getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.US_ASCII));
    long deadline = Long.parseLong(new String(raw().hget(key, "@a".getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.US_ASCII));
    assertEquals(created + 2_000, deadline);
    assertTrue(raw().pttl(key) <= 2_000, "the idle TTL is capped at the deadline: " + raw().pttl(key));
    assertEquals(2, after.addHits(1));
    await("the absolute timeout", Duration.ofSeconds(10), () -> {
      try {
        before.addHits(1); // the older build's writes keep it active, and meet the deadline too
        return false;
      } catch (SessionEndedException e) {
        return true;
      }
    });
    assertEquals(Optional.empty(), RedwireBounded.store(redwire).find(before.id()));
  }

  // ---------------------------------------------------------------- the user index

  @Test
  void maxPerUserEvictsTheOldest() {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    List<Cart> amy = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Cart c = carts.create();
      c.userId("amy");
      amy.add(c); // logins in one millisecond keep their order
    }
    assertEquals(Optional.empty(), carts.find(amy.get(0).id()), "the oldest was evicted");
    assertThrows(SessionEndedException.class, () -> amy.get(0).addItems(1));
    for (int i = 1; i < 4; i++) {
      assertTrue(carts.find(amy.get(i).id()).isPresent());
    }
    assertEquals(List.of(amy.get(1).id(), amy.get(2).id(), amy.get(3).id()), carts.sessionsOf("amy"));
    assertEquals("amy", amy.get(3).summary().userId());
  }

  @Test
  void logOutEverywhere() {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    SessionStore<Cart> elsewhere = RedwireCart.store(instance(new CountingMetrics()));
    List<String> bob = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Cart c = (i % 2 == 0 ? carts : elsewhere).create();
      c.userId("bob");
      bob.add(c.id());
    }
    Cart amy = carts.create();
    amy.userId("amy");
    Cart rotated = carts.rotate(bob.get(2)).orElseThrow();
    bob.set(2, rotated.id());
    assertEquals(bob.size(), carts.sessionsOf("bob").size());
    assertTrue(carts.sessionsOf("bob").contains(rotated.id()), "rotation moved the index entry");
    assertEquals(3, carts.invalidateAll("bob"));
    for (String id : bob) {
      assertEquals(Optional.empty(), carts.find(id));
    }
    assertEquals(List.of(), carts.sessionsOf("bob"));
    assertTrue(carts.find(amy.id()).isPresent(), "another user's session stays");
    assertEquals(List.of(amy.id()), carts.sessionsOf("amy"));
    amy.userId("carol");
    assertEquals(List.of(), carts.sessionsOf("amy"), "a changed user leaves the old index");
    assertEquals(List.of(amy.id()), carts.sessionsOf("carol"));
  }

  @Test
  void aRotationWhoseIndexEntryIsGoneEndsTheSession() {
    // the state a rotation meets when invalidateAll (or a maxPerUser eviction) took its index entry
    // between the rotation's rename and its index move: the session must not survive under the new id
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    Cart c = carts.create();
    c.userId("fay");
    byte[] index = (namespace + ":session-user:cart:{fay}").getBytes(StandardCharsets.UTF_8);
    assertEquals(1, raw().zrem(index, c.id().getBytes(StandardCharsets.US_ASCII)));
    assertEquals(Optional.empty(), carts.rotate(c.id()), "a logged-out session is not rotated");
    assertEquals(Optional.empty(), carts.find(c.id()));
    assertEquals(List.of(), carts.sessionsOf("fay"));
    assertThrows(SessionEndedException.class, () -> c.addItems(1));
  }

  @Test
  void logOutEverywhereEndsASessionThatKeepsRotating() throws Exception {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    SessionStore<Cart> attacker = RedwireCart.store(instance(new CountingMetrics()));
    for (int round = 0; round < 30; round++) {
      String user = "gus" + round;
      Cart c = carts.create();
      c.userId(user);
      AtomicReference<String> current = new AtomicReference<>(c.id());
      AtomicInteger rotations = new AtomicInteger();
      Future<?> rotating = threads.submit(() -> {
        while (true) {
          Optional<Cart> next = attacker.rotate(current.get());
          if (next.isEmpty()) {
            return null;
          }
          current.set(next.get().id());
          rotations.incrementAndGet();
        }
      });
      await("some rotations", Duration.ofSeconds(10), () -> rotations.get() > 3);
      carts.invalidateAll(user);
      rotating.get(10, TimeUnit.SECONDS); // before the fix, a session could survive and rotate on forever
      assertEquals(Optional.empty(), carts.find(current.get()), "round " + round + ": it survived");
      assertEquals(List.of(), carts.sessionsOf(user));
    }
  }

  @Test
  void theUserIndexExpires() {
    SessionStore<Cart> carts = RedwireCart.store(redwire);
    Cart c = carts.create();
    c.userId("dan");
    byte[] index = (namespace + ":session-user:cart:{dan}").getBytes(StandardCharsets.UTF_8);
    long ttl = raw().pttl(index);
    assertTrue(ttl > 0 && ttl <= Duration.ofHours(8).toMillis(), "index ttl " + ttl);
  }

  // ---------------------------------------------------------------- deploy safety

  @Test
  void anIntIncrementBeyondTheIntRangeWritesNothing() {
    Tally t = RedwireTally.store(redwire).create();
    assertEquals(Integer.MAX_VALUE - 1, t.addVisits(Integer.MAX_VALUE - 1));
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> t.addVisits(2));
    assertTrue(e.getMessage().contains("visits"), e.getMessage());
    assertEquals(Integer.MAX_VALUE - 1, t.visits(), "the refused increment wrote nothing");
    assertEquals(Integer.MAX_VALUE, t.addVisits(1));
    assertThrows(ArithmeticException.class, () -> t.addVisits(1));
    assertEquals(-1, t.addVisits(Integer.MIN_VALUE));
    assertThrows(ArithmeticException.class, () -> t.addVisits(Integer.MIN_VALUE));
    assertEquals(-1, t.visits());
    assertEquals(0, metrics.count("sessionDecodeFailure", "Tally"), "no value out of range was ever stored");
  }

  @Test
  void aLongIncrementBeyondTheLongRangeWritesNothing() {
    Cart c = RedwireCart.store(redwire).create();
    assertEquals(Long.MAX_VALUE - 1, c.addItems(Long.MAX_VALUE - 1));
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> c.addItems(2));
    assertTrue(e.getMessage().contains("items"), e.getMessage());
    assertEquals(Long.MAX_VALUE - 1, c.items(), "the refused increment wrote nothing");
    assertEquals(Long.MAX_VALUE, c.addItems(1));
    assertEquals(0, metrics.count("sessionDecodeFailure", "cart"));
  }

  @Test
  void anIncrementOfDigitsBeyondTheLongRangeStartsFromAbsent() {
    // digits the pattern of a decimal integer matches but HINCRBY refuses (a read reports them too)
    Cart c = RedwireCart.store(redwire).create();
    raw().hset(key("cart", c.id()), "items".getBytes(StandardCharsets.UTF_8),
        "123456789012345678901234".getBytes(StandardCharsets.UTF_8));
    assertEquals(3, c.addItems(3), "counted as absent, as a read counts them");
    assertEquals(3, c.items());
    assertEquals(1, metrics.count("sessionDecodeFailureField", "cart.items"), "the increment reported them");
  }

  @Test
  void aCompareAndSetOfASetOrMapMatchesAnEqualValueInAnyOrder() {
    Tally t = RedwireTally.store(redwire).create();
    t.tags(new LinkedHashSet<>(List.of("b", "a"))); // as another instance's Set.of may order them
    assertTrue(t.compareAndSetTags(new LinkedHashSet<>(List.of("a", "b")), Set.of("c")), "an equal set");
    assertEquals(Set.of("c"), t.tags());
    assertFalse(t.compareAndSetTags(Set.of("a", "b"), Set.of("d")), "an unequal set");
    assertFalse(t.compareAndSetTags(null, Set.of("d")), "present, not absent");
    assertEquals(Set.of("c"), t.tags());
    Map<String, Integer> stock = new LinkedHashMap<>();
    stock.put("y", 1);
    stock.put("x", 2);
    t.stock(stock);
    Map<String, Integer> reordered = new LinkedHashMap<>();
    reordered.put("x", 2);
    reordered.put("y", 1);
    assertTrue(t.compareAndSetStock(reordered, Map.of()), "an equal map");
    assertEquals(Map.of(), t.stock());
    assertFalse(t.compareAndSetStock(reordered, null));
    assertTrue(t.compareAndSetStock(Map.of(), null));
    assertTrue(t.compareAndSetStock(null, reordered), "absent matches null");
  }

  @Test
  void anIncrementOfAFieldStoredByAnOlderShapeStartsFromAbsent() {
    // the older build had no addItems: it stored items by its codec, not as a decimal integer
    OldCart before = RedwireOldCart.store(instance(new CountingMetrics())).create();
    before.items(7);
    before.coupon("OLD");
    Cart after = RedwireCart.store(redwire).find(before.id()).orElseThrow();
    assertEquals(0, after.items(), "the older shape reads as absent");
    assertEquals(1, metrics.count("sessionDecodeFailureField", "cart.items"));
    assertEquals(2, after.addItems(2), "an increment starts from absent, as the read does");
    assertEquals(2, after.items());
    assertEquals("OLD", after.coupon());
    assertEquals(2, metrics.count("sessionDecodeFailureField", "cart.items"), "the increment reported it");
    before.items(9);
    assertTrue(after.compareAndSetItems(0, 5), "a compare-and-set sees the older shape as absent (0)");
    assertEquals(5, after.items());
  }

  @Test
  void aFieldOfAnOlderShapeReadsAbsentAndTheOthersStillRead() {
    // an instance still running the older build writes the session...
    Redwire old = instance(new CountingMetrics());
    OldCart before = RedwireOldCart.store(old).create();
    before.coupon("OLD");
    before.address(new OldCart.Address("1 Main St"));
    before.userId("eve");
    // ...and the new build reads it
    Cart after = RedwireCart.store(redwire).find(before.id()).orElseThrow();
    assertNull(after.address(), "the older shape reads as absent");
    assertEquals("OLD", after.coupon(), "the other fields still read");
    assertEquals("eve", after.userId());
    assertEquals(new Cart.Summary(0, "OLD", "eve"), after.summary());
    assertEquals(1, metrics.count("sessionDecodeFailure", "cart"));
    assertEquals(1, metrics.count("sessionDecodeFailureField", "cart.address"));
    after.address(new Cart.Address("2 High St", "Shelbyville"));
    assertEquals(new Cart.Address("2 High St", "Shelbyville"), after.address());
  }

  // ---------------------------------------------------------------- increments returning a view

  @Test
  void anIncrementReturningAViewAddsAndReadsTheViewInOneAccess() {
    SessionStore<Visit> visits = RedwireVisit.store(redwire);
    Visit v = visits.create();
    Visit.Address home = new Visit.Address("1 Main St", "Springfield");
    v.userId("ann");
    v.address(home);
    assertEquals(new Visit.Request("ann", 1, home, 0), v.addVisits(1), "the incremented value and the others");
    assertEquals(new Visit.Request("ann", 5, home, 0), v.addVisits(4));
    assertEquals(new Visit.Request("ann", 3, home, 0), v.addVisits(-2));
    assertEquals(3, v.visits());
    assertEquals(new Visit.Pages(2, 3), v.addPages(2), "an int field");
    assertEquals(new Visit.Who("ann"), v.addHits(7), "a record without the incremented field");
    assertEquals(7, v.hits());
    Visit byId = visits.view(v.id());
    assertEquals(new Visit.Request("ann", 4, home, 2), byId.addVisits(1), "a view by id: its first access");
    assertEquals(0, metrics.count("sessionDecodeFailure", "visit"));
  }

  @Test
  void anIncrementReturningAViewSlidesTheIdleTtlAndChecksTheAbsoluteDeadline() {
    SessionStore<Visit> visits = RedwireVisit.store(redwire);
    Visit v = visits.create();
    byte[] key = key("visit", v.id());
    raw().pexpire(key, 10_000);
    v.addVisits(1);
    long pttl = raw().pttl(key);
    assertTrue(pttl > 30 * 60_000 - 60_000, "the idle TTL was slid: pttl " + pttl);
    raw().hset(key, "@a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8));
    assertThrows(SessionEndedException.class, () -> v.addVisits(1));
    assertFalse(raw().exists(key), "past its absolute deadline the session was deleted");
    assertEquals(1, metrics.count("sessionExpiredOnRead", "visit"));
    assertThrows(SessionEndedException.class, () -> v.addPages(1), "and the view remembers it");
  }

  @Test
  void anIncrementReturningAViewOfAnEndedSessionThrowsAndWritesNothing() {
    SessionStore<Visit> visits = RedwireVisit.store(redwire);
    Visit v = visits.create();
    v.addVisits(1);
    assertTrue(visits.invalidate(v.id()));
    SessionEndedException e = assertThrows(SessionEndedException.class, () -> v.addVisits(1));
    assertTrue(e.getMessage().contains("visits"), e.getMessage());
    assertThrows(SessionEndedException.class, () -> v.addPages(1));
    assertFalse(raw().exists(key("visit", v.id())), "no write brought it back");
    Visit unknown = visits.view("C".repeat(47));
    assertThrows(SessionEndedException.class, () -> unknown.addVisits(1));
    assertFalse(raw().exists(key("visit", "C".repeat(47))), "nothing was created");
    Visit malformed = visits.view("not an id");
    assertThrows(SessionEndedException.class, () -> malformed.addVisits(1));
  }

  @Test
  void concurrentIncrementsReturningAViewAreExact() throws Exception {
    String id = RedwireVisit.store(redwire).create().id();
    int threadCount = 8;
    int perThread = 500;
    Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      Visit v = RedwireVisit.store(t % 2 == 0 ? redwire : instance(new CountingMetrics())).view(id);
      done.add(threads.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          assertTrue(seen.add(v.addVisits(1).visits()), "each increment answers its own value");
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    Visit v = RedwireVisit.store(redwire).view(id);
    assertEquals(threadCount * perThread, v.visits(), "every increment counted once");
    assertEquals(threadCount * perThread, seen.size());
    assertEquals(threadCount * perThread, java.util.Collections.max(seen));
  }

  @Test
  void anIncrementReturningAViewIsExactBeyondTwoToThe53AndRefusesOverflow() {
    Visit v = RedwireVisit.store(redwire).create();
    long big = (1L << 53) + 1; // not a double
    assertEquals(big, v.addVisits(big).visits());
    assertEquals(big + 2, v.addVisits(2).visits());
    assertEquals(Long.MAX_VALUE, v.addVisits(Long.MAX_VALUE - big - 2).visits());
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> v.addVisits(1));
    assertTrue(e.getMessage().contains("visits"), e.getMessage());
    assertEquals(Long.MAX_VALUE, v.visits(), "the refused increment wrote nothing");
    assertEquals(new Visit.Pages(Integer.MAX_VALUE, Long.MAX_VALUE), v.addPages(Integer.MAX_VALUE));
    assertThrows(ArithmeticException.class, () -> v.addPages(1));
    assertEquals(Integer.MAX_VALUE, v.pages(), "the refused int increment wrote nothing");
    assertEquals(0, metrics.count("sessionDecodeFailure", "visit"));
  }

  @Test
  void anIntIncrementCountsDigitsOutsideTheIntRangeOrRefusedByHincrbyAsAbsentAsTheReadDoes() {
    Visit v = RedwireVisit.store(redwire).create();
    byte[] key = key("visit", v.id());
    byte[] pages = "pages".getBytes(StandardCharsets.UTF_8);
    raw().hset(key, pages, "5000000000".getBytes(StandardCharsets.UTF_8)); // an older long shape of the field
    assertEquals(0, v.pages(), "the read counts it absent");
    assertEquals(new Visit.Pages(1, 0), v.addPages(1), "so the increment starts from absent, not refusing forever");
    raw().hset(key, pages, "99999999999999999999".getBytes(StandardCharsets.UTF_8)); // more than a long holds
    assertEquals(new Visit.Pages(2, 0), v.addPages(2));
    raw().hset(key, pages, "007".getBytes(StandardCharsets.UTF_8)); // digits HINCRBY refuses
    assertEquals(new Visit.Pages(3, 0), v.addPages(3), "no script error");
    assertEquals(3, v.pages());
    assertEquals(4, metrics.count("sessionDecodeFailureField", "visit.pages"), "the read and each increment reported it");
  }

  @Test
  void anIncrementReturningAViewReadsAFieldOfAnOlderShapeAsAbsentAndTheOthersStill() {
    OldVisit before = RedwireOldVisit.store(instance(new CountingMetrics())).create();
    before.userId("eve");
    before.visits(7); // stored by its codec: no increment in the older build
    before.address(new OldVisit.Address("1 Main St"));
    Visit after = RedwireVisit.store(redwire).view(before.id());
    assertEquals(new Visit.Request("eve", 2, null, 0), after.addVisits(2),
        "the increment starts from absent, the older address reads absent, the user still reads");
    assertEquals(1, metrics.count("sessionDecodeFailureField", "visit.visits"), "the increment reported it");
    assertEquals(1, metrics.count("sessionDecodeFailureField", "visit.address"), "the view reported it");
    assertEquals(new Visit.Request("eve", 3, null, 0), after.addVisits(1));
    assertEquals(1, metrics.count("sessionDecodeFailureField", "visit.visits"), "replaced: reported once");
    after.address(new Visit.Address("2 High St", "Shelbyville"));
    assertEquals(new Visit.Request("eve", 4, new Visit.Address("2 High St", "Shelbyville"), 0), after.addVisits(1));
  }
}
