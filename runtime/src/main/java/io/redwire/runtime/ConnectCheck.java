package io.redwire.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The one connection {@link Redwire.Builder#build()} opens for a URI before it returns: it tells the
 * errors no retry can fix (credentials, database, TLS) from a server that is merely down or slow, and
 * reads {@code maxmemory-policy} on the way.
 *
 * <p>The caller waits at most the connect timeout: the check runs on a daemon thread (whose reads are
 * bounded by that timeout too), and a check that has not ended by then counts as "does not answer"
 * (a permanent error found later is still logged). For {@code rediss://} a second thread sends a plain
 * {@code PING} at the same time: a server that answers it in plain RESP does not speak TLS on that port,
 * which a TLS handshake alone may only show as a read timeout.
 */
final class ConnectCheck {

  private static final Logger log = LoggerFactory.getLogger(ConnectCheck.class);

  private final boolean answered;
  private final String policy;

  private ConnectCheck(boolean answered, String policy) {
    this.answered = answered;
    this.policy = policy;
  }

  /** Whether the server answered PING. */
  boolean answered() {
    return answered;
  }

  /** The server's {@code maxmemory-policy}, or null when it could not be read. */
  String policy() {
    return policy;
  }

  /** Thrown inside the check for an error no retry can fix. */
  private static final class Permanent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Permanent(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Connects, authenticates, selects the database and sends PING (and, with {@code readPolicy},
   * {@code CONFIG GET maxmemory-policy}), waiting at most {@code bound}.
   *
   * @throws IllegalStateException when the server refused the connection for good: the message
   *     names the cause and the URI without its password
   */
  static ConnectCheck run(RedisUri uri, DefaultJedisClientConfig config, Duration bound,
      boolean readPolicy) {
    long started = System.nanoTime();
    CompletableFuture<ConnectCheck> result = new CompletableFuture<>();
    daemon("redwire-connect-check", () -> {
      try {
        result.complete(check(uri, config, bound, readPolicy));
      } catch (RuntimeException e) {
        String cause = permanent(e);
        RuntimeException failure = cause == null ? e
            : new Permanent("Redis at " + uri + " refused the connection: " + cause, e);
        if (!result.completeExceptionally(failure) && cause != null) {
          log.error("{} (found after start-up gave up waiting)", failure.getMessage());
        }
      }
    });
    if (uri.ssl()) {
      daemon("redwire-connect-check-plain", () -> {
        if (speaksPlainResp(uri, bound)) {
          result.completeExceptionally(new Permanent("Redis at " + uri + " refused the connection:"
              + " the TLS handshake failed: the server answers in plain text on that port (use"
              + " redis://, or the server's TLS port)", null));
        }
      });
    }
    try {
      return result.get(bound.toMillis() + 50, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Permanent p) {
        throw new IllegalStateException(p.getMessage(), p.getCause());
      }
      log.warn("Redis at {} did not answer at start-up ({} after {} ms); continuing: the declared"
              + " failure policies apply until it answers", uri, e.getCause().toString(),
          (System.nanoTime() - started) / 1_000_000);
    } catch (TimeoutException e) {
      result.cancel(false); // a permanent error found later is logged by the check itself
      log.warn("Redis at {} did not answer within the connect timeout of {} ms; continuing: the"
          + " declared failure policies apply until it answers", uri, bound.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new ConnectCheck(false, null);
  }

  private static ConnectCheck check(RedisUri uri, DefaultJedisClientConfig config, Duration bound,
      boolean readPolicy) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis()));
    DefaultJedisClientConfig.Builder probe = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis)
        .socketTimeoutMillis(millis)
        .database(config.getDatabase())
        .ssl(config.isSsl())
        .protocol(config.getRedisProtocol())
        .clientName("redwire-connect-check");
    if (config.getUser() != null) {
      probe.user(config.getUser());
    }
    if (config.getPassword() != null) {
      probe.password(config.getPassword());
    }
    try (Connection c = new Connection(new HostAndPort(uri.host(), uri.port()), probe.build())) {
      CommandObjects commands = new CommandObjects(config.getRedisProtocol());
      c.executeCommand(commands.ping());
      String policy = null;
      if (readPolicy) {
        try {
          policy = c.executeCommand(commands.configGet("maxmemory-policy")).get("maxmemory-policy");
        } catch (RuntimeException e) {
          // CONFIG disabled or not permitted for this user, or a slow reply: not a reason to fail
          log.debug("Could not read maxmemory-policy; skipping the eviction check", e);
        }
      }
      return new ConnectCheck(true, policy);
    }
  }

  /** Whether the server answers a plain-text PING with a RESP reply ({@code +PONG}, {@code -NOAUTH...}). */
  private static boolean speaksPlainResp(RedisUri uri, Duration bound) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis()));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.host(), uri.port()), millis);
      s.setSoTimeout(millis);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      int first = in.read();
      return first == '+' || first == '-';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  /**
   * The reason {@code e} can never go away by retrying (with what to check), or null when it can
   * (the server is down, slow, loading, failing over...).
   */
  static String permanent(Throwable e) {
    if (e instanceof JedisAccessControlException) {
      String m = String.valueOf(e.getMessage());
      if (m.startsWith("NOAUTH")) {
        return m + " (the server requires a password and the URI has none)";
      }
      return m + " (check the user and password)";
    }
    if (e instanceof JedisDataException) {
      String m = String.valueOf(e.getMessage());
      if (Failures.isOutage(e)) {
        return null; // LOADING, MASTERDOWN...: it will serve soon
      }
      if (m.contains("DB index is out of range")) {
        return m + " (the database number in the URI does not exist on this server)";
      }
      if (m.startsWith("NOAUTH")) {
        return m + " (the server requires a password and the URI has none)";
      }
      if (m.startsWith("WRONGPASS") || m.contains("AUTH")) {
        return m + " (check the user and password)";
      }
      return m;
    }
    if (e instanceof JedisConnectionException) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof SSLException) {
          return "the TLS handshake failed: " + c.getMessage()
              + " (is the server listening for TLS, and is its certificate trusted?)";
        }
        if (c.getCause() == c) {
          break;
        }
      }
    }
    return null;
  }
}
