package io.redwire.runtime.session;

import java.nio.charset.StandardCharsets;

/**
 * One accessor's field of the session hash: its name (as in the interface) and the name's bytes.
 * Generated views hold one per accessor as a constant. Names starting with {@code @} are the store's
 * own (creation time, absolute deadline, user).
 */
public final class SessionField {

  private final String name;
  final byte[] bytes;

  private SessionField(String name) {
    if (name.isEmpty() || name.charAt(0) == '@') {
      throw new IllegalArgumentException("field names must not be empty or start with '@': " + name);
    }
    this.name = name;
    this.bytes = name.getBytes(StandardCharsets.UTF_8);
  }

  public static SessionField of(String name) {
    return new SessionField(name);
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
