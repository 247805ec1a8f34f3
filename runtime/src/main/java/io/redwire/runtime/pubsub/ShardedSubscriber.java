package io.redwire.runtime.pubsub;

import io.redwire.runtime.Redwire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisShardedPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Sharded pub/sub on a Redis Cluster ({@code SSUBSCRIBE}, Redis 7.0+ and Valkey): a message published
 * with {@code SPUBLISH} stays on the shard that owns its channel's slot instead of crossing the whole
 * cluster bus, so pub/sub traffic grows with the shards instead of with every node. One connection per
 * shard (per master that owns a subscribed channel's slot), each on a daemon thread
 * ({@code redwire-spubsub-<host:port>}), shared by every listener of this {@link Redwire}.
 *
 * <p>Placement: a channel goes to the connection of the master that owns its slot, opened from the
 * cluster client's pool ({@code getConnectionFromSlot}). When a shard's connection drops (a master
 * restarted, a failover, a frozen network noticed by the health check) or the server moves a channel
 * away ({@code SUNSUBSCRIBE} pushed when its slot migrates), its channels are told {@link
 * Subscriber.Listener#onInactive}, placed again with backoff (50 ms doubling to 2 s) by one placing
 * thread ({@code redwire-spubsub-place}), and told {@link Subscriber.Listener#onActive} when the
 * server confirms them: messages in between are lost, as pub/sub is at most once.
 *
 * <p>Health check: like {@link Subscriber}, every {@link Redwire#pubSubPingInterval()} each confirmed
 * shard subscribes one of its channels again (answered by a confirmation that changes nothing); a
 * shard that heard nothing for {@link Redwire#pubSubPongTimeout()} is closed and its channels placed
 * again. The pings run on {@link Redwire#renewals()} and only write a few bytes.
 *
 * <p>On a cluster without sharded pub/sub (Redis 6.2), every channel is handed to the classic {@link
 * Subscriber} instead, and publishers use {@code PUBLISH}: {@link #supported} tells them which.
 *
 * <p>Thread-safe. Listeners run on the shard's thread and must be quick and must not throw.
 */
public final class ShardedSubscriber implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ShardedSubscriber.class);
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 2000;

  private final Redwire redwire;
  private final Object lock = new Object();
  /** Channel id -> channel; changed under lock, read without it (message delivery). */
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  /** Master (host:port) -> its shard connection; guarded by lock. */
  private final Map<String, Shard> shards = new HashMap<>();
  /** Channels waiting to be placed on a shard; guarded by lock. */
  private final List<Channel> homeless = new ArrayList<>();
  private Thread placer; // guarded by lock
  private ScheduledFuture<?> health; // guarded by lock
  private volatile boolean closed;
  private final long pingIntervalNanos;
  private final long pongTimeoutNanos;
  private final AtomicBoolean registered = new AtomicBoolean();

  private ShardedSubscriber(Redwire redwire) {
    this.redwire = redwire;
    this.pingIntervalNanos = redwire.pubSubPingInterval().toNanos();
    this.pongTimeoutNanos = redwire.pubSubPongTimeout().toNanos();
  }

  /** Whether {@code client} is a Redis Cluster client, the only kind sharded pub/sub applies to. */
  @SuppressWarnings("deprecation") // JedisCluster is still a client users may hand us
  public static boolean isCluster(UnifiedJedis client) {
    return client instanceof RedisClusterClient || client instanceof JedisCluster;
  }

  /** The sharded subscriber of {@code redwire} (a cluster), created on first use and closed with it. */
  public static ShardedSubscriber of(Redwire redwire) {
    ShardedSubscriber s = (ShardedSubscriber) redwire.shared("pubsub.sharded", () -> new ShardedSubscriber(redwire));
    if (s.registered.compareAndSet(false, true)) {
      redwire.onClose(s);
    }
    return s;
  }

  /**
   * Whether the cluster behind {@code redwire} has sharded pub/sub ({@code COMMAND INFO SSUBSCRIBE},
   * asked once and remembered once answered; false for a client that is not a cluster's).
   *
   * @throws RuntimeException the client's exception when Redis could not be asked
   */
  public static boolean supported(Redwire redwire) {
    if (!isCluster(redwire.client())) {
      return false;
    }
    Support support = (Support) redwire.shared("pubsub.sharded.support", Support::new);
    Boolean known = support.known;
    if (known == null) {
      known = ask(redwire.client());
      support.known = known;
      log.debug("Redis Cluster sharded pub/sub {}", known ? "available" : "not available: using PUBLISH");
    }
    return known;
  }

  /** {@code SPUBLISH}: sends {@code message} to the subscribers of {@code channel} on its shard. */
  @SuppressWarnings("deprecation")
  public static void publish(UnifiedJedis cluster, byte[] channel, byte[] message) {
    if (cluster instanceof RedisClusterClient r) {
      r.spublish(channel, message);
    } else {
      ((JedisCluster) cluster).spublish(channel, message);
    }
  }

  /** The remembered answer of {@link #supported}. */
  private static final class Support {
    volatile Boolean known;
  }

  /** A connection to the node that owns {@code slot} in the cluster client's slot cache. */
  @SuppressWarnings("deprecation")
  private static Connection fromSlot(UnifiedJedis cluster, int slot) {
    return cluster instanceof RedisClusterClient r ? r.getConnectionFromSlot(slot)
        : ((JedisCluster) cluster).getConnectionFromSlot(slot);
  }

  private static boolean ask(UnifiedJedis client) {
    Connection c = fromSlot(client, 0);
    try {
      c.sendCommand(Protocol.Command.COMMAND, "INFO", "SSUBSCRIBE");
      Object reply = c.getOne();
      // one element per command asked: its description, or nil where the command does not exist
      return reply instanceof List<?> l && !l.isEmpty() && l.get(0) != null;
    } finally {
      c.close();
    }
  }

  /**
   * Adds a listener to {@code channel}, subscribing to it on its shard if it is the first one. Returns
   * at once; the listener's {@link Subscriber.Listener#onActive} runs when the server confirms it.
   */
  public void subscribe(byte[] channel, Subscriber.Listener listener) {
    String id = new String(channel, StandardCharsets.ISO_8859_1);
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("Redwire is closed");
      }
      Channel c = channels.get(id);
      if (c == null) {
        c = new Channel(channel, id);
        channels.put(id, c);
        c.listeners.add(listener);
        homeless.add(c);
        startPlacer();
        lock.notifyAll();
        return;
      }
      if (c.classic) {
        Subscriber.of(redwire).subscribe(channel, listener);
        return;
      }
      c.listeners.add(listener);
      if (c.active) {
        listener.onActive();
      }
    }
  }

  /** Removes a listener; the channel is unsubscribed when it has no listener left. */
  public void unsubscribe(byte[] channel, Subscriber.Listener listener) {
    String id = new String(channel, StandardCharsets.ISO_8859_1);
    synchronized (lock) {
      Channel c = channels.get(id);
      if (c == null) {
        return;
      }
      if (c.classic) {
        Subscriber.of(redwire).unsubscribe(channel, listener);
        return;
      }
      if (!c.listeners.remove(listener) || !c.listeners.isEmpty()) {
        return;
      }
      channels.remove(id);
      homeless.remove(c);
      Shard s = c.shard;
      if (s != null) {
        s.channels.remove(c);
        s.send(false, c.name);
      }
    }
  }

  /** Whether the server confirmed the subscription of {@code channel}. */
  public boolean isActive(byte[] channel) {
    Channel c = channels.get(new String(channel, StandardCharsets.ISO_8859_1));
    if (c == null) {
      return false;
    }
    return c.classic ? Subscriber.of(redwire).isActive(channel) : c.active;
  }

  /** The masters (host:port) this subscriber holds a connection to, for tests and diagnostics. */
  public List<String> shards() {
    synchronized (lock) {
      return List.copyOf(shards.keySet());
    }
  }

  /** Closes every shard connection and stops the threads. Idempotent. */
  @Override
  public void close() {
    List<Shard> open;
    Thread p;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(shards.values());
      p = placer;
      if (health != null) {
        health.cancel(false);
      }
      lock.notifyAll();
    }
    for (Shard s : open) {
      s.kill();
    }
    join(p);
    for (Shard s : open) {
      join(s.thread);
    }
  }

  private static void join(Thread t) {
    if (t == null) {
      return;
    }
    t.interrupt();
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------------------------ placing

  /** Under lock. */
  private void startPlacer() {
    if (placer != null) {
      return;
    }
    placer = new Thread(this::place, "redwire-spubsub-place");
    placer.setDaemon(true);
    placer.start();
    health = redwire.renewals().scheduleWithFixedDelay(this::checkHealth, pingIntervalNanos, pingIntervalNanos,
        TimeUnit.NANOSECONDS);
  }

  /** The placing thread: puts homeless channels on the shard that owns their slot, with backoff. */
  private void place() {
    boolean outage = false;
    while (!closed) {
      Channel c;
      synchronized (lock) {
        c = null;
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        for (Channel h : homeless) {
          long left = h.notBefore - now;
          if (left <= 0) {
            c = h;
            break;
          }
          wait = Math.min(wait, left);
        }
        if (c == null) {
          try {
            if (wait == Long.MAX_VALUE) {
              lock.wait();
            } else {
              TimeUnit.NANOSECONDS.timedWait(lock, wait);
            }
          } catch (InterruptedException e) {
            if (closed) {
              return;
            }
          }
          continue;
        }
        homeless.remove(c);
      }
      try {
        placeOn(c);
        if (outage) {
          log.info("Redis sharded pub/sub: placing channels works again");
          outage = false;
        }
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        if (!outage) {
          log.warn("Redis sharded pub/sub: cannot subscribe channel {} ({}); retrying with backoff", c.text(),
              e.toString());
          outage = true;
        }
        redwire.metrics().redisError("pubsub", "ssubscribe", e);
        synchronized (lock) {
          if (channels.get(c.id) == c && !closed) {
            c.backOff();
            homeless.add(c);
          }
        }
      }
    }
  }

  @SuppressWarnings("deprecation")
  private void placeOn(Channel c) {
    if (!supported(redwire)) {
      synchronized (lock) {
        if (channels.get(c.id) != c || closed) {
          return;
        }
        c.classic = true;
        for (Subscriber.Listener l : c.listeners) {
          Subscriber.of(redwire).subscribe(c.name, l);
        }
        c.listeners.clear();
      }
      return;
    }
    Connection connection = connect(c);
    String node = connection.getHostAndPort().toString();
    boolean used = false;
    try {
      synchronized (lock) {
        if (channels.get(c.id) != c || closed) {
          return;
        }
        Shard s = shards.get(node);
        if (s == null || s.dead) {
          s = new Shard(node, connection);
          shards.put(node, s);
          used = true;
          s.channels.add(c);
          c.shard = s;
          s.thread.start();
        } else {
          s.channels.add(c);
          c.shard = s;
          s.send(true, c.name);
        }
      }
    } finally {
      if (!used) {
        connection.close(); // back to the pool: the shard has its own
      }
    }
  }

  /**
   * A connection to where the channel lives: the master a MOVED reply named, else the owner of its slot
   * in the client's slot cache; when that one cannot be reached (a master down, the cache stale after a
   * failover), any other node of the cluster, whose answer (MOVED, or the subscription on a replica of
   * the shard) leads on.
   */
  @SuppressWarnings("deprecation")
  private Connection connect(Channel c) {
    UnifiedJedis client = redwire.client();
    Map<String, ConnectionPool> nodes = client instanceof RedisClusterClient r ? r.getClusterNodes()
        : ((JedisCluster) client).getClusterNodes();
    HostAndPort moved;
    synchronized (lock) {
      moved = c.movedTo;
      c.movedTo = null;
    }
    if (moved != null) {
      ConnectionPool pool = nodes.get(moved.toString());
      if (pool != null) {
        return pool.getResource();
      }
    }
    int slot = JedisClusterCRC16.getSlot(c.name);
    try {
      return fromSlot(client, slot);
    } catch (RuntimeException unreachable) {
      List<ConnectionPool> others = new ArrayList<>(nodes.values());
      java.util.Collections.shuffle(others);
      for (ConnectionPool pool : others) {
        try {
          return pool.getResource();
        } catch (RuntimeException next) {
          unreachable.addSuppressed(next);
        }
      }
      throw unreachable;
    }
  }

  /** Under lock: the channel lost its shard; its listeners hear it, and it is placed again. */
  private void orphan(Channel c, boolean failed) {
    c.shard = null;
    if (c.active) {
      c.active = false;
      for (Subscriber.Listener l : c.listeners) {
        try {
          l.onInactive();
        } catch (RuntimeException e) {
          log.warn("pub/sub listener {} failed", l, e);
        }
      }
    }
    if (channels.get(c.id) == c && !closed) {
      if (failed) {
        c.backOff();
      }
      homeless.add(c);
      lock.notifyAll();
    }
  }

  /** On {@link Redwire#renewals()}: drops silent shards, pings the others. */
  private void checkHealth() {
    List<Shard> open;
    synchronized (lock) {
      if (closed) {
        return;
      }
      open = new ArrayList<>(shards.values());
    }
    long now = System.nanoTime();
    for (Shard s : open) {
      long heard = s.confirmed ? s.lastHeard : s.started;
      if (now - heard > pongTimeoutNanos) {
        if (s.kill()) {
          long silentMs = TimeUnit.NANOSECONDS.toMillis(now - heard);
          log.warn("Redis sharded pub/sub connection to {} silent for {} ms; reconnecting", s.node, silentMs);
          redwire.metrics().redisError("pubsub", "ping",
              new JedisConnectionException("no answer on the sharded pub/sub connection for " + silentMs + " ms"));
        }
      } else if (s.confirmed) {
        synchronized (lock) {
          if (!s.channels.isEmpty()) {
            s.send(true, s.channels.get(0).name);
          }
        }
      }
    }
  }

  /** One subscribed channel. */
  private static final class Channel {
    final byte[] name;
    final String id;
    final CopyOnWriteArrayList<Subscriber.Listener> listeners = new CopyOnWriteArrayList<>();
    /** The shard it is on; guarded by the subscriber's lock. */
    Shard shard;
    volatile boolean active;
    /** Handed to the classic subscriber (no sharded pub/sub on this cluster); guarded by lock. */
    boolean classic;
    long backoffMs; // guarded by lock
    long notBefore = System.nanoTime(); // guarded by lock
    /** Where a MOVED reply said the channel's slot lives now; guarded by lock. */
    HostAndPort movedTo;

    Channel(byte[] name, String id) {
      this.name = name;
      this.id = id;
    }

    void backOff() {
      backoffMs = backoffMs == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      notBefore = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
    }

    String text() {
      return new String(name, StandardCharsets.UTF_8);
    }
  }

  /** The connection to one master and the channels subscribed on it. */
  private final class Shard extends BinaryJedisShardedPubSub {
    final String node;
    final Connection connection;
    final Thread thread;
    /** Guarded by the subscriber's lock. */
    final List<Channel> channels = new ArrayList<>();
    /** The channels its SSUBSCRIBE was opened with; the others are sent after the first confirmation. */
    private List<byte[]> initial; // guarded by lock
    volatile boolean confirmed;
    volatile boolean dead;
    final long started = System.nanoTime();
    volatile long lastHeard;
    private boolean killed; // guarded by this

    Shard(String node, Connection connection) {
      this.node = node;
      this.connection = connection;
      this.thread = new Thread(this::run, "redwire-spubsub-" + node);
      this.thread.setDaemon(true);
    }

    private void run() {
      byte[][] first;
      synchronized (lock) {
        initial = new ArrayList<>();
        for (Channel c : channels) {
          initial.add(c.name);
        }
        first = initial.toArray(new byte[0][]);
      }
      boolean wasConfirmed = false;
      try {
        synchronized (this) {
          if (killed) {
            return; // closed before it started (the finally gives its channels back)
          }
        }
        if (first.length > 0 && !closed) {
          proceed(connection, first);
        }
      } catch (JedisMovedDataException e) {
        // a channel's slot is on another master (resharding, or a stale slot cache): follow the reply

        log.info("Redis sharded pub/sub: slot {} is served by {}; subscribing there", e.getSlot(),
            e.getTargetNode());
        synchronized (lock) {
          for (Channel c : channels) {
            if (JedisClusterCRC16.getSlot(c.name) == e.getSlot()) {
              c.movedTo = e.getTargetNode();
            }
          }
        }
      } catch (RuntimeException e) {
        if (!closed) {
          log.warn("Redis sharded pub/sub connection to {} failed ({}); placing its channels again", node,
              e.toString());
          redwire.metrics().redisError("pubsub", "ssubscribe", e);
        }
      } finally {
        wasConfirmed = confirmed;
        synchronized (lock) {
          dead = true;
          shards.remove(node, this);
          for (Channel c : new ArrayList<>(channels)) {
            if (c.shard == this) {
              orphan(c, !wasConfirmed && c.movedTo == null);
            }
          }
          channels.clear();
        }
        connection.setBroken(); // never back into the pool as usable: it may still hold pushes
        try {
          connection.close();
        } catch (RuntimeException e) {
          log.debug("closing the sharded pub/sub connection failed", e);
        }
      }
    }

    /** Under lock: (un)subscribes a channel on this shard once its session runs. */
    void send(boolean subscribe, byte[] channel) {
      if (!confirmed || dead) {
        return; // sent after the first confirmation (subscribe), or moot (the shard is going away)
      }
      try {
        if (subscribe) {
          ssubscribe(channel);
        } else {
          sunsubscribe(channel);
        }
      } catch (RuntimeException e) {
        log.debug("sharded pub/sub command failed", e);
        kill();
      }
    }

    /** Closes the socket, so the blocked read fails and the run loop gives its channels back. */
    boolean kill() {
      synchronized (this) {
        if (killed) {
          return false;
        }
        killed = true;
      }
      try {
        connection.disconnect();
      } catch (RuntimeException e) {
        log.debug("closing the sharded pub/sub connection failed", e);
      }
      return true;
    }

    @Override
    public void onSSubscribe(byte[] channel, int subscribedChannels) {
      lastHeard = System.nanoTime();
      String id = new String(channel, StandardCharsets.ISO_8859_1);
      List<Subscriber.Listener> tell = List.of();
      synchronized (lock) {
        if (!confirmed) {
          confirmed = true;
          // channels placed here while the session was opening
          for (Channel c : channels) {
            boolean sent = false;
            for (byte[] i : initial) {
              if (java.util.Arrays.equals(i, c.name)) {
                sent = true;
                break;
              }
            }
            if (!sent) {
              send(true, c.name);
            }
          }
        }
        Channel c = ShardedSubscriber.this.channels.get(id);
        if (c != null && c.shard == this && !c.active) {
          c.active = true;
          c.backoffMs = 0;
          tell = c.listeners;
        }
      }
      for (Subscriber.Listener l : tell) {
        try {
          l.onActive();
        } catch (RuntimeException e) {
          log.warn("pub/sub listener {} failed", l, e);
        }
      }
    }

    @Override
    public void onSUnsubscribe(byte[] channel, int subscribedChannels) {
      lastHeard = System.nanoTime();
      String id = new String(channel, StandardCharsets.ISO_8859_1);
      synchronized (lock) {
        Channel c = ShardedSubscriber.this.channels.get(id);
        if (c != null && c.shard == this) {
          // not asked for: the server moved the channel's slot to another master
          log.info("Redis sharded pub/sub: channel {} moved away from {}; subscribing it where it is now",
              c.text(), node);
          channels.remove(c);
          orphan(c, false);
        }
      }
    }

    @Override
    public void onSMessage(byte[] channel, byte[] message) {
      lastHeard = System.nanoTime();
      Channel c = ShardedSubscriber.this.channels.get(new String(channel, StandardCharsets.ISO_8859_1));
      if (c == null) {
        return;
      }
      for (Subscriber.Listener l : c.listeners) {
        try {
          l.onMessage(channel, message);
        } catch (RuntimeException e) {
          log.warn("pub/sub listener {} failed", l, e);
        }
      }
    }
  }
}
