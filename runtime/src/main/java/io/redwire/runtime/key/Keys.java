package io.redwire.runtime.key;

import java.nio.charset.StandardCharsets;

/**
 * Small helpers for keys built by {@link KeyWriter}: suffixing, validating the names that make up
 * key prefixes (namespace, kind, cache or lock name), and printing keys.
 */
public final class Keys {

  private Keys() {
  }

  /**
   * @param key a key
   * @param suffix text to append, such as {@code :lease}
   * @return a new array holding {@code key} followed by {@code suffix}
   */
  public static byte[] withSuffix(byte[] key, byte[] suffix) {
    byte[] result = new byte[Math.addExact(key.length, suffix.length)];
    System.arraycopy(key, 0, result, 0, key.length);
    System.arraycopy(suffix, 0, result, key.length, suffix.length);
    return result;
  }

  /**
   * Checks a name that goes into a key prefix verbatim.
   *
   * @param what what the name is, for the message (for example {@code "namespace"})
   * @param value the name
   * @return {@code value}
   * @throws IllegalArgumentException if the name is null or empty, or contains {@code ':'},
   *     <code>'{'</code>, <code>'}'</code>, {@code '%'}, whitespace, a control character or an
   *     unpaired surrogate; the message names {@code what} and the character
   */
  public static String checkName(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String problem = null;
      if (c == ':' || c == '{' || c == '}' || c == '%') {
        problem = "'" + c + "'";
      } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        problem = "whitespace";
      } else if (Character.isISOControl(c)) {
        problem = "a control character";
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        problem = "an unpaired surrogate";
      }
      if (problem != null) {
        throw new IllegalArgumentException(String.format(
            "%s \"%s\" must not contain %s (U+%04X at index %d)", what, value, problem, (int) c, i));
      }
    }
    return value;
  }

  /**
   * @param key a key
   * @return the key decoded as UTF-8, for logs and messages
   */
  public static String toString(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }
}
