package io.redwire.runtime.stream;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One stream entry handed to a {@link StreamConsumer.Handler}: its stream id, its fields (names as
 * UTF-8 strings, values as bytes, in stream order) and which delivery this is (1 for the first).
 */
public record StreamEntry(String id, Map<String, byte[]> fields, int delivery) {

  /** The field's bytes, or null. */
  public byte[] field(String name) {
    return fields.get(name);
  }

  /** The field as UTF-8 text, or null. */
  public String text(String name) {
    byte[] b = fields.get(name);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
