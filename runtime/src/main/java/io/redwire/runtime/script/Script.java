package io.redwire.runtime.script;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run with {@code EVALSHA}, falling back to {@code EVAL} (which also caches it on the
 * server) when the server answers {@code NOSCRIPT}, e.g. after a restart, a failover or {@code
 * SCRIPT FLUSH}. Later calls use {@code EVALSHA} again.
 *
 * <p>The source is a constant: data only ever travels in {@code KEYS} and {@code ARGV}. On a Redis
 * Cluster the call is routed by its keys, which must therefore share one hash tag.
 *
 * <p>Immutable and thread-safe; create one per script, as a constant.
 */
public final class Script {

  private final String name;
  private final String source;
  private final byte[] sourceBytes;
  private final String sha1;
  private final byte[] sha1Bytes;

  /**
   * @param name a short name for logs and errors, e.g. {@code "cache.get"}
   * @param luaSource the script text
   */
  public Script(String name, String luaSource) {
    this.name = Objects.requireNonNull(name, "name");
    this.source = Objects.requireNonNull(luaSource, "luaSource");
    if (luaSource.isBlank()) {
      throw new IllegalArgumentException("script " + name + " is empty");
    }
    this.sourceBytes = luaSource.getBytes(StandardCharsets.UTF_8);
    this.sha1 = sha1Hex(sourceBytes);
    this.sha1Bytes = sha1.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Runs the script: {@code EVALSHA sha1 keyCount keys... args...}, or {@code EVAL} once if the
   * server does not have it cached.
   *
   * @param jedis a standalone, Sentinel or Cluster client
   * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
   * @param keysAndArgs the keys, then the arguments; not modified
   * @return the reply as Jedis returns it for binary calls: {@code Long}, {@code byte[]}, {@code
   *     List<Object>} or {@code null}
   * @throws IllegalArgumentException if keyCount is negative or larger than keysAndArgs
   * @throws redis.clients.jedis.exceptions.JedisException for errors from Redis or the network
   */
  public Object run(UnifiedJedis jedis, int keyCount, byte[]... keysAndArgs) {
    if (keyCount < 0 || keyCount > keysAndArgs.length) {
      throw new IllegalArgumentException(
          "script " + name + ": keyCount " + keyCount + " with " + keysAndArgs.length
              + " keys and arguments");
    }
    try {
      return jedis.evalsha(sha1Bytes, keyCount, keysAndArgs);
    } catch (JedisNoScriptException e) {
      return jedis.eval(sourceBytes, keyCount, keysAndArgs);
    }
  }

  /** Like {@link #run(UnifiedJedis, int, byte[]...)}, with the keys and the arguments as lists. */
  public Object run(UnifiedJedis jedis, java.util.List<byte[]> keys, java.util.List<byte[]> args) {
    try {
      return jedis.evalsha(sha1Bytes, keys, args);
    } catch (JedisNoScriptException e) {
      return jedis.eval(sourceBytes, keys, args);
    }
  }

  /**
   * Queues {@code EVALSHA} of this script on {@code pipeline}. The caller handles {@code NOSCRIPT}:
   * a response that throws {@link #missing missing} is run again with {@link #run(UnifiedJedis, int,
   * byte[]...)}, which sends the source once.
   */
  public Response<Object> queue(AbstractPipeline pipeline, int keyCount, byte[]... keysAndArgs) {
    return pipeline.evalsha(sha1Bytes, keyCount, keysAndArgs);
  }

  /** Whether {@code e}, thrown by a queued call's response, says the server does not have the script. */
  public static boolean missing(RuntimeException e) {
    return e instanceof JedisNoScriptException
        || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
  }

  /** The lowercase hex SHA-1 of the source, as Redis computes it. */
  public String sha1() {
    return sha1;
  }

  /** The name given at construction. */
  public String name() {
    return name;
  }

  /** The Lua source. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "Script[" + name + ", " + sha1 + "]";
  }

  private static String sha1Hex(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(bytes);
      StringBuilder hex = new StringBuilder(40);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
