package io.redwire.runtime.session;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session ids: a 4-character slot tag, then 256 random bits from {@link SecureRandom}, all URL-safe
 * base64 without padding (47 characters). The tag is random too (24 bits) and is the session key's
 * Redis Cluster hash tag; {@link #rotate} keeps it and draws new 256 bits, so the old and new key of a
 * rotation share one hash slot and move with one same-slot {@code RENAME}. The tag is not secret:
 * the 256 bits after it are what an attacker would have to guess.
 */
final class SessionIds {

  static final int TAG = 4;
  static final int LENGTH = TAG + 43;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();

  /** A new id with a new tag. */
  String create() {
    byte[] tag = new byte[3];
    random.nextBytes(tag);
    return ENCODER.encodeToString(tag) + body();
  }

  /** A new id with the tag of {@code id} (a well-formed id). */
  String rotate(String id) {
    return id.substring(0, TAG) + body();
  }

  private String body() {
    byte[] bits = new byte[32];
    random.nextBytes(bits);
    return ENCODER.encodeToString(bits);
  }

  /** Whether {@code id} has the form of an id: 47 URL-safe base64 characters. Checked without I/O. */
  static boolean wellFormed(String id) {
    if (id == null || id.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = id.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
