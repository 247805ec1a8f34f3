package io.redwire.runtime.stream;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.script.Script;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dead letters of one consumer group, untyped: each is the original entry's fields plus
 * {@code dead-error}, {@code dead-deliveries}, {@code dead-source} (the original entry id) and
 * {@code dead-at} (epoch ms). Typed views (events, jobs) decode the fields.
 */
public final class DeadLetterStore {

  /** One dead letter: its id in the dead-letter stream and its fields. */
  public record Entry(String id, Map<String, byte[]> fields) {}

  /**
   * Adds the original fields (without the dead-* ones) to the stream again, tagged with the group it is
   * replayed for (ARGV[2], when given: other groups of the channel acknowledge it without running, see
   * {@link StreamConsumer#REPLAY_FIELD}), takes its id (field ARGV[3]) out of the group's handled record
   * KEYS[3] (where dead-lettering put it), and removes the dead letter. With a KEYS[4] (a job's unique
   * key), the replayed entry takes that key again first (set to the value of field ARGV[4], expiring
   * after ARGV[5] ms), so an enqueue with the same key while it is pending is a duplicate; when another
   * entry holds the key, nothing is replayed and the answer is 2.
   */
  static final Script REPLAY = new Script("stream.replay", """
      local e = redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1])
      if #e == 0 then return 0 end
      local f = e[1][2]
      local out = {}
      local owner, id = nil, nil
      for i = 1, #f, 2 do
        if string.sub(f[i], 1, 5) ~= 'dead-' and f[i] ~= 'replay-group' then
          out[#out + 1] = f[i]
          out[#out + 1] = f[i + 1]
        end
        if f[i] == ARGV[3] then id = f[i + 1] end
        if KEYS[4] and f[i] == ARGV[4] then owner = f[i + 1] end
      end
      if KEYS[4] and owner then
        local held = redis.call('GET', KEYS[4])
        if held and held ~= owner then return 2 end
        redis.call('SET', KEYS[4], owner, 'PX', ARGV[5])
      end
      if id then redis.call('ZREM', KEYS[3], id) end
      if ARGV[2] ~= '' then
        out[#out + 1] = 'replay-group'
        out[#out + 1] = ARGV[2]
      end
      redis.call('XADD', KEYS[1], '*', unpack(out))
      redis.call('XDEL', KEYS[2], ARGV[1])
      return 1
      """);

  private final Redwire redwire;
  private final byte[] stream;
  private final byte[] dead;
  private final byte[] handled;
  private final byte[] idField;
  private final byte[] group;

  /**
   * Dead letters of a stream read by one group (a job queue), whose handled record is {@code handled}
   * and whose entries carry their id in field {@code idField}.
   */
  public DeadLetterStore(Redwire redwire, byte[] stream, byte[] deadLetters, byte[] handled, String idField) {
    this(redwire, stream, deadLetters, handled, idField, new byte[0]);
  }

  /** Dead letters of {@code group} (handled record {@code handled}): a replay runs in that group only. */
  public DeadLetterStore(Redwire redwire, byte[] stream, byte[] deadLetters, byte[] handled, String idField,
      byte[] group) {
    this.redwire = redwire;
    this.stream = stream;
    this.dead = deadLetters;
    this.handled = handled;
    this.idField = bytes(idField);
    this.group = group;
  }

  /** Up to {@code limit} dead letters, oldest first. */
  public List<Entry> list(int limit) {
    redwire.ensureOpen();
    List<Object> reply = redwire.client().xrange(dead, bytes("-"), bytes("+"), Math.max(1, limit));
    List<Entry> out = new ArrayList<>();
    for (Replies.Raw r : Replies.entries(reply)) {
      out.add(new Entry(r.id(), r.fields() == null ? Map.of() : r.fields()));
    }
    return out;
  }

  /** Up to {@code limit} dead letters after the one with id {@code after} (exclusive), oldest first. */
  public List<Entry> listAfter(String after, int limit) {
    redwire.ensureOpen();
    List<Object> reply = redwire.client().xrange(dead, bytes("(" + after), bytes("+"), Math.max(1, limit));
    List<Entry> out = new ArrayList<>();
    for (Replies.Raw r : Replies.entries(reply)) {
      out.add(new Entry(r.id(), r.fields() == null ? Map.of() : r.fields()));
    }
    return out;
  }

  /** The dead letter with id {@code id}, or null. */
  public Entry get(String id) {
    redwire.ensureOpen();
    List<Object> reply = redwire.client().xrange(dead, bytes(id), bytes(id), 1);
    for (Replies.Raw r : Replies.entries(reply)) {
      return new Entry(r.id(), r.fields() == null ? Map.of() : r.fields());
    }
    return null;
  }

  /** How many dead letters there are. */
  public long count() {
    redwire.ensureOpen();
    return redwire.client().xlen(dead);
  }

  /**
   * Puts the dead letter back on the stream (same fields, so the same event or job id; for this
   * store's group only, when it has one) and removes it from the dead letters, in one script; false
   * when there is no such dead letter.
   */
  public boolean replay(String id) {
    redwire.ensureOpen();
    Object r = REPLAY.run(redwire.client(), 3, stream, dead, handled, bytes(id), group, idField);
    return r instanceof Long l && l == 1L;
  }

  /**
   * Like {@link #replay(String)}, and the replayed entry takes the key {@code uniqueKey} again (when not
   * null), holding the value of its field {@code ownerField} for {@code ttlMillis}: 1 replayed, 0 no such
   * dead letter, 2 not replayed because another entry holds the key.
   */
  public long replayTaking(String id, byte[] uniqueKey, String ownerField, long ttlMillis) {
    redwire.ensureOpen();
    if (uniqueKey == null) {
      return replay(id) ? 1 : 0;
    }
    Object r = REPLAY.run(redwire.client(), 4, stream, dead, handled, uniqueKey, bytes(id), group, idField,
        bytes(ownerField), bytes(Long.toString(ttlMillis)));
    return r instanceof Long l ? l : 0;
  }

  /** Removes one dead letter; false when there is none with that id. */
  public boolean purge(String id) {
    redwire.ensureOpen();
    return redwire.client().xdel(dead, bytes(id)) == 1;
  }

  /** Removes every dead letter; returns how many there were. */
  public long purgeAll() {
    redwire.ensureOpen();
    long n = redwire.client().xlen(dead);
    redwire.client().del(dead);
    return n;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
