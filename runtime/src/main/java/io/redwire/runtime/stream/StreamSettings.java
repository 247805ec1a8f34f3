package io.redwire.runtime.stream;

import java.util.Objects;

/**
 * What a {@link StreamConsumer} reads and how. All keys share one hash tag, so the scripts that touch
 * several of them (ack and record, dead-letter) run on one Redis Cluster slot.
 *
 * @param name for logs and errors, e.g. {@code "orders/billing"}
 * @param stream the stream key
 * @param group the consumer group
 * @param deadLetters the stream that receives entries that failed {@code maxDeliveries} times or could
 *     not be decoded (trimmed to about {@code deadLetterMaxLen} entries)
 * @param handled the sorted set of ids (field {@code idField}) that the group handled within
 *     {@code handledRetainMillis}: an entry whose id is in it is acknowledged without running the
 *     handler
 * @param idField the field holding the entry's own id (an event or job id, stable across re-adds)
 * @param concurrency entries handled at once
 * @param maxDeliveries deliveries before an entry goes to the dead letters (at least 1)
 * @param backoffMillis wait before the first retry; doubled each time, at most 64 times, plus up to
 *     25 % jitter
 * @param reclaimIdleMillis how long an entry may stay unacknowledged with one consumer before another
 *     takes it over ({@code XAUTOCLAIM})
 * @param closeWaitMillis how long {@link StreamConsumer#close()} waits for running handlers
 * @param deleteOnAck whether an entry is deleted from the stream when it is acknowledged or
 *     dead-lettered (job queues: the stream then holds only waiting and running jobs); events keep
 *     their entries (other groups read them) and trim by retention instead
 * @param releaseField a field holding a key that is released when the entry is acknowledged or
 *     dead-lettered: deleted if it still holds the entry's id ({@code idField}); the key must share the
 *     stream's hash tag. Null: none (events); job queues name their unique key this way
 * @param ackBeforeNext whether a handler thread takes its next entry only once the ack of the one it
 *     finished has landed (it sends it, with whatever other acks wait, itself): then at most
 *     {@code concurrency} entries are between their start and their ack, so a consumer killed at any
 *     moment leaves at most that many entries that ran to be run again (job queues). Without it the
 *     handler thread goes on at once and a separate thread sends the acks in batches, so more entries may
 *     have run unacknowledged at a kill (events: more throughput at concurrency 1)
 */
public record StreamSettings(
    String name,
    byte[] stream,
    byte[] group,
    byte[] deadLetters,
    byte[] handled,
    String idField,
    int concurrency,
    int maxDeliveries,
    long backoffMillis,
    long reclaimIdleMillis,
    long handledRetainMillis,
    long deadLetterMaxLen,
    long closeWaitMillis,
    boolean deleteOnAck,
    String releaseField,
    boolean ackBeforeNext) {

  /** Settings whose entries stay in the stream when acknowledged and release nothing (events). */
  public StreamSettings(String name, byte[] stream, byte[] group, byte[] deadLetters, byte[] handled,
      String idField, int concurrency, int maxDeliveries, long backoffMillis, long reclaimIdleMillis,
      long handledRetainMillis, long deadLetterMaxLen, long closeWaitMillis) {
    this(name, stream, group, deadLetters, handled, idField, concurrency, maxDeliveries, backoffMillis,
        reclaimIdleMillis, handledRetainMillis, deadLetterMaxLen, closeWaitMillis, false, null, false);
  }

  public StreamSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(deadLetters, "deadLetters");
    Objects.requireNonNull(handled, "handled");
    Objects.requireNonNull(idField, "idField");
    if (concurrency < 1 || maxDeliveries < 1 || backoffMillis < 1 || reclaimIdleMillis < 1
        || handledRetainMillis < 1 || deadLetterMaxLen < 1 || closeWaitMillis < 0) {
      throw new IllegalArgumentException("invalid stream settings for " + name);
    }
  }

  /**
   * The hash of ids to the entry that runs them ({@code handled} + {@code ":owners"}, same Cluster
   * slot): an entry carrying an id whose owner is still pending is a copy, acknowledged without running.
   */
  public byte[] owners() {
    byte[] suffix = ":owners".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] key = java.util.Arrays.copyOf(handled, handled.length + suffix.length);
    System.arraycopy(suffix, 0, key, handled.length, suffix.length);
    return key;
  }

  /** The wait before delivery {@code next} (2 for the first retry): backoff * 2^(next-2), capped, plus jitter. */
  public long backoff(int next, double random) {
    int doublings = Math.min(6, Math.max(0, next - 2));
    long base = backoffMillis << doublings;
    return base + (long) (base * 0.25 * random);
  }
}
