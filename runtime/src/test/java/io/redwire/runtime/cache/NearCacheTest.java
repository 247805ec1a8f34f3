package io.redwire.runtime.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.codec.Codecs;
import io.redwire.runtime.key.KeyWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The near cache's table on its own: lookups in place, the stamp check, the bound, expiry. No Redis. */
class NearCacheTest {

  static final byte[] PREFIX = "ns:c:p:g1:".getBytes(StandardCharsets.UTF_8);
  static final long NOW = System.currentTimeMillis();

  final EntryFormat<String> format = new EntryFormat<>(1L, Codecs.STRING, 60_000, 60_000, 0, false);
  NearCache<String> near;

  @BeforeEach
  void enabled() {
    near = new NearCache<>("p", new RedwireMetrics() {}, 16, 60_000);
    near.enable();
  }

  static byte[] key(long id) {
    return KeyWriter.begin(PREFIX).part(id).end();
  }

  static NearCache.Entry<String> lookup(NearCache<String> near, long id) {
    KeyWriter w = KeyWriter.begin(PREFIX).part(id);
    NearCache.Entry<String> e = near.get(w);
    if (e == null) {
      w.end(); // as the generated code does on a miss
    }
    return e;
  }

  byte[] entry(String value, long expiresAt) {
    return format.encode(value, 0, expiresAt);
  }

  @Test
  void aPutIsFoundByTheKeyStillInItsWriter() {
    long stamp = near.stamp(key(7));
    near.put(key(7), stamp, "seven", entry("seven", NOW + 60_000));
    NearCache.Entry<String> e = lookup(near, 7);
    assertNotNull(e);
    assertEquals("seven", e.value());
    assertNull(lookup(near, 8));
  }

  @Test
  void anInvalidationWhileTheValueIsOnItsWayKeepsItOut() {
    long stamp = near.stamp(key(1)); // read before the GET
    near.invalidate(key(1)); // the key changed while the GET's reply was on its way
    near.put(key(1), stamp, "old", entry("old", NOW + 60_000));
    assertNull(lookup(near, 1), "an insert with a stamp older than an invalidation is undone");

    long again = near.stamp(key(1));
    near.put(key(1), again, "new", entry("new", NOW + 60_000));
    near.invalidate(key(1)); // after the insert: removes it
    assertNull(lookup(near, 1));
  }

  @Test
  void aClearOrADisableKeepsRacingInsertsOut() {
    long stamp = near.stamp(key(2));
    near.clear();
    near.put(key(2), stamp, "old", entry("old", NOW + 60_000));
    assertNull(lookup(near, 2));
    near.disable();
    near.put(key(2), near.stamp(key(2)), "x", entry("x", NOW + 60_000));
    assertNull(lookup(near, 2), "bypassed while disabled");
    near.enable();
    assertNull(lookup(near, 2), "nothing kept from while it was disabled");
  }

  @Test
  void neverMoreThanItsSizeAndHotEntriesStay() {
    for (long id = 0; id < 16; id++) {
      near.put(key(id), near.stamp(key(id)), "v" + id, entry("v" + id, NOW + 60_000));
    }
    assertNotNull(lookup(near, 3)); // referenced: gets a second chance
    for (long id = 100; id < 1100; id++) {
      near.put(key(id), near.stamp(key(id)), "v" + id, entry("v" + id, NOW + 60_000));
      assertTrue(near.size() <= 16, "size " + near.size());
      if (id % 4 == 0) {
        assertNotNull(lookup(near, 3), "a key read all the time is not evicted (at " + id + ")");
      }
    }
  }

  @Test
  void neverServedPastTheRedisEntrysExpiryLessTheRefreshMargin() {
    near.put(key(5), near.stamp(key(5)), "gone", entry("gone", System.currentTimeMillis() - 1));
    assertNull(lookup(near, 5), "an entry already expired is not kept");
    // computed in 10 s and expiring in 30 s: 4 compute times (40 s) is past its expiry, so it is left
    // to the Redis tier, where XFetch may refresh it early
    byte[] slow = format.encode("slow", 10_000, System.currentTimeMillis() + 30_000);
    near.put(key(6), near.stamp(key(6)), "slow", slow);
    assertNull(lookup(near, 6));
    near.put(key(9), near.stamp(key(9)), "soon", entry("soon", System.currentTimeMillis() + 300));
    assertNotNull(lookup(near, 9));
    io.redwire.testing.Await.until(java.time.Duration.ofSeconds(5), () -> lookup(near, 9) == null,
        () -> "still served after its expiry");
  }

  @Test
  void aHitAllocatesNothing() {
    near.put(key(42), near.stamp(key(42)), "answer", entry("answer", NOW + 600_000));
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    NearCache.Entry<String> first = lookup(near, 42);
    for (int i = 0; i < 20_000; i++) { // warm up
      lookup(near, 42);
    }
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 100_000; i++) {
      KeyWriter w = KeyWriter.begin(PREFIX).part(42L);
      assertSame(first, near.get(w));
    }
    long bytes = threads.getThreadAllocatedBytes(id) - before;
    assertTrue(bytes < 100_000, "100,000 near hits allocated " + bytes + " bytes");
  }
}
