package io.redwire.runtime.pubsub;

import io.redwire.runtime.Redwire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.Pool;

/**
 * One shared Redis pub/sub connection per {@link Redwire}: every pattern that listens to channels
 * (lock releases, later events) registers a {@link Listener} here instead of opening a connection of
 * its own.
 *
 * <p>The connection is opened on a daemon thread ({@code redwire-pubsub-N}) the first time a channel
 * is subscribed. When it drops (server restart, failover, network), the thread reconnects with backoff
 * (50 ms doubling to 2 s) and subscribes to every channel again; each listener is then told through
 * {@link Listener#onActive}, since messages published while the connection was down are lost (pub/sub
 * delivers at most once). It always subscribes a control channel {@code <namespace>:pubsub:control}, so
 * it stays connected with no other channel.
 *
 * <p>Health check: a subscribed connection has no read timeout (it may be silent for hours), so a
 * half-open connection (a peer or NAT that vanished without a FIN) would otherwise never be noticed.
 * Every {@link Redwire#pubSubPingInterval()} (default 1 s) the subscriber pings the subscribed
 * connection; when no answer (nor the subscription's confirmation) arrived for {@link
 * Redwire#pubSubPongTimeout()} (default 3 s), it closes the connection and reconnects, telling every
 * listener {@link Listener#onInactive} and then {@link Listener#onActive}. The pings run on {@link
 * Redwire#renewals()}. The connection is taken from the client's pool ({@code RedisClient},
 * {@code RedisSentinelClient}: the primary; {@code RedisClusterClient}: a random node); with another
 * kind of {@code UnifiedJedis} it is subscribed through the client, and a dead connection is only
 * reported. The ping is a {@code SUBSCRIBE} of the control channel again, answered by a confirmation:
 * unlike {@code PING}, whose RESP3 reply races with Jedis 8's bookkeeping of pub/sub replies, it
 * arrives as a push message in RESP2 and RESP3 alike, and re-subscribing a channel changes nothing.
 *
 * <p>On a Redis Cluster this uses classic {@code SUBSCRIBE} on one node: classic pub/sub messages reach
 * every node of a cluster. (Sharded pub/sub would need one connection per shard.)
 *
 * <p>Thread-safe. Listeners run on the subscriber thread and must be quick and must not throw.
 */
