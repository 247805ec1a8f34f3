package io.redwire.runtime.cache;

import io.redwire.runtime.Failures;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.pubsub.Subscriber;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Keeps one {@link NearCache} coherent with Redis. Two modes, chosen once:
 *
 * <ul>
 *   <li><b>Tracking</b> ({@code RedisClient} and {@code RedisSentinelClient}, a server with
 *       {@code CLIENT TRACKING}: Redis 6+, Valkey): a connection of its own, on a daemon thread
 *       {@code redwire-near-<cache>}, runs {@code CLIENT TRACKING ON REDIRECT <its own id> BCAST PREFIX
 *       <ns>:c:<name>:} and subscribes to {@code __redis__:invalidate}. The server then announces every
 *       change of a key of the cache, whoever made it (another instance's put or evict, a plain
 *       {@code SET} of an unrelated client, an expiry, a {@code FLUSHALL}). The tracking lives and dies
 *       with that one connection, which speaks RESP2 ({@code HELLO 2} when the client uses RESP3) so the
 *       invalidations arrive as pub/sub messages.
 *   <li><b>Messages</b> (a Cluster, where every master would need its own tracking connection; another
 *       kind of client; a server without tracking): Redwire's own writers publish the key after a
 *       put or evict on {@code <ns>:c:<name>:near}, received through the shared {@link Subscriber}.
 *       Writes that do not go through Redwire are not seen: the entry's TTL bounds staleness then.
 * </ul>
 *
 * <p>In both modes clear-alls clear the whole near cache (the generation key changes), and the near
 * cache serves only while the connection that carries invalidations is confirmed: until then, and
 * whenever it drops (a kill, a restart, a silent peer found by the health check), it is cleared and
 * bypassed; once the subscription is confirmed again it is cleared once more and serves again.
 *
 * <p>Nothing happens until {@link #start} (the first near-cache miss or write), which does no I/O on
 * the caller's thread.
 */
final class NearInvalidation implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NearInvalidation.class);
  static final byte[] INVALIDATE = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 2000;

  private final Redwire redwire;
  private final NearCache<?> near;
  private final String name;
  /** {@code <ns>:c:<name>:}: every key of the cache, all generations. */
  private final byte[] prefix;
  private final byte[] generationKey;
  /** The channel of Redwire's own invalidation messages (messages mode). */
  private final byte[] channel;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean messages;
  private volatile boolean closed;
  private volatile Session live;
  private Thread thread;
  private ScheduledFuture<?> health;
  private Subscriber.Listener keys;
  private Subscriber.Listener clears;

  NearInvalidation(Redwire redwire, NearCache<?> near, String name, byte[] prefix, byte[] generationKey) {
    this.redwire = redwire;
    this.near = near;
    this.name = name;
    this.prefix = prefix;
    this.generationKey = generationKey;
    this.channel = io.redwire.runtime.key.Keys.withSuffix(prefix, "near".getBytes(StandardCharsets.US_ASCII));
    this.messages = !(redwire.client() instanceof RedisClient || redwire.client() instanceof RedisSentinelClient);
  }

  /** Starts listening, once; no I/O here (a thread or the shared subscriber does it). */
  void start() {
    if (started.get() || !started.compareAndSet(false, true)) {
      return;
    }
    redwire.onClose(this); // closes this at once when Redwire is closed already
    if (messages) {
      listenToMessages();
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        long every = redwire.pubSubPingInterval().toNanos();
        health = redwire.renewals().scheduleWithFixedDelay(this::checkHealth, every, every, TimeUnit.NANOSECONDS);
      } catch (RuntimeException closing) { // Redwire closed meanwhile: its close closes this
        return;
      }
      thread = new Thread(this::run, "redwire-near-" + name);
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Whether writers must announce their puts and evicts ({@link #published}): messages mode. */
  boolean publishes() {
    return messages;
  }

  /** Announces that this instance wrote or deleted {@code key} (messages mode); never throws. */
  void published(byte[] key) {
    if (redwire.isClosed() || !redwire.breaker().allow()) {
      return;
    }
    try {
      redwire.client().publish(channel, key);
    } catch (RuntimeException e) {
      if (!redwire.isClosed()) {
        redwire.failed(name, "nearPublish", e);
        log.debug("Cache {}: the near-cache invalidation could not be published", name, e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
      if (health != null) {
        health.cancel(false);
      }
    }
    near.disable();
    Session s = live;
    if (s != null) {
      s.kill();
    }
    Subscriber.Listener k;
    Subscriber.Listener c;
    synchronized (this) {
      k = keys;
      c = clears;
    }
    if (k != null) {
      Subscriber.of(redwire).unsubscribe(channel, k);
      Subscriber.of(redwire).unsubscribe(generationKey, c);
    }
    if (t != null) {
      t.interrupt();
    }
  }

  // ------------------------------------------------------------------ messages mode

  private synchronized void listenToMessages() {
    if (closed || keys != null) {
      return;
    }
    keys = new Subscriber.Listener() {
      @Override
      public void onMessage(byte[] ch, byte[] key) {
        near.invalidate(key);
      }

      @Override
      public void onActive() {
        near.enable();
      }

      @Override
      public void onInactive() {
        near.disable();
      }
    };
    clears = (ch, generation) -> near.clear();
    try {
      Subscriber.of(redwire).subscribe(generationKey, clears);
      Subscriber.of(redwire).subscribe(channel, keys);
    } catch (IllegalStateException closedRedwire) {
      log.debug("Cache {}: Redwire closed before the near cache could listen", name);
    }
  }

  // ------------------------------------------------------------------ tracking mode

  private void run() {
    long backoff = MIN_BACKOFF_MS;
    while (!closed) {
      Session s = new Session();
      Connection connection = null;
      String fallback = null; // why tracking cannot work here: messages instead, once this session is over
      try {
        // never from the pool: it lives as long as the near cache, and as many near caches as the pool
        // has connections (8 by Jedis' default) would otherwise starve every other command for good
        connection = Subscriber.unpooled(redwire.client());
        if (connection == null) {
          fallback = "no connection of its own";
        } else {
          s.connection = connection;
          live = s;
          fallback = startTracking(connection);
          if (fallback == null && !closed) {
            s.proceed(connection, INVALIDATE);
          }
        }
      } catch (RuntimeException e) {
        if (!closed) {
          log.warn("Cache {}: the near-cache invalidation connection failed ({}); the near cache is bypassed"
              + " until it is back, reconnecting in {} ms", name, e.toString(), backoff);
          redwire.metrics().redisError(name, "nearTracking", e);
        }
      } finally {
        live = null;
        near.disable();
        if (connection != null) {
          try { // not a pooled connection (see open): closing it disconnects it, tracking and all
            connection.close();
          } catch (RuntimeException e) {
            log.debug("closing the near-cache connection failed", e);
          }
        }
      }
      if (fallback != null) {
        // after this session disabled the near cache: the messages' subscription enables it
        fallBack(fallback);
        return;
      }
      if (s.confirmed) {
        backoff = MIN_BACKOFF_MS;
      }
      if (closed) {
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(backoff);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      }
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  /**
   * Switches {@code connection} to RESP2 and turns tracking on, redirected to itself; returns why
   * tracking cannot work here (a server without it, or a user whose ACL refuses CLIENT), or null.
   */
  private String startTracking(Connection connection) {
    if (connection.getRedisProtocol() == RedisProtocol.RESP3) {
      // invalidations must arrive as pub/sub messages (RESP2 with REDIRECT), which this
      // connection's subscription reads like any other; the connection never goes back to the pool
      try {
        connection.executeCommand(new CommandArguments(Protocol.Command.HELLO).add(2));
      } catch (JedisDataException unsupported) {
        return unsupported.getMessage();
      }
    }
    try {
      // a user whose ACL refuses CLIENT (NOPERM), or a server without one of these, cannot have
      // tracking at all: retrying would bypass the near cache for good, so fall back to messages
      long id = (Long) connection.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("ID"));
      connection.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("SETNAME")
          .add("redwire-near"));
      connection.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("TRACKING").add("ON")
          .add("REDIRECT").add(id).add("BCAST").add("PREFIX").add(prefix));
      return null;
    } catch (JedisDataException refused) {
      if (Failures.isOutage(refused)) {
        throw refused; // a server loading, busy or failing over (not a refusal): try again later
      }
      return refused.getMessage();
    }
  }

  private void fallBack(String why) {
    log.info("Cache {}: near-cache invalidation through Redwire's own messages ({}); writes that bypass"
        + " Redwire are seen when the entry expires", name, why);
    messages = true;
    synchronized (this) {
      if (health != null) {
        health.cancel(false);
      }
    }
    listenToMessages();
  }

  private void checkHealth() {
    Session s = live;
    if (s == null || closed) {
      return;
    }
    long now = System.nanoTime();
    long heard = s.confirmed ? s.lastHeard : s.started;
    if (now - heard > redwire.pubSubPongTimeout().toNanos()) {
      log.warn("Cache {}: the near-cache invalidation connection was silent for {} ms; reconnecting", name,
          TimeUnit.NANOSECONDS.toMillis(now - heard));
      s.kill();
    } else if (s.confirmed) {
      s.sendPing();
    }
  }

  /** One tracking connection's subscription. */
  private final class Session extends BinaryJedisPubSub {
    volatile Connection connection;
    final long started = System.nanoTime();
    volatile long lastHeard;
    volatile boolean confirmed;
    private final AtomicBoolean killed = new AtomicBoolean();

    @Override
    public void onSubscribe(byte[] ch, int count) {
      lastHeard = System.nanoTime();
      if (!confirmed) {
        confirmed = true;
        near.enable(); // cleared first: nothing kept from before this connection
      }
    }

    @Override
    public void onMessage(byte[] ch, byte[] key) {
      lastHeard = System.nanoTime();
      if (key == null || Arrays.equals(key, generationKey)) {
        near.clear(); // FLUSHALL / FLUSHDB, or a clear-all
      } else {
        near.invalidate(key);
      }
    }

    /** Subscribing again is answered by a confirmation, in RESP2 as a push (see {@link Subscriber}). */
    synchronized void sendPing() {
      try {
        subscribe(INVALIDATE);
      } catch (RuntimeException e) {
        log.debug("near-cache ping failed", e);
      }
    }

    void kill() {
      if (!killed.compareAndSet(false, true)) {
        return;
      }
      Connection c = connection;
      if (c != null) {
        try {
          c.disconnect();
        } catch (RuntimeException e) {
          log.debug("closing the near-cache connection failed", e);
        }
      }
    }
  }
}
