package io.redwire.runtime.cache;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.RedwireMetrics;
import io.redwire.runtime.key.Keys;
import io.redwire.runtime.pubsub.Subscriber;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current generation of one cache, which is part of every entry key:
 * {@code <ns>:c:<name>:<generation>:{<parts>}}. A clear-all moves the cache to a new random
 * generation (one script: SET and PUBLISH on the generation key's channel), so old entries become
 * unreachable at once and expire with their TTL.
 *
 * <p>Nothing happens at construction. The first use subscribes to the announcement channel (the shared
 * subscriber does that I/O on its own thread) and reads the generation inline, behind the circuit
 * breaker. Until a generation is known, {@link #prefix} returns a placeholder prefix that is never sent
 * to Redis: the cache is bypassed (the delegate answers) rather than writing or reading under a guessed
 * generation, which could serve entries from before a clear-all. A failed read is tried again by a
 * later call, at most every second.
 *
 * <p>Clear-alls of other instances arrive over pub/sub; as a safety net the generation is re-read on a
 * worker every 30 s (every second while the pub/sub connection is down). A clear-all that could not
 * reach Redis stays <em>pending</em>: this instance already uses the new generation, the re-read and
 * announcements do not move it back, and the clear is retried with backoff (100 ms doubling to 5 s)
 * until it lands. The retry's timer runs on {@code Redwire.renewals()}, which only hands it to {@code
 * Redwire.workers()}: the Redis call may hang for a socket timeout, and must never delay a lock
 * renewal.
 */
final class Generation {

  private static final Logger log = LoggerFactory.getLogger(Generation.class);

  /** How often the generation is re-read while the pub/sub announcement channel is down, and how soon a failed first read is tried again. */
  static final long POLL_MS = 1000;
  /** ...and while it is up: a safety net only, announcements arrive within milliseconds. */
  static final long CHECK_MS = 30_000;
  private static final long RETRY_MIN_MS = 100;
  private static final long RETRY_MAX_MS = 5000;

  private final Redwire redwire;
  private final RedwireMetrics metrics;
  private final CacheStore store;
  private final String name;
  private final byte[] base;
  private final byte[] key;
  /** The prefix handed out while no generation is known; never sent to Redis. */
  private final byte[] placeholder;

  /** The prefix of the current generation, null until one is known. */
  private volatile byte[] prefix;
  /** When a caller next triggers a re-read (ms, wall clock); also the earliest retry of a failed first read. */
  private volatile long checkAt;
  /**
   * Whether the next call should look at {@link #checkAt}: set by a timer tick once a second when the
   * time has come (and when announcements resume), so the hit path reads no clock.
   */
  private volatile boolean due = true;
  private final AtomicBoolean ticking = new AtomicBoolean();
  /** Whether the announcement channel is subscribed. */
  private volatile boolean announced;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final AtomicBoolean retrying = new AtomicBoolean();

  // guarded by this
  private String current;
  /** Generation changes applied here (clear-alls, announcements), so a read that raced with one is dropped. */
  private long changes;
  /** A clear-all that has not reached Redis yet, or null. */
  private String pending;
  private long pendingSince;
  private int attempts;

  /** Serialises the SET-and-PUBLISH of clear-alls, so they land in the order they were made. */
  private final Object publishing = new Object();

  Generation(Redwire redwire, CacheStore store, String name, byte[] base) {
    this.redwire = redwire;
    this.metrics = redwire.metrics();
    this.store = store;
    this.name = name;
    this.base = base;
    this.key = Keys.withSuffix(base, "generation".getBytes(StandardCharsets.UTF_8));
    this.placeholder = Keys.withSuffix(base, "?:".getBytes(StandardCharsets.UTF_8));
  }

  /** The generation key, also the announcement channel. */
  byte[] key() {
    return key;
  }

  /**
   * The key prefix of the current generation (or the placeholder, see {@link #isPlaceholder}). On the
   * hit path: two volatile reads unless a re-read is due.
   */
  byte[] prefix() {
    byte[] p = prefix;
    if (p != null && !due) {
      return p;
    }
    return slowPrefix();
  }

  /** Whether a generation is known (else keys carry the placeholder and the cache is bypassed). */
  boolean known() {
    return prefix != null;
  }

  /** Whether {@code key} was built on the placeholder prefix: never read, written or deleted. */
  boolean isPlaceholder(byte[] key) {
    int n = placeholder.length;
    return key.length >= n && Arrays.equals(key, 0, n, placeholder, 0, n);
  }

  /**
   * {@code key} rebuilt on the current generation when it was built on the placeholder (reading the
   * generation inline if needed), else {@code key}; null when no generation can be had.
   */
  byte[] resolve(byte[] key) {
    if (!isPlaceholder(key)) {
      return key;
    }
    byte[] p = prefix;
    if (p == null) {
      readNow();
      p = prefix;
      if (p == null) {
        return null;
      }
    }
    byte[] resolved = Arrays.copyOf(p, p.length + key.length - placeholder.length);
    System.arraycopy(key, placeholder.length, resolved, p.length, key.length - placeholder.length);
    return resolved;
  }

  private byte[] slowPrefix() {
    subscribe();
    tick();
    long now = System.currentTimeMillis();
    byte[] p = prefix;
    if (p == null) {
      // the first use (or a failed first read less than a second ago): read inline, behind the breaker
      if (now >= checkAt) {
        readNow();
      }
      p = prefix;
      return p != null ? p : placeholder;
    }
    if (now >= checkAt && refreshing.compareAndSet(false, true)) {
      checkAt = now + (announced ? CHECK_MS : POLL_MS);
      try {
        redwire.workers().execute(this::reread);
      } catch (RuntimeException closedOrFull) {
        refreshing.set(false);
      }
    }
    if (now < checkAt && ticking.get()) {
      due = false; // the tick sets it again when checkAt has passed
      // a tick or onActive() may have set it between the clock read above and the write: look again,
      // or the re-read waits a whole tick (the write order of onActive, checkAt then due, makes this
      // second look see either its checkAt or its due)
      if (System.currentTimeMillis() >= checkAt) {
        due = true;
      }
    }
    return p;
  }

  /**
   * Starts, on first use, the once-a-second tick on {@code Redwire.renewals()} that marks a re-read
   * as due when {@link #checkAt} has passed (it only writes a flag: the re-read itself runs on a
   * worker, started by the next call). Without the tick (Redwire closing) every call checks the clock.
   */
  private void tick() {
    if (ticking.get() || !ticking.compareAndSet(false, true)) {
      return;
    }
    try {
      redwire.renewals().scheduleWithFixedDelay(() -> {
        if (System.currentTimeMillis() >= checkAt) {
          due = true;
        }
      }, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException closed) {
      ticking.set(false);
    }
  }

  /** Subscribes to announcements on first use: the shared subscriber does the I/O on its thread. */
  private void subscribe() {
    if (subscribed.get() || !subscribed.compareAndSet(false, true)) {
      return;
    }
    try {
      Subscriber.of(redwire).subscribe(key, new Subscriber.Listener() {
        @Override
        public void onMessage(byte[] channel, byte[] message) {
          announced(new String(message, StandardCharsets.US_ASCII));
        }

        @Override
        public void onActive() {
          announced = true;
          checkAt = 0; // announcements may have been missed: re-read on the next call
          due = true;
        }

        @Override
        public void onInactive() {
          announced = false;
          checkAt = Math.min(checkAt, System.currentTimeMillis() + POLL_MS);
        }
      });
    } catch (IllegalStateException closed) {
      subscribed.set(false);
      throw closed;
    }
  }

  /** Reads the generation on the caller's thread; on failure the next try is a second away. */
  private void readNow() {
    long seen;
    synchronized (this) {
      if (pending != null) {
        return;
      }
      seen = changes;
    }
    String g = store.readGeneration(key, newGeneration());
    if (g == null) {
      checkAt = System.currentTimeMillis() + POLL_MS;
      return;
    }
    apply(g, seen);
    checkAt = System.currentTimeMillis() + (announced ? CHECK_MS : POLL_MS);
  }

  /** The safety-net re-read, on a worker. */
  private void reread() {
    try {
      long seen;
      synchronized (this) {
        if (pending != null) {
          return; // our clear-all has not landed: what Redis holds is older than what we use
        }
        seen = changes;
      }
      String g = store.readGeneration(key, newGeneration());
      if (g != null) {
        apply(g, seen);
      }
    } finally {
      refreshing.set(false);
    }
  }

  /** Applies what a read returned, unless a clear-all or announcement came in since the read started. */
  private synchronized void apply(String generation, long seen) {
    if (pending == null && changes == seen && !generation.equals(current)) {
      set(generation);
    }
  }

  /** A generation announced by a clear-all (ours or another instance's). */
  private synchronized void announced(String generation) {
    if (pending != null) {
      // our own clear-all is still to land; when it does it replaces this one everywhere
      log.debug("Cache {}: ignoring announced generation while a clear-all is pending", name);
      return;
    }
    changes++;
    set(generation);
  }

  private void set(String generation) {
    current = generation;
    prefix = Keys.withSuffix(base, (generation + ":").getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Clears the cache: this instance moves to a new generation at once; the SET and PUBLISH are sent
   * now and, if they do not reach Redis, retried until they do.
   */
  void clear() {
    subscribe();
    String g = newGeneration();
    synchronized (this) {
      changes++;
      if (pending == null) {
        pendingSince = System.nanoTime();
        attempts = 0;
      }
      pending = g;
      set(g);
    }
    if (!flush()) {
      metrics.cacheClearPending(name);
      log.warn("Cache {} was cleared in this instance only: Redis is unavailable. The clear-all is retried"
          + " until it reaches Redis; until then other instances may still serve the old entries", name);
      scheduleRetry(RETRY_MIN_MS);
    }
  }

  /** Sends the pending clear-all (and any made meanwhile); whether none is pending afterwards. */
  private boolean flush() {
    synchronized (publishing) {
      while (true) {
        String g;
        int n;
        synchronized (this) {
          g = pending;
          if (g == null) {
            return true;
          }
          n = ++attempts;
        }
        if (!store.publishGeneration(key, g)) {
          return false;
        }
        synchronized (this) {
          if (g.equals(pending)) {
            pending = null;
            if (n > 1) {
              log.info("Cache {}: the clear-all reached Redis after {} attempts in {} ms", name, n,
                  TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pendingSince));
            }
            return true;
          }
        }
        // another clear-all came in while this one was sent: send that one too
      }
    }
  }

  private void scheduleRetry(long delayMillis) {
    if (!retrying.compareAndSet(false, true)) {
      return; // a retry is scheduled: it sends whatever is pending then
    }
    try {
      redwire.renewals().schedule(() -> {
        try {
          redwire.workers().execute(() -> retry(delayMillis));
        } catch (RuntimeException fullOrClosed) {
          retrying.set(false);
          if (!redwire.isClosed()) {
            scheduleRetry(Math.min(RETRY_MAX_MS, delayMillis * 2));
          }
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException closed) {
      retrying.set(false);
      log.warn("Cache {}: Redwire closed with a clear-all that never reached Redis", name);
    }
  }

  private void retry(long delayMillis) {
    retrying.set(false);
    if (redwire.isClosed()) {
      log.warn("Cache {}: Redwire closed with a clear-all that never reached Redis", name);
      return;
    }
    if (!flush()) {
      scheduleRetry(Math.min(RETRY_MAX_MS, delayMillis * 2));
    }
  }

  private static String newGeneration() {
    return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }
}
