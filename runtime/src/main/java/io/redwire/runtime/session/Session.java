package io.redwire.runtime.session;

import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.CodecException;
import io.redwire.runtime.codec.Values;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One session as generated views use it: every method is one round trip through
 * {@link SessionScripts#ACCESS}, conditional on the session existing, and slides its idle TTL.
 *
 * <p>Once an access finds the session ended (expired, invalidated, evicted or rotated away), the
 * handle remembers it: reads answer absent and writes throw {@link SessionEndedException} without
 * another round trip (an id is never reused, so an ended session never comes back).
 *
 * <p>Values: fields with an increment ({@code addX}) hold decimal integers, so {@code HINCRBY} works on
 * them; every other field holds its codec's bytes behind the value header with the type's
 * fingerprint. Bytes that no longer decode (another shape of the type, after a deploy) read as absent
 * and are reported through {@code sessionDecodeFailure}; the other fields still read.
 */
public final class Session {

  private final SessionStore<?> store;
  private final String id;
  private final byte[] key;
  private volatile boolean ended;

  Session(SessionStore<?> store, String id, byte[] key) {
    this.store = store;
    this.id = id;
    this.key = key;
  }

  /** The session id. */
  public String id() {
    return id;
  }

  /** For a view of a malformed id: ended before any access. */
  void markEnded() {
    ended = true;
  }

  /** Whether an access found this session ended. */
  public boolean ended() {
    return ended;
  }

  // ---------------------------------------------------------------- reads

  /** Where a {@code get} reply's values start (after the deadline and the creation time). */
  private static final int GOT = 2;

  /** The stored bytes of {@code field}, or null when absent or when the session has ended. */
  public byte[] get(SessionField field) {
    if (ended) {
      store.redwire.ensureOpen();
      return null;
    }
    byte[][] args = store.args(key, SessionOps.GET, 1);
    args[SessionStore.ARGS] = field.bytes;
    Object reply = store.access("get", args);
    if (end(reply)) {
      return null;
    }
    return (byte[]) ((List<?>) reply).get(GOT);
  }

  /** The stored bytes of each field in one round trip, or null when the session has ended. */
  public byte[][] getAll(SessionField[] fields) {
    if (ended) {
      store.redwire.ensureOpen();
      return null;
    }
    byte[][] args = store.args(key, SessionOps.GET, fields.length);
    for (int i = 0; i < fields.length; i++) {
      args[SessionStore.ARGS + i] = fields[i].bytes;
    }
    Object reply = store.access("get", args);
    if (end(reply)) {
      return null;
    }
    List<?> values = (List<?>) reply;
    byte[][] out = new byte[fields.length][];
    for (int i = 0; i < fields.length; i++) {
      out[i] = (byte[]) values.get(GOT + i);
    }
    return out;
  }

  /** An integral field as a long: 0 when absent, ended or not a decimal integer (reported). */
  public long getLong(SessionField field) {
    return longOf(get(field), field);
  }

  /** {@link #getLong} as an int (0 when it does not fit, reported). */
  public int getInt(SessionField field) {
    return intOf(get(field), field);
  }

  /** Decimal integer bytes as a long: 0 when null or malformed (reported). */
  public long longOf(byte[] raw, SessionField field) {
    if (raw == null) {
      return 0;
    }
    try {
      return Long.parseLong(new String(raw, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      store.redwire.metrics().sessionDecodeFailure(store.name, field.name(),
          new CodecException("not a decimal integer"));
      return 0;
    }
  }

  /** Decimal integer bytes as an int: 0 when null, malformed or out of range (reported). */
  public int intOf(byte[] raw, SessionField field) {
    long v = longOf(raw, field);
    if (v != (int) v) {
      store.redwire.metrics().sessionDecodeFailure(store.name, field.name(),
          new CodecException("integer out of int range: " + v));
      return 0;
    }
    return (int) v;
  }

  /**
   * Decodes a field's bytes: null when {@code raw} is null or holds another type shape or damaged
   * bytes (reported through {@code sessionDecodeFailure}).
   */
  public <T> T decode(byte[] raw, SessionField field, long fingerprint, Codec<T> codec) {
    if (raw == null) {
      return null;
    }
    try {
      return Values.decode(fingerprint, codec, raw);
    } catch (RuntimeException e) {
      // CodecException, FingerprintMismatchException, or a record constructor that refused the values
      store.redwire.metrics().sessionDecodeFailure(store.name, field.name(), e);
      return null;
    }
  }

  /** Encodes a value with its header; null stays null (the field is deleted). */
  public static <T> byte[] encode(T value, long fingerprint, Codec<T> codec) {
    return value == null ? null : Values.encode(fingerprint, codec, value);
  }

  // ---------------------------------------------------------------- writes

  /** Writes {@code field} ({@code null}: deletes it). */
  public void set(SessionField field, byte[] value) {
    live("set ", field);
    byte[][] args;
    if (value == null) {
      args = store.args(key, SessionOps.DEL, 1);
    } else {
      args = store.args(key, SessionOps.SET, 2);
      args[SessionStore.ARGS + 1] = value;
    }
    args[SessionStore.ARGS] = field.bytes;
    ended(store.access("set", args), "set ", field);
  }

  /** Writes an integral field as a decimal integer. */
  public void set(SessionField field, long value) {
    set(field, SessionStore.ascii(value));
  }

  /**
   * Adds {@code delta} to an integral field (absent counts as 0) and returns the new value. Bytes that
   * are no decimal integer (written by an older shape of the field) count as absent and are reported.
   *
   * @throws ArithmeticException when the sum overflows a long; nothing was written
   */
  public long add(SessionField field, long delta) {
    live("add to ", field);
    byte[][] args = store.args(key, SessionOps.ADD, 2);
    args[SessionStore.ARGS] = field.bytes;
    args[SessionStore.ARGS + 1] = SessionStore.ascii(delta);
    return added(adding("add", args, field, delta), field);
  }

  /**
   * Runs a long increment ({@code add} or {@code addv}); the overflow Redis refuses (its
   * {@code HINCRBY} writes nothing) becomes the documented {@link ArithmeticException}.
   */
  private Object adding(String operation, byte[][] args, SessionField field, long delta) {
    try {
      return store.access(operation, args);
    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
      if (e.getMessage() != null && e.getMessage().contains("overflow")) {
        throw new ArithmeticException("long overflow: adding " + delta + " to session field " + store.name + "."
            + field + " would leave the long range; nothing was written");
      }
      throw e;
    }
  }

  /**
   * {@link #add(SessionField, long)} of an {@code int} field: refused, writing nothing, when the sum
   * would leave the int range.
   *
   * @throws ArithmeticException when the sum overflows an int; nothing was written
   */
  public int addInt(SessionField field, int delta) {
    live("add to ", field);
    byte[][] args = store.args(key, SessionOps.ADD, 4);
    args[SessionStore.ARGS] = field.bytes;
    args[SessionStore.ARGS + 1] = SessionStore.ascii(delta);
    args[SessionStore.ARGS + 2] = INT_MIN;
    args[SessionStore.ARGS + 3] = INT_MAX;
    Object reply = store.access("add", args);
    long v = added(reply, field);
    if (((List<?>) reply).size() > 2) {
      throw new ArithmeticException("integer overflow: session field " + store.name + "." + field + " holds " + v
          + "; adding " + delta + " would leave the int range, so nothing was written");
    }
    return (int) v;
  }

  /**
   * {@link #add(SessionField, long)}, then reads {@code fields} in the same round trip (after the
   * increment, so {@code field} among them holds the new value): a read-modify access of one script.
   * Answers the fields' stored bytes in order (null when absent), never null: an ended session throws
   * {@link SessionEndedException}, as {@code add} does.
   *
   * @throws ArithmeticException when the sum overflows a long; nothing was written
   */
  public byte[][] addAndGet(SessionField field, long delta, SessionField[] fields) {
    live("add to ", field);
    byte[][] args = addViewArgs(field, SessionStore.ascii(delta), SessionOps.EMPTY, SessionOps.EMPTY, fields);
    return viewed(adding("addAndGet", args, field, delta), field, fields.length);
  }

  /**
   * {@link #addAndGet(SessionField, long, SessionField[])} of an {@code int} field: refused, writing
   * and reading nothing, when the sum would leave the int range.
   *
   * @throws ArithmeticException when the sum overflows an int; nothing was written
   */
  public byte[][] addIntAndGet(SessionField field, int delta, SessionField[] fields) {
    live("add to ", field);
    byte[][] args = addViewArgs(field, SessionStore.ascii(delta), INT_MIN, INT_MAX, fields);
    Object reply = store.access("addAndGet", args);
    long v = added(reply, field);
    if (((Number) ((List<?>) reply).get(2)).longValue() == 1) {
      throw new ArithmeticException("integer overflow: session field " + store.name + "." + field + " holds " + v
          + "; adding " + delta + " would leave the int range, so nothing was written");
    }
    return values(reply, fields.length);
  }

  private byte[][] addViewArgs(SessionField field, byte[] delta, byte[] min, byte[] max, SessionField[] fields) {
    byte[][] args = store.args(key, SessionOps.ADD_VIEW, 4 + fields.length);
    args[SessionStore.ARGS] = field.bytes;
    args[SessionStore.ARGS + 1] = delta;
    args[SessionStore.ARGS + 2] = min;
    args[SessionStore.ARGS + 3] = max;
    for (int i = 0; i < fields.length; i++) {
      args[SessionStore.ARGS + 4 + i] = fields[i].bytes;
    }
    return args;
  }

  /** The view's values of an {@code addv} reply, having noted an ended session and stale bytes. */
  private byte[][] viewed(Object reply, SessionField field, int count) {
    ended(reply, "add to ", field);
    stale((List<?>) reply, field);
    return values(reply, count);
  }

  /** Where an {@code addv} reply's values start (after the new value, stale and refused). */
  private static final int ADDED = 3;

  private static byte[][] values(Object reply, int count) {
    List<?> r = (List<?>) reply;
    byte[][] out = new byte[count][];
    for (int i = 0; i < count; i++) {
      out[i] = (byte[]) r.get(ADDED + i);
    }
    return out;
  }

  private static final byte[] INT_MIN = SessionStore.ascii(Integer.MIN_VALUE);
  private static final byte[] INT_MAX = SessionStore.ascii(Integer.MAX_VALUE);

  private long added(Object reply, SessionField field) {
    ended(reply, "add to ", field);
    List<?> r = (List<?>) reply;
    stale(r, field);
    // beyond 2^53 the script answers the stored digits (Lua numbers are doubles)
    return r.get(0) instanceof byte[] digits ? Long.parseLong(new String(digits, StandardCharsets.US_ASCII))
        : ((Number) r.get(0)).longValue();
  }

  /** Reports an increment that found bytes of an older shape of the field (and started from 0). */
  private void stale(List<?> r, SessionField field) {
    if (r.size() > 1 && ((Number) r.get(1)).longValue() == 1) {
      store.redwire.metrics().sessionDecodeFailure(store.name, field.name(),
          new CodecException("not a decimal integer (an older shape of the field): the increment started from 0"));
    }
  }

  /**
   * Writes {@code update} when the field holds {@code expect} (byte for byte; null: absent). Returns
   * whether it wrote. Generated views use the typed overload, which also matches equal values encoded
   * in another order.
   */
  public boolean compareAndSet(SessionField field, byte[] expect, byte[] update) {
    return cas(field, SessionOps.VALUE, expect, update);
  }

  /** {@link #compareAndSet(SessionField, byte[], byte[])} of an integral field (absent counts as 0). */
  public boolean compareAndSet(SessionField field, long expect, long update) {
    return cas(field, SessionOps.INTEGRAL, SessionStore.ascii(expect), SessionStore.ascii(update));
  }

  /**
   * Writes {@code update} when the field holds a value equal to {@code expect} ({@code null}: absent).
   * Values are compared encoded first (one round trip); when the bytes differ, the field's bytes are
   * decoded and compared with {@link Object#equals}, so a set or map equal to {@code expect} but encoded
   * in another order still matches (then the write is tried again against exactly those bytes).
   */
  public <T> boolean compareAndSet(SessionField field, T expect, T update, long fingerprint, Codec<T> codec) {
    byte[] expected = encode(expect, fingerprint, codec);
    byte[] updated = encode(update, fingerprint, codec);
    while (true) {
      Object reply = casReply(field, SessionOps.VALUE, expected, updated);
      if (!(reply instanceof List<?> current)) {
        return true;
      }
      byte[] raw = current.isEmpty() ? null : (byte[]) current.get(0);
      if (raw == null || expect == null || Arrays.equals(raw, expected)) {
        return false;
      }
      T value = decode(raw, field, fingerprint, codec);
      if (!expect.equals(value)) {
        return false;
      }
      expected = raw; // an equal value in another encoding: compare against exactly these bytes
    }
  }

  private boolean cas(SessionField field, byte[] mode, byte[] expect, byte[] update) {
    return !(casReply(field, mode, expect, update) instanceof List<?>);
  }

  /** 1 when written, else a list holding the field's current bytes (empty when absent). */
  private Object casReply(SessionField field, byte[] mode, byte[] expect, byte[] update) {
    live("compare-and-set ", field);
    byte[][] args = store.args(key, SessionOps.CAS, 6);
    args[SessionStore.ARGS] = field.bytes;
    args[SessionStore.ARGS + 1] = mode;
    args[SessionStore.ARGS + 2] = expect == null ? SessionOps.NO : SessionOps.YES;
    args[SessionStore.ARGS + 3] = expect == null ? SessionOps.EMPTY : expect;
    args[SessionStore.ARGS + 4] = update == null ? SessionOps.NO : SessionOps.YES;
    args[SessionStore.ARGS + 5] = update == null ? SessionOps.EMPTY : update;
    Object reply = store.access("compareAndSet", args);
    ended(reply, "compare-and-set ", field);
    return reply;
  }

  /**
   * Writes the {@code @SessionUser} field ({@code null}: deletes it) and keeps the user index in step:
   * one round trip for the session, then one for the new user's index (which may end the user's oldest
   * sessions beyond {@code maxPerUser}), and one to leave the previous user's index when it changed.
   */
  public void setUser(SessionField field, byte[] value, String user) {
    live("set ", field);
    byte[][] args = store.args(key, SessionOps.USER, 4);
    args[SessionStore.ARGS] = field.bytes;
    args[SessionStore.ARGS + 1] = value == null ? SessionOps.NO : SessionOps.YES;
    args[SessionStore.ARGS + 2] = value == null ? SessionOps.EMPTY : value;
    args[SessionStore.ARGS + 3] = user == null ? SessionOps.EMPTY : user.getBytes(StandardCharsets.UTF_8);
    Object reply = store.access("setUser", args);
    ended(reply, "set ", field);
    String old = SessionStore.text(((List<?>) reply).get(0));
    try {
      if (!old.isEmpty() && !old.equals(user)) {
        store.unindexed(id, old);
      }
      if (user != null && !user.equals(old)) {
        store.indexed(id, user);
      }
    } catch (RuntimeException e) {
      throw store.failed("user-index", e);
    }
  }

  // ----------------------------------------------------------------

  /** Refuses a write once the session has ended; the message ({@code verb + field}) is built only then. */
  private void live(String verb, SessionField field) {
    store.redwire.ensureOpen();
    if (ended) {
      throw new SessionEndedException(store.name, verb + field);
    }
  }

  /** Notes an ended session (counted once per handle); returns whether it ended. */
  private boolean end(Object reply) {
    if (!SessionStore.ended(reply)) {
      return false;
    }
    if (!ended) {
      ended = true;
      if (((Long) reply) == SessionScripts.MISSING) {
        store.redwire.metrics().sessionExpiredOnRead(store.name);
      }
    }
    return true;
  }

  private void ended(Object reply, String verb, SessionField field) {
    if (end(reply)) {
      throw new SessionEndedException(store.name, verb + field);
    }
  }

  @Override
  public String toString() {
    return "Session[" + store.name + ", " + (key == null ? "malformed id" : id.substring(0, SessionIds.TAG) + "...") + "]";
  }
}
