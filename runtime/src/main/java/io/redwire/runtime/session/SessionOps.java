package io.redwire.runtime.session;

import java.nio.charset.StandardCharsets;

/** The operation names of {@link SessionScripts#ACCESS}, and its small constant arguments. */
final class SessionOps {

  private SessionOps() {}

  static final byte[] TOUCH = ascii("touch");
  static final byte[] GET = ascii("get");
  static final byte[] SET = ascii("set");
  static final byte[] DEL = ascii("del");
  static final byte[] ADD = ascii("add");
  static final byte[] ADD_VIEW = ascii("addv");
  static final byte[] CAS = ascii("cas");
  static final byte[] USER = ascii("user");
  static final byte[] ROTATE = ascii("rotate");
  static final byte[] INVALIDATE = ascii("invalidate");
  static final byte[] VALUE = ascii("v");
  static final byte[] INTEGRAL = ascii("i");
  static final byte[] YES = ascii("1");
  static final byte[] NO = ascii("0");
  static final byte[] EMPTY = {};

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
