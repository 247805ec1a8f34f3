package io.redwire.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Redis Sentinel deployment for tests: one master, one replica and one or more sentinels, all
 * {@link RedisServer}s on free local ports. The sentinels monitor the master under {@link
 * #masterName()} with quorum 1, {@code down-after-milliseconds 1000} and {@code failover-timeout
 * 5000}, so {@link #failover()} takes a few seconds.
 *
 * <p>{@link #master()} and {@link #replica()} follow the roles: after a failover, {@code master()} is
 * the promoted server and {@code replica()} the killed former master (not running; it is not
 * restarted, so a second failover needs a new deployment).
 *
 * <p>Thread-safe.
 */
public final class RedisSentinel implements AutoCloseable {

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

  private final String masterName;
  private final List<RedisServer> sentinels;
  private volatile RedisServer master;
  private volatile RedisServer replica;

  private RedisSentinel(String masterName, RedisServer master, RedisServer replica,
      List<RedisServer> sentinels) {
    this.masterName = masterName;
    this.master = master;
    this.replica = replica;
    this.sentinels = Collections.unmodifiableList(sentinels);
  }

  /** {@link #start(String, int)} with one sentinel. */
  public static RedisSentinel start(String masterName) {
    return start(masterName, 1);
  }

  /**
   * Starts a master, a replica of it (and waits until the replication link is up), then {@code
   * sentinels} sentinels monitoring the master, and waits (up to ~20 s) until every sentinel knows
   * the master, the replica and the other sentinels.
   *
   * @param masterName the name the sentinels monitor the master under (letters, digits, {@code
   *     -._})
   */
  public static RedisSentinel start(String masterName, int sentinels) {
    if (!masterName.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("master name must be [A-Za-z0-9._-]+, got " + masterName);
    }
    if (sentinels < 1) {
      throw new IllegalArgumentException("sentinels must be >= 1, got " + sentinels);
    }
    List<RedisServer> started = new ArrayList<>();
    try {
      // Redis 7 syncs replicas diskless after a 5 s delay by default: sync at once
      RedisServer master = RedisServer.start("--repl-diskless-sync-delay", "0");
      started.add(master);
      RedisServer replica =
          RedisServer.start("--replicaof", master.host(), String.valueOf(master.port()));
      started.add(replica);
      awaitLink(replica);
      List<RedisServer> sentinelServers = new ArrayList<>();
      String conf =
          "sentinel monitor " + masterName + " " + master.host() + " " + master.port() + " 1\n"
              + "sentinel down-after-milliseconds " + masterName + " 1000\n"
              + "sentinel failover-timeout " + masterName + " 5000\n"
              + "sentinel parallel-syncs " + masterName + " 1\n";
      for (int i = 0; i < sentinels; i++) {
        RedisServer sentinel = RedisServer.startWithConfig(conf, "--sentinel");
        started.add(sentinel);
        sentinelServers.add(sentinel);
      }
      RedisSentinel deployment = new RedisSentinel(masterName, master, replica, sentinelServers);
      deployment.awaitSettled();
      return deployment;
    } catch (RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** The name the sentinels monitor the master under. */
  public String masterName() {
    return masterName;
  }

  /** The sentinels' addresses, {@code "127.0.0.1:PORT"}, in start order. */
  public List<String> sentinelAddresses() {
    List<String> addresses = new ArrayList<>(sentinels.size());
    for (RedisServer s : sentinels) {
      addresses.add(s.host() + ":" + s.port());
    }
    return Collections.unmodifiableList(addresses);
  }

  /** The sentinel processes, in start order (each answers {@code SENTINEL ...} via {@code command}). */
  public List<RedisServer> sentinels() {
    return sentinels;
  }

  /** The current master (the promoted replica after a {@link #failover()}). */
  public RedisServer master() {
    return master;
  }

  /** The current replica (after a {@link #failover()}: the killed former master). */
  public RedisServer replica() {
    return replica;
  }

  /**
   * The master address the first running sentinel reports ({@code SENTINEL
   * get-master-addr-by-name}), as {@code "host:port"}.
   */
  public String reportedMaster() {
    RuntimeException last = null;
    for (RedisServer s : sentinels) {
      if (!s.isRunning()) {
        continue;
      }
      try {
        String reply = s.command("SENTINEL", "get-master-addr-by-name", masterName);
        if (reply != null) {
          return reply.replace('\n', ':');
        }
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no sentinel reports a master for " + masterName, last);
  }

  /**
   * Kills the current master (SIGKILL) and waits (up to ~30 s) until a sentinel reports the replica
   * as the new master and the replica answers {@code ROLE} as a master; then swaps {@link #master()}
   * and {@link #replica()}.
   *
   * @throws IllegalStateException when the replica is not running or no failover happened in time
   *     (the message holds the sentinels' log tails)
   */
  public synchronized void failover() {
    RedisServer oldMaster = master;
    RedisServer promoted = replica;
    if (!promoted.isRunning()) {
      throw new IllegalStateException("no running replica to promote: " + promoted);
    }
    String expected = promoted.host() + ":" + promoted.port();
    oldMaster.kill();
    long deadline = System.nanoTime() + FAILOVER_TIMEOUT.toNanos();
    while (true) {
      String reported = null;
      String role = null;
      try {
        reported = reportedMaster();
        role = promoted.command(Duration.ofSeconds(1), "ROLE");
      } catch (RuntimeException e) {
        // not yet
      }
      if (expected.equals(reported) && role != null && role.startsWith("master")) {
        master = promoted;
        replica = oldMaster;
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no failover to " + expected + " within " + FAILOVER_TIMEOUT
            + " (reported " + reported + ", role " + role + "); sentinel logs:\n" + sentinelLogs());
      }
      sleep(50);
    }
  }

  /** Stops the sentinels, then the replica and the master, and deletes their directories. */
  @Override
  public void close() {
    List<RedisServer> all = new ArrayList<>(sentinels);
    all.add(replica);
    all.add(master);
    RedisServer.closeAll(all);
  }


  @Override
  public String toString() {
    return "RedisSentinel[" + masterName + ", master=" + master.port() + ", replica=" + replica.port()
        + ", sentinels=" + sentinelAddresses() + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private static void awaitLink(RedisServer replica) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (true) {
      String info = replica.command("INFO", "replication");
      if (info.contains("master_link_status:up")) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("replica " + replica.port() + " did not link to its master: "
            + info.replace("\r\n", " ") + "\n" + replica.logTail());
      }
      sleep(20);
    }
  }

  /** Until every sentinel knows the master, the replica (connected) and every other sentinel. */
  private void awaitSettled() {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    String replicaAddress = "\nip\n" + replica.host() + "\nport\n" + replica.port() + "\n";
    while (true) {
      StringBuilder states = new StringBuilder();
      boolean ok = true;
      for (RedisServer s : sentinels) {
        String state;
        try {
          String addr = s.command("SENTINEL", "get-master-addr-by-name", masterName);
          String replicas = "\n" + s.command("SENTINEL", "replicas", masterName) + "\n";
          String others = s.command("SENTINEL", "sentinels", masterName);
          int knownSentinels = others == null ? 0 : count("\n" + others + "\n", "\nrunid\n");
          boolean replicaOk = replicas.contains(replicaAddress)
              && replicas.contains("\nflags\nslave\n")
              && replicas.contains("\nmaster-link-status\nok\n");
          boolean nodeOk = (master.host() + "\n" + master.port()).equals(addr)
              && replicaOk
              && knownSentinels == sentinels.size() - 1;
          ok &= nodeOk;
          state = "master " + addr + ", replica ok " + replicaOk + ", other sentinels " + knownSentinels;
        } catch (RuntimeException e) {
          ok = false;
          state = e.toString();
        }
        states.append(s.port()).append(": ").append(state.replace('\n', ' ')).append('\n');
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("sentinels did not settle:\n" + states + sentinelLogs());
      }
      sleep(50);
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private String sentinelLogs() {
    StringBuilder logs = new StringBuilder();
    for (RedisServer s : sentinels) {
      logs.append("--- sentinel ").append(s.port()).append('\n').append(s.logTail());
    }
    return logs.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
