package io.redwire.runtime;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells the two classes of Redis failure apart (PRODUCT.md section 9): an <em>outage</em> (the
 * server cannot be reached, does not answer in time, or cannot serve yet) counts towards the circuit
 * breaker and the declared failure policies; a <em>command error</em> (WRONGTYPE, OOM, CROSSSLOT, a
 * script error, NOPERM...) is about one key or one command and is reported as it is, without taking
 * unrelated work down.
 */
public final class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  /** Error prefixes the server sends while it cannot serve (loading, failing over, busy script). */
  private static final String[] UNAVAILABLE = {
    "LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "READONLY", "NOREPLICAS", "MISCONF"
  };
  private static final Duration EVERY = Duration.ofSeconds(10);
  /** One throttle per name and operation: command errors are logged at most every 10 s each. */
  private static final ConcurrentHashMap<String, Throttle> logged = new ConcurrentHashMap<>();

  private Failures() {}

  /**
   * Whether {@code e} means Redis is down for everyone rather than that one command failed: connection
   * failures and timeouts (any {@link JedisException} that is not a server error reply, including
   * cluster retry exhaustion and an exhausted pool), and error replies of a server that cannot serve
   * yet ({@code LOADING}, {@code BUSY}, {@code MASTERDOWN}, {@code CLUSTERDOWN}, {@code TRYAGAIN},
   * {@code READONLY}, {@code NOREPLICAS}, {@code MISCONF}).
   */
  public static boolean isOutage(Throwable e) {
    if (e instanceof JedisDataException) {
      String message = e.getMessage();
      if (message == null) {
        return false;
      }
      for (String prefix : UNAVAILABLE) {
        if (message.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }
    return e instanceof JedisException;
  }

  static void logCommandError(String name, String operation, RuntimeException e) {
    if (logged.size() > 10_000) {
      logged.clear();
    }
    Throttle throttle = logged.computeIfAbsent(name + '\0' + operation, k -> new Throttle(EVERY));
    if (!throttle.tryAcquire()) {
      return;
    }
    log.warn("Redis refused {} of {}: {} (a command error, not an outage: other work goes on)",
        operation, name, e.toString());
  }
}
