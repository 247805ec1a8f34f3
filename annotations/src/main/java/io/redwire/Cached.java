package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Cache-aside around the delegate: the result is read from Redis when present, otherwise the delegate
 * computes it and it is stored for {@link #ttl()}.
 *
 * <pre>{@code
 * @Cached(ttl = "10m", key = "{id}")
 * Product product(long id);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Cached {

  /** How long an entry lives: {@code "250ms"}, {@code "30s"}, {@code "10m"}, {@code "2h"}, {@code "1d"} or ISO-8601 {@code "PT10M"}. Required. */
  String ttl() default "";

  /** The cache name, unique in the interface; {@link CachePut} and {@link CacheEvict} refer to it. Defaults to the method name. */
  String name() default "";

  /** Key template such as {@code "{id}"} or {@code "{user.id}:v{version}"}; defaults to all parameters in order. */
  String key() default "";

  /** Percentage (0-100) by which each written TTL is randomly shortened, so keys written together do not expire together. */
  int jitter() default 0;

  /** Whether a {@code null} (or empty {@code Optional}) result is cached as a tombstone. */
  boolean nulls() default false;

  /** TTL of a cached null; defaults to {@link #ttl()}. Only with {@code nulls = true}. */
  String nullTtl() default "";

  /** How an entry close to expiry is recomputed. */
  Refresh refresh() default Refresh.EARLY;

  /**
   * Size of an in-process near cache (L1) in front of Redis, in entries; 0 (the default) for none. A
   * near hit costs no round trip and allocates nothing. Entries are kept coherent across instances
   * (server-assisted client tracking where the server has it, else Redwire's own invalidation
   * messages) and never outlive the Redis entry. The decoded value is shared by every caller, so it
   * must be immutable: the processor warns ({@code [Redwire/NearMutable]}) when it visibly is not.
   */
  int near() default 0;

  /** Recomputation policy near expiry (XFetch, Vattani et al., VLDB 2015). */
  enum Refresh {
    /** No early refresh: entries expire and the next caller loads. */
    NONE,
    /** One caller, chosen probabilistically as expiry nears, recomputes before returning. */
    EARLY,
    /** As {@code EARLY}, but the recompute runs in the background and every caller gets the current value. */
    BACKGROUND
  }
}
