package io.redwire.benchmarks;

import io.redwire.testing.RedisServer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A benchmark peer with its own {@code redis-server} (the test fixture: free port, never 6379) for the
 * whole trial: the server starts before {@link #open} and stops after {@link #close}.
 */
public abstract class ServerPeer {

  protected RedisServer server;

  /** The peer's server (null before {@link #setUp}). */
  public RedisServer server() {
    return server;
  }

  /** Connects the peer to {@link #server}. */
  protected abstract void open();

  /** Closes what {@link #open} created. */
  protected abstract void close();

  @Setup(Level.Trial)
  public void setUp() {
    server = RedisServer.start();
    open();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      close();
    } finally {
      server.close();
    }
  }

  /** A Redisson client on {@code server} with its defaults. */
  public static RedissonClient redisson(RedisServer server) {
    Config config = new Config();
    config.useSingleServer().setAddress("redis://" + server.host() + ":" + server.port());
    return Redisson.create(config);
  }
}
