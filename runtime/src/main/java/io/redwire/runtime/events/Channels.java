package io.redwire.runtime.events;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.key.Keys;
import java.nio.charset.StandardCharsets;

/**
 * The keys of a channel. All of one channel's keys share the hash tag {@code {<channel>}}, so its
 * stream, dead letters and handled records live in one Redis Cluster slot and every script runs there:
 *
 * <pre>
 *   &lt;ns&gt;:events:&lt;channel&gt;:{&lt;channel&gt;}                    the stream (durable)
 *   &lt;ns&gt;:events:&lt;channel&gt;:{&lt;channel&gt;}:dead:&lt;group&gt;       a group's dead letters
 *   &lt;ns&gt;:events:&lt;channel&gt;:{&lt;channel&gt;}:handled:&lt;group&gt;    ids the group handled (expiring)
 *   &lt;ns&gt;:events:&lt;channel&gt;:pubsub                        the pub/sub channel (not durable)
 * </pre>
 */
public final class Channels {

  static final String KIND = "events";

  private Channels() {}

  /** The stream of a durable channel. */
  public static byte[] stream(Redwire redwire, String channel) {
    return utf8(text(redwire, channel));
  }

  /** The dead letters of {@code group}. */
  public static byte[] deadLetters(Redwire redwire, String channel, String group) {
    return utf8(text(redwire, channel) + ":dead:" + Keys.checkName("group", group));
  }

  /** The ids {@code group} handled recently. */
  public static byte[] handled(Redwire redwire, String channel, String group) {
    return utf8(text(redwire, channel) + ":handled:" + Keys.checkName("group", group));
  }

  /** The pub/sub channel of a non-durable channel. */
  public static byte[] pubsub(Redwire redwire, String channel) {
    return utf8(new String(redwire.prefix(KIND, channel), StandardCharsets.UTF_8) + "pubsub");
  }

  private static String text(Redwire redwire, String channel) {
    return new String(redwire.prefix(KIND, channel), StandardCharsets.UTF_8) + "{" + channel + "}";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
