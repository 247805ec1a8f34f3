package io.redwire.runtime.events;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.Values;
import io.redwire.runtime.stream.DeadLetterStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dead letters of one listener method's group, typed: list them (decoded), replay one or all (put
 * back on the channel with the same event id: this group handles it again, other groups that handled it
 * within their handled-record window skip it), purge one or all. Each call is one or two round trips.
 */
public final class DeadLetters<T> {

  private final DeadLetterStore store;
  private final long fingerprint;
  private final Codec<T> codec;

  private DeadLetters(DeadLetterStore store, long fingerprint, Codec<T> codec) {
    this.store = store;
    this.fingerprint = fingerprint;
    this.codec = codec;
  }

  /** No I/O. */
  public static <T> DeadLetters<T> of(Redwire redwire, Listening listening, long fingerprint, Codec<T> codec) {
    redwire.ensureOpen();
    if (!listening.durable()) {
      throw new IllegalStateException("channel " + listening.channel() + " is not durable: it has no dead letters");
    }
    return new DeadLetters<>(new DeadLetterStore(redwire, Channels.stream(redwire, listening.channel()),
        Channels.deadLetters(redwire, listening.channel(), listening.group()),
        Channels.handled(redwire, listening.channel(), listening.group()), Envelope.ID,
        listening.group().getBytes(java.nio.charset.StandardCharsets.UTF_8)), fingerprint, codec);
  }

  /** Up to {@code limit} dead letters, oldest first. */
  public List<DeadLetter<T>> list(int limit) {
    List<DeadLetter<T>> out = new ArrayList<>();
    for (DeadLetterStore.Entry e : store.list(limit)) {
      Map<String, byte[]> f = e.fields();
      T event = null;
      byte[] data = f.get(Envelope.DATA);
      if (data != null) {
        try {
          event = Values.decode(fingerprint, codec, data);
        } catch (RuntimeException undecodable) {
          event = null;
        }
      }
      out.add(new DeadLetter<>(e.id(), text(f, Envelope.ID), instant(text(f, Envelope.AT)), event,
          text(f, "dead-error"), (int) number(text(f, "dead-deliveries")), instant(text(f, "dead-at"))));
    }
    return out;
  }

  /** How many dead letters there are. */
  public long count() {
    return store.count();
  }

  /** Puts one back on the channel; false when there is no dead letter with that id. */
  public boolean replay(String id) {
    return store.replay(id);
  }

  /** Puts every dead letter back on the channel, oldest first; returns how many. */
  public int replayAll() {
    int n = 0;
    while (true) {
      List<DeadLetterStore.Entry> batch = store.list(100);
      if (batch.isEmpty()) {
        return n;
      }
      for (DeadLetterStore.Entry e : batch) {
        if (store.replay(e.id())) {
          n++;
        }
      }
    }
  }

  /** Removes one dead letter; false when there is none with that id. */
  public boolean purge(String id) {
    return store.purge(id);
  }

  /** Removes every dead letter; returns how many there were. */
  public long purgeAll() {
    return store.purgeAll();
  }

  private static String text(Map<String, byte[]> f, String name) {
    byte[] b = f.get(name);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static long number(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant instant(String ms) {
    return ms == null ? null : Instant.ofEpochMilli(number(ms));
  }
}