public final class Subscriber implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 2000;

  /** Receives the messages of one channel. */
  public interface Listener {
    /** A message arrived on the channel. */
    void onMessage(byte[] channel, byte[] message);

    /**
     * The channel's subscription is confirmed by the server: after {@link #subscribe}, and again after
     * every reconnect (messages may have been missed in between).
     */
    default void onActive() {}

    /** The connection dropped: messages are lost until {@link #onActive} is called again. */
    default void onInactive() {}
  }

  private final Redwire redwire;
  private final byte[] control;
  private final Object lock = new Object();
  /** Channel (as a string of its ISO-8859-1 bytes) -> listeners. */
  private final Map<String, CopyOnWriteArrayList<Listener>> channels = new ConcurrentHashMap<>();
  /** Channels whose subscription the server confirmed on the current connection. */
  private final Map<String, Boolean> active = new ConcurrentHashMap<>();
  private Thread thread; // guarded by lock
  private Connection current; // guarded by lock: the connection whose subscription is confirmed
  /** The session being opened or running, for the health check. */
  private volatile Connection live;
  private ScheduledFuture<?> health; // guarded by lock
  private final long pingIntervalNanos;
  private final long pongTimeoutNanos;
  private volatile boolean closed;
  /** Whether this subscriber was registered to close with its Redwire. */
  private final java.util.concurrent.atomic.AtomicBoolean registered = new java.util.concurrent.atomic.AtomicBoolean();

  private Subscriber(Redwire redwire) {
    this.redwire = redwire;
    this.pingIntervalNanos = redwire.pubSubPingInterval().toNanos();
    this.pongTimeoutNanos = redwire.pubSubPongTimeout().toNanos();
    this.control = (redwire.namespace() + ":pubsub:control").getBytes(StandardCharsets.UTF_8);
  }

  /** The subscriber of {@code redwire}, created on first use and closed with it. */
  public static Subscriber of(Redwire redwire) {
    // the factory only constructs (no I/O, no registration): two racing callers may both run it
    Subscriber s = (Subscriber) redwire.shared("pubsub", () -> new Subscriber(redwire));
    if (s.registered.compareAndSet(false, true)) {
      redwire.onClose(s);
    }
    return s;
  }

  /**
   * Adds a listener to {@code channel}, subscribing to it if it is the first one. Returns at once; the
   * listener's {@link Listener#onActive} runs when the server confirms the subscription.
   */
  public void subscribe(byte[] channel, Listener listener) {
    String id = id(channel);
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("Redwire is closed");
      }
      CopyOnWriteArrayList<Listener> list = channels.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
      list.add(listener);
      if (list.size() > 1) {
        if (active.containsKey(id)) {
          listener.onActive();
        }
        return;
      }
      if (current != null) {
        current.send(channel, true);
      }
      if (thread == null) {
        thread = new Thread(this::run, "redwire-pubsub-" + redwire.namespace());
        thread.setDaemon(true);
        thread.start();
        health = redwire.renewals().scheduleWithFixedDelay(this::checkHealth, pingIntervalNanos,
            pingIntervalNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Removes a listener; the channel is unsubscribed when it has no listener left. */
  public void unsubscribe(byte[] channel, Listener listener) {
    String id = id(channel);
    synchronized (lock) {
      CopyOnWriteArrayList<Listener> list = channels.get(id);
      if (list == null || !list.remove(listener) || !list.isEmpty()) {
        return;
      }
      channels.remove(id);
      active.remove(id);
      if (current != null) {
        current.send(channel, false);
      }
    }
  }

  /** Whether the server confirmed the subscription of {@code channel} on the current connection. */
  public boolean isActive(byte[] channel) {
    return active.containsKey(id(channel));
  }

  /** Unsubscribes everything and stops the thread (waiting up to 2 s). Idempotent. */
  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
      if (health != null) {
        health.cancel(false);
      }
      Connection l = live;
      if (l != null && l.connection != null) {
        l.kill(); // at once, even when the connection is half-open and would never confirm UNSUBSCRIBE
      } else if (current != null) {
        current.stop();
      }
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void run() {
    long backoff = MIN_BACKOFF_MS;
    while (!closed) {
      Connection c = new Connection();
      List<byte[]> initial = new ArrayList<>();
      initial.add(control);
      synchronized (lock) {
        for (String id : channels.keySet()) {
          initial.add(bytes(id));
        }
        c.snapshot = initial;
      }
      redis.clients.jedis.Connection connection = null;
      try {
        connection = open(redwire.client());
        // watched by the health check only once the connection is known, so that a check that fires
        // while it is still being opened can close it (and never gives up on a session it cannot close)
        c.connection = connection;
        c.started = System.nanoTime();
        live = c;
        if (connection == null) {
          redwire.client().subscribe(c, initial.toArray(new byte[0][]));
        } else if (!closed) {
          c.proceed(connection, initial.toArray(new byte[0][]));
        }
      } catch (RuntimeException e) {
        if (!closed) {
          log.warn("Redis pub/sub connection failed ({}); reconnecting in {} ms", e.toString(), backoff);
          redwire.metrics().redisError("pubsub", "subscribe", e);
        }
      } finally {
        live = null;
        synchronized (lock) {
          if (current == c) {
            current = null;
          }
          for (String id : active.keySet()) {
            for (Listener l : channels.getOrDefault(id, new CopyOnWriteArrayList<>())) {
              l.onInactive();
            }
          }
          active.clear();
        }
        // after the listeners heard of it: giving a broken connection back can make the pool open a
        // replacement, which waits for a server that does not answer
        if (connection != null) {
          // never back into the pool as usable: it may still be subscribed, or hold unread pushes, and a
          // command sent on it would read them as its reply
          connection.setBroken();
          try {
            connection.close();
          } catch (RuntimeException e) {
            log.debug("closing the pub/sub connection failed", e);
          }
        }
      }
      if (c.confirmed) {
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
   * A connection of its own, made by the client's connection factory (so with its address,
   * credentials, TLS and protocol) but outside its pool, so that the health check can close it and the
   * subscription does not take one of the pool's connections for good: with Jedis' default pool of 8,
   * 8 request threads would otherwise contend for 7 and park on every command ({@link #unpooled}). On a
   * Cluster, a connection of a random node's pool. Null for a kind of client that does not expose one.
   */
  @SuppressWarnings("deprecation") // JedisCluster is still a client users may hand us
  private static redis.clients.jedis.Connection open(UnifiedJedis client) {
    redis.clients.jedis.Connection own = unpooled(client);
    if (own != null) {
      return own;
    }
    if (client instanceof RedisClusterClient c) {
      return c.getConnectionFromSlot(ThreadLocalRandom.current().nextInt(16384));
    }
    if (client instanceof JedisCluster c) {
      return c.getConnectionFromSlot(ThreadLocalRandom.current().nextInt(16384));
    }
    return null;
  }

  /**
   * A new connection of the client's own configuration (address, credentials, database, TLS,
   * protocol), made by the factory of its pool (a {@code RedisClient}'s, or a {@code
   * RedisSentinelClient}'s primary's) but not counted in it: for a connection that lives as long as a
   * subscription and would otherwise leave the pool one connection short for good. Closing it
   * disconnects it. Null for other kinds of client. A failure is the one the pool would have met making
   * it (the same factory): thrown, not retried through the pool, which would make a second connection
   * attempt (up to the connect timeout again) on every retry during an outage.
   */
  public static redis.clients.jedis.Connection unpooled(UnifiedJedis client) {
    Pool<redis.clients.jedis.Connection> pool = null;
    if (client instanceof RedisClient c) {
      pool = c.getPool();
    } else if (client instanceof RedisSentinelClient c) {
      for (Object p : c.getPrimaryNodesConnectionMap().values()) {
        @SuppressWarnings("unchecked")
        Pool<redis.clients.jedis.Connection> primary = (Pool<redis.clients.jedis.Connection>) p;
        pool = primary;
        break;
      }
    }
    if (pool == null) {
      return null;
    }
    try {
      return pool.getFactory().makeObject().getObject();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new JedisConnectionException(e);
    }
  }

  /**
   * Runs every ping interval on {@link Redwire#renewals()}: drops a session that has been silent for
   * the pong timeout (no PONG since the last one, or no confirmation since it was opened), else sends
   * PING.
   */
  private void checkHealth() {
    Connection c = live;
    if (c == null || closed) {
      return;
    }
    long now = System.nanoTime();
    long heard = c.confirmed ? c.lastHeard : c.started;
    if (now - heard > pongTimeoutNanos) {
      long silentMs = TimeUnit.NANOSECONDS.toMillis(now - heard);
      if (c.kill()) {
        log.warn("Redis pub/sub connection silent for {} ms (no {} within {} ms); reconnecting", silentMs,
            c.confirmed ? "answer to a ping" : "subscription confirmation",
            TimeUnit.NANOSECONDS.toMillis(pongTimeoutNanos));
        redwire.metrics().redisError("pubsub", "ping", new JedisConnectionException(
            "no answer on the pub/sub connection for " + silentMs + " ms"));
      }
      return;
    }
    if (c.confirmed) {
      synchronized (lock) {
        if (current == c) {
          c.sendPing();
        }
      }
    }
  }

  private void deliver(byte[] channel, byte[] message) {
    List<Listener> list = channels.get(id(channel));
    if (list == null) {
      return;
    }
    for (Listener l : list) {
      try {
        l.onMessage(channel, message);
      } catch (RuntimeException e) {
        log.warn("pub/sub listener {} failed", l, e);
      }
    }
  }

  private void confirmed(byte[] channel) {
    String id = id(channel);
    List<Listener> list = channels.get(id);
    if (list == null) {
      return;
    }
    active.put(id, Boolean.TRUE);
    for (Listener l : list) {
      try {
        l.onActive();
      } catch (RuntimeException e) {
        log.warn("pub/sub listener {} failed", l, e);
      }
    }
  }

  /** One connection's pub/sub session. */
  private final class Connection extends BinaryJedisPubSub {
    List<byte[]> snapshot; // set under lock before subscribing
    volatile boolean confirmed;
    /** The pooled connection this session runs on, when it has one of its own. */
    volatile redis.clients.jedis.Connection connection;
    /** nanoTime when the health check started watching this session. */
    volatile long started = System.nanoTime();
    /** nanoTime of the last answer to a ping, or of the confirmation. */
    volatile long lastHeard;
    private boolean killed; // guarded by this

    @Override
    public void onPong(byte[] pattern) {
      lastHeard = System.nanoTime();
    }

    /** Pings by subscribing the control channel again (see the class comment); called under lock. */
    void sendPing() {
      try {
        subscribe(control);
      } catch (RuntimeException e) {
        log.debug("pub/sub ping failed", e);
      }
    }

    /** Closes the socket, so the blocked read fails and the run loop reconnects; true the first time. */
    boolean kill() {
      synchronized (this) {
        if (killed) {
          return false;
        }
        killed = true;
      }
      redis.clients.jedis.Connection conn = connection;
      if (conn == null) {
        log.warn("The pub/sub connection of a {} cannot be closed by Redwire; it is given up when the"
            + " client notices", redwire.client().getClass().getSimpleName());
        return true;
      }
      try {
        conn.disconnect();
      } catch (RuntimeException e) {
        log.debug("closing the pub/sub connection failed", e);
      }
      return true;
    }

    @Override
    public void onSubscribe(byte[] channel, int subscribedChannels) {
      if (Arrays.equals(channel, control)) {
        lastHeard = System.nanoTime();
        if (confirmed) {
          return; // the answer to a ping
        }
        synchronized (lock) {
          confirmed = true;
          if (closed) {
            stop();
            return;
          }
          current = this;
          // channels added while this connection was being opened
          for (String id : channels.keySet()) {
            byte[] ch = bytes(id);
            if (snapshot.stream().noneMatch(s -> Arrays.equals(s, ch))) {
              send(ch, true);
            }
          }
        }
        return;
      }
      confirmed(channel);
    }

    @Override
    public void onMessage(byte[] channel, byte[] message) {
      deliver(channel, message);
    }

    /** Sends SUBSCRIBE or UNSUBSCRIBE; called under lock. */
    void send(byte[] channel, boolean subscribe) {
      try {
        if (subscribe) {
          subscribe(channel);
        } else {
          unsubscribe(channel);
        }
      } catch (RuntimeException e) {
        // the connection is failing: the run loop reconnects and subscribes everything again
        log.debug("pub/sub {} failed", subscribe ? "subscribe" : "unsubscribe", e);
      }
    }

    /** Ends the session: the blocking subscribe call returns. Called under lock. */
    void stop() {
      try {
        unsubscribe();
      } catch (RuntimeException e) {
        log.debug("pub/sub unsubscribe failed", e);
      }
    }
  }

  private static String id(byte[] channel) {
    return new String(channel, StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String id) {
    return id.getBytes(StandardCharsets.ISO_8859_1);
  }
}
