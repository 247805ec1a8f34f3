package io.redwire.runtime.queue;

import io.redwire.runtime.Redwire;
import java.nio.charset.StandardCharsets;

/**
 * The keys of a queue. All share the hash tag {@code {<queue>}}, so every script of a queue (enqueue
 * with its unique key, promotion, ack, dead letter) runs on one Redis Cluster slot:
 *
 * <pre>
 *   &lt;ns&gt;:queue:&lt;queue&gt;:{&lt;queue&gt;}                 the stream: waiting and running jobs
 *   &lt;ns&gt;:queue:&lt;queue&gt;:{&lt;queue&gt;}:delayed         delayed jobs, scored by due time (ms)
 *   &lt;ns&gt;:queue:&lt;queue&gt;:{&lt;queue&gt;}:dead            dead jobs with their last error
 *   &lt;ns&gt;:queue:&lt;queue&gt;:{&lt;queue&gt;}:handled         ids of jobs done recently (expiring)
 *   &lt;ns&gt;:queue:&lt;queue&gt;:{&lt;queue&gt;}:unique:&lt;key&gt;    the unique key of a pending job (expiring)
 *   &lt;ns&gt;:queue:&lt;queue&gt;:wake                       pub/sub: a delayed job is due earlier than the others
 * </pre>
 */
final class Queues {

  static final String KIND = "queue";
  /** The one consumer group of every queue: the workers. */
  static final byte[] GROUP = "workers".getBytes(StandardCharsets.UTF_8);

  // job entry fields
  static final String ID = "id";
  static final String JOB = "job";
  static final String DATA = "data";
  static final String AT = "at";
  static final String UNIQUE = "unique";

  final byte[] stream;
  final byte[] delayed;
  final byte[] dead;
  final byte[] handled;
  final byte[] uniquePrefix;
  final byte[] wake;

  Queues(Redwire redwire, String queue) {
    String prefix = new String(redwire.prefix(KIND, queue), StandardCharsets.UTF_8);
    String base = prefix + "{" + queue + "}";
    this.stream = utf8(base);
    this.delayed = utf8(base + ":delayed");
    this.dead = utf8(base + ":dead");
    this.handled = utf8(base + ":handled");
    this.uniquePrefix = utf8(base + ":unique:");
    this.wake = utf8(prefix + "wake");
  }

  /** The unique key for the key-writer output {@code tag} (its braces come after the queue's hash tag). */
  byte[] unique(byte[] tag) {
    byte[] key = new byte[uniquePrefix.length + tag.length];
    System.arraycopy(uniquePrefix, 0, key, 0, uniquePrefix.length);
    System.arraycopy(tag, 0, key, uniquePrefix.length, tag.length);
    return key;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
