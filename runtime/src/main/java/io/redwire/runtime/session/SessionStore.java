package io.redwire.runtime.session;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.key.KeyWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The sessions of one {@code @SessionScoped} interface on one {@link Redwire}: what the generated
 * {@code Redwire<Interface>.store(redwire)} returns. Thread-safe; building it does no I/O.
 *
 * <p>Each session is one hash, {@code <namespace>:session:<name>:{<tag>}:<random>}, where the id is
 * the tag and the random part (see {@link #create()}); one field per accessor plus the store's own
 * fields ({@code @a} the absolute deadline, {@code @c} the creation time, {@code @u} the user). With a
 * {@code @SessionUser} accessor, each user has an index, {@code <namespace>:session-user:<name>:{<user>}}:
 * a sorted set of session ids in its own hash slot, bounded and expiring.
 *
 * <p>Redis failures reach the caller (there is no sensible stand-in for session state); they are
 * counted in {@code redisError} and, when Redis is down, by the circuit breaker.
 *
 * @param <S> the session interface
 */
public final class SessionStore<S> {

  /** Builds a typed view over a session handle: implemented by the generated class. */
  public interface Views<S> {
    S view(Session session);
  }

  final Redwire redwire;
  final UnifiedJedis jedis;
  final String name;
  final SessionSettings settings;
  private final Views<S> views;
  private final byte[] prefix;
  private final byte[] indexPrefix;
  private final SessionIds ids = new SessionIds();
  final byte[] ttl;
  private final byte[] absolute;
  private final byte[] bound;

  private SessionStore(Redwire redwire, SessionSettings settings, Views<S> views) {
    this.redwire = redwire;
    this.jedis = redwire.client();
    this.name = settings.name();
    this.settings = settings;
    this.views = views;
    this.prefix = redwire.prefix("session", name);
    this.indexPrefix = redwire.prefix("session-user", name);
    long ttlMillis = redwire.ttl(name, Duration.ofMillis(settings.ttlMillis())).toMillis();
    this.ttl = ascii(ttlMillis);
    this.absolute = ascii(settings.absoluteMillis());
    this.bound = ascii(settings.userBound());
  }

  /**
   * The store of {@code settings.name()} on {@code redwire}, with views built by {@code views}; no I/O.
   * The generated {@code store(redwire)} claims the name first.
   */
  public static <S> SessionStore<S> of(Redwire redwire, SessionSettings settings, Views<S> views) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(views, "views");
    redwire.ensureOpen();
    return new SessionStore<>(redwire, settings, views);
  }

  /** The store name. */
  public String name() {
    return name;
  }

  /**
   * Creates a session (one round trip) and returns its view. Its id is 47 URL-safe characters: a
   * 4-character slot tag and 256 random bits from {@code SecureRandom}.
   */
  public S create() {
    redwire.ensureOpen();
    try {
      while (true) {
        String id = ids.create();
        byte[] key = key(id);
        Object reply = SessionScripts.CREATE.run(jedis, 1, key, ttl, absolute);
        if (((Number) reply).longValue() == 1) {
          redwire.metrics().sessionCreated(name);
          return views.view(new Session(this, id, key));
        }
      }
    } catch (RuntimeException e) {
      throw failed("create", e);
    }
  }

  /**
   * The session {@code id}, when it exists: one round trip that also slides its idle TTL and checks
   * its absolute deadline. A malformed id (not 47 URL-safe base64 characters) is empty without a
   * round trip.
   */
  public Optional<S> find(String id) {
    redwire.ensureOpen();
    if (!SessionIds.wellFormed(id)) {
      return Optional.empty();
    }
    byte[] key = key(id);
    Object reply = access("find", key, SessionOps.TOUCH);
    if (ended(reply)) {
      return Optional.empty();
    }
    redwire.metrics().sessionFound(name);
    return Optional.of(views.view(new Session(this, id, key)));
  }

  /**
   * The view of session {@code id} without a round trip: for a request that already holds the id (from
   * a cookie) and goes straight to its fields. Its first access answers whether the session exists
   * (absent values, {@link SessionEndedException} on writes when it does not); a malformed id gives a
   * view that has ended from the start. {@link #find} is the same plus one round trip that answers
   * existence up front.
   */
  public S view(String id) {
    redwire.ensureOpen();
    if (!SessionIds.wellFormed(id)) {
      Session ended = new Session(this, String.valueOf(id), null);
      ended.markEnded();
      return views.view(ended);
    }
    return views.view(new Session(this, id, key(id)));
  }

  /**
   * Moves session {@code id} to a new id, atomically and in one round trip (a same-slot {@code RENAME}
   * of its hash: the new id keeps the old one's slot tag), and returns the view of the new id; the old
   * id finds nothing afterwards, and views of it see an ended session. Empty when the session does not
   * exist. With a user index, the index entry is moved in a second round trip (its own hash slot);
   * when that entry is gone (the user was logged out everywhere, or the session evicted by
   * {@code maxPerUser}, while this rotation ran), the session is ended under its new id too and the
   * answer is empty: a rotation never lets a logged-out session live on unindexed.
   */
  public Optional<S> rotate(String id) {
    redwire.ensureOpen();
    if (!SessionIds.wellFormed(id)) {
      return Optional.empty();
    }
    byte[] key = key(id);
    while (true) {
      String next = ids.rotate(id);
      byte[] nextKey = key(next);
      Object reply;
      try {
        reply = SessionScripts.ACCESS.run(jedis, 2, key, nextKey, SessionOps.ROTATE, ttl, absolute);
      } catch (RuntimeException e) {
        throw failed("rotate", e);
      }
      if (ended(reply)) {
        return Optional.empty();
      }
      if (reply instanceof List<?> user) {
        String u = text(user.get(0));
        if (!u.isEmpty() && settings.indexed()) {
          Object moved;
          try {
            moved = SessionScripts.INDEX_MOVE.run(jedis, 1, indexKey(u), id.getBytes(StandardCharsets.US_ASCII),
                next.getBytes(StandardCharsets.US_ASCII));
          } catch (RuntimeException e) {
            throw failed("rotate-index", e);
          }
          if (((Number) moved).longValue() == 0) {
            // The index entry is gone: invalidateAll took the index, or a maxPerUser eviction ended the
            // session, between our rename and this move (their DEL of the old id found nothing). The
            // session was logged out: end it under its new id too, or it would survive unindexed.
            if (!ended(access("rotate-ended", nextKey, SessionOps.INVALIDATE))) {
              redwire.metrics().sessionInvalidated(name);
            }
            return Optional.empty();
          }
        }
        redwire.metrics().sessionRotated(name);
        return Optional.of(views.view(new Session(this, next, nextKey)));
      }
      // the new id was taken (2^-256): draw another
    }
  }

  /**
   * Ends session {@code id} (one round trip; with a user, a second one removes it from the index).
   * Returns whether it existed. A malformed id is false without a round trip.
   */
  public boolean invalidate(String id) {
    redwire.ensureOpen();
    if (!SessionIds.wellFormed(id)) {
      return false;
    }
    Object reply = access("invalidate", key(id), SessionOps.INVALIDATE);
    if (ended(reply)) {
      return false;
    }
    String user = text(((List<?>) reply).get(0));
    if (!user.isEmpty()) {
      try {
        jedis.zrem(indexKey(user), id.getBytes(StandardCharsets.US_ASCII));
      } catch (RuntimeException e) {
        throw failed("invalidate-index", e);
      }
    }
    redwire.metrics().sessionInvalidated(name);
    return true;
  }

  /**
   * The ids of {@code user}'s live sessions, oldest login first: one round trip for the index, then one
   * {@code EXISTS} per entry (at most {@code maxPerUser}, or {@link SessionSettings#INDEX_BOUND});
   * entries whose session has ended are dropped from the index.
   *
   * @throws IllegalStateException when the interface has no {@code @SessionUser} accessor
   */
  public List<String> sessionsOf(String user) {
    requireIndex();
    Objects.requireNonNull(user, "user");
    byte[] index = indexKey(user);
    try {
      List<String> live = new ArrayList<>();
      for (byte[] member : jedis.zrange(index, 0, -1)) {
        String id = new String(member, StandardCharsets.US_ASCII);
        if (SessionIds.wellFormed(id) && jedis.exists(key(id))) {
          live.add(id);
        } else {
          jedis.zrem(index, member);
        }
      }
      return live;
    } catch (RuntimeException e) {
      throw failed("sessionsOf", e);
    }
  }

  /**
   * Logs {@code user} out everywhere: takes the user's index (read and deleted in one round trip), then
   * deletes each of its sessions (one round trip each: they live in other hash slots). A session
   * logged in while this runs is either taken with the index or starts a new index; it is never left
   * half-indexed. Returns how many sessions ended.
   *
   * @throws IllegalStateException when the interface has no {@code @SessionUser} accessor
   */
  public int invalidateAll(String user) {
    requireIndex();
    Objects.requireNonNull(user, "user");
    try {
      Object reply = SessionScripts.INDEX_TAKE.run(jedis, 1, indexKey(user));
      int ended = 0;
      for (Object member : (List<?>) reply) {
        String id = text(member);
        if (SessionIds.wellFormed(id) && jedis.del(key(id)) > 0) {
          ended++;
          redwire.metrics().sessionInvalidated(name);
        }
      }
      return ended;
    } catch (RuntimeException e) {
      throw failed("invalidateAll", e);
    }
  }

  private void requireIndex() {
    redwire.ensureOpen();
    if (!settings.indexed()) {
      throw new IllegalStateException("session store \"" + name + "\" has no user index: mark the"
          + " String getter that names the user with @SessionUser");
    }
  }

  /**
   * Adds session {@code id} to {@code user}'s index and, when the index holds more than its bound,
   * ends the oldest live sessions other than {@code id} (entries whose session already ended are
   * dropped first). Concurrent logins of one user may each evict; the bound holds after each.
   */
  void indexed(String id, String user) {
    byte[] index = indexKey(user);
    Object reply = SessionScripts.INDEX_ADD.run(jedis, 1, index, id.getBytes(StandardCharsets.US_ASCII),
        absolute, bound);
    List<?> all = (List<?>) reply;
    if (all.isEmpty()) {
      return;
    }
    List<String> live = new ArrayList<>();
    for (Object member : all) {
      String other = text(member);
      if (other.equals(id) || SessionIds.wellFormed(other) && jedis.exists(key(other))) {
        live.add(other);
      } else {
        jedis.zrem(index, other.getBytes(StandardCharsets.US_ASCII));
      }
    }
    int over = live.size() - settings.userBound();
    for (int i = 0; i < live.size() && over > 0; i++) {
      String old = live.get(i);
      if (old.equals(id)) {
        continue;
      }
      jedis.del(key(old));
      jedis.zrem(index, old.getBytes(StandardCharsets.US_ASCII));
      redwire.metrics().sessionInvalidated(name);
      over--;
    }
  }

  void unindexed(String id, String user) {
    jedis.zrem(indexKey(user), id.getBytes(StandardCharsets.US_ASCII));
  }

  /** Where {@link #args} leaves room for an operation's own arguments. */
  static final int ARGS = 4;

  /**
   * The keys and arguments of an {@link SessionScripts#ACCESS} call on {@code key}: KEYS[1], then op,
   * ttl and the absolute timeout, with {@code extra} empty slots from {@link #ARGS} on for the
   * operation's arguments (filled by the caller, so one array is built per call).
   */
  byte[][] args(byte[] key, byte[] op, int extra) {
    byte[][] all = new byte[ARGS + extra][];
    all[0] = key;
    all[1] = op;
    all[2] = ttl;
    all[3] = absolute;
    return all;
  }

  /** Runs {@link SessionScripts#ACCESS} with {@code op} and no further arguments. */
  Object access(String operation, byte[] key, byte[] op) {
    return access(operation, args(key, op, 0));
  }

  /** Runs {@link SessionScripts#ACCESS} with arguments built by {@link #args}. */
  Object access(String operation, byte[][] keysAndArgs) {
    redwire.ensureOpen();
    Object reply;
    try {
      reply = SessionScripts.ACCESS.run(jedis, 1, keysAndArgs);
    } catch (RuntimeException e) {
      throw failed(operation, e);
    }
    if (reply instanceof Long l && l == SessionScripts.TOO_OLD) {
      redwire.metrics().sessionExpiredOnRead(name);
    }
    return reply;
  }

  static boolean ended(Object reply) {
    return reply instanceof Long l && l < 0;
  }

  byte[] key(String id) {
    byte[] k = new byte[prefix.length + SessionIds.LENGTH + 3];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    int p = prefix.length;
    k[p++] = '{';
    for (int i = 0; i < SessionIds.TAG; i++) {
      k[p++] = (byte) id.charAt(i);
    }
    k[p++] = '}';
    k[p++] = ':';
    for (int i = SessionIds.TAG; i < SessionIds.LENGTH; i++) {
      k[p++] = (byte) id.charAt(i);
    }
    return k;
  }

  byte[] indexKey(String user) {
    return KeyWriter.begin(indexPrefix).part(user).end();
  }

  RuntimeException failed(String operation, RuntimeException e) {
    redwire.failed(name, "session-" + operation, e);
    return e;
  }

  static String text(Object reply) {
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
  }

  static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "SessionStore[" + name + "]";
  }
}
