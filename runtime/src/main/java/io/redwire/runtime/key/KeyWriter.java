package io.redwire.runtime.key;

import java.util.Arrays;

/**
 * Builds Redis keys of the form {@code <prefix>{<parts>}<suffix>}, for example
 * {@code app:c:product:{42:EUR}:lease}. Everything between the braces is the Redis Cluster hash
 * tag, so all keys built from the same arguments (value key, lease key, ...) hash to one slot.
 *
 * <p>Generated code calls, in one expression,
 * {@code KeyWriter.begin(PREFIX).part(id).literal(COLON).part(currency).end(SUFFIX)}. The writer
 * is per thread and reused: building a key allocates nothing but the returned array (and, for
 * {@link #part(Object)} of other types, their {@code toString()}).
 *
 * <p>Keys may nest: generated code evaluates each part (an accessor such as {@code user.id()}, or a
 * part's {@code toString()}) after {@link #begin}, and that code may itself build a key (a call
 * through another proxy). Each thread therefore has a small stack of {@value #DEPTH} writers:
 * {@link #begin} takes the next one, {@link #end} gives it back (and every writer taken after it,
 * so a chain abandoned by an exception does no harm). Past {@value #DEPTH} writers in use the stack
 * wraps around and reuses the oldest, which is a writer abandoned by an exception unless keys
 * really nest that deep.
 *
 * <p>Each part is escaped so that user data can never forge a separator or a hash tag: text is
 * written as UTF-8 with {@code '%'} as {@code %25}, {@code ':'} as {@code %3A}, <code>'{'</code>
 * as {@code %7B} and <code>'}'</code> as {@code %7D}; an unpaired surrogate is written as the
 * percent-escaped bytes of its 3-byte form (for example {@code %ED%A0%80}), so the key stays valid
 * UTF-8 and distinct strings give distinct parts. {@code null} is written as {@code %N}, which no
 * escaped value contains. Integers are written as decimal digits, floating-point values as
 * {@link Double#toString(double)} / {@link Float#toString(float)}, booleans as {@code true} or
 * {@code false}, enums as their {@link Enum#name() name}.
 *
 * <p>Since escaped parts never contain {@code ':'}, two parts separated by a literal holding a
 * {@code ':'} can always be told apart, and distinct argument tuples give distinct keys for a
 * given template. As a safety net, a part that follows another part with no {@code ':'} written
 * in between is preceded by an automatic {@code ':'}. A hash tag that would be empty (no parts,
 * or only an empty string) is written as {@code %_}, because Redis Cluster hashes the whole key
 * when the braces are empty.
 *
 * <p>Instances are confined to their thread: do not share the object returned by {@link #begin}.
 */
public final class KeyWriter {

  /** How many keys one thread can build at once (nested) before writers are reused. */
  static final int DEPTH = 8;

  private static final ThreadLocal<Stack> LOCAL = ThreadLocal.withInitial(Stack::new);

  /** One thread's writers; {@code depth} is how many are in use. */
  private static final class Stack {
    final KeyWriter[] writers = new KeyWriter[DEPTH];
    int depth;

    Stack() {
      for (int i = 0; i < DEPTH; i++) {
        writers[i] = new KeyWriter(this, i);
      }
    }
  }

  /** Buffers that grew beyond this are dropped after {@link #end} so one huge key is not kept. */
  private static final int RETAINED_CAPACITY = 16 * 1024;
  private static final int INITIAL_CAPACITY = 128;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  private byte[] buf = new byte[INITIAL_CAPACITY];
  private int pos;
  /** Index just after the opening brace. */
  private int tagStart;
  /** True when a part was written and no ':' since. */
  private boolean afterPart;
  /** Whether {@link #seal} closed the key (end() then does not close it again). */
  private boolean sealed;
  /**
   * The last prefix found free of braces: a region's prefix is one array for as long as it is valid,
   * so a writer checks it once, not on every key (prefixes are never modified after they are built).
   */
  private byte[] checkedPrefix;
  private final Stack stack;
  /** This writer's index in its thread's stack. */
  private final int level;

  private KeyWriter(Stack stack, int level) {
    this.stack = stack;
    this.level = level;
  }

  /**
   * Takes this thread's next free writer and writes {@code prefix} then <code>'{'</code>.
   *
   * @param prefix the validated key prefix, such as {@code app:c:product:}; must not contain
   *     <code>'{'</code> or <code>'}'</code>
   * @return a writer of this thread, not used by any key being built
   * @throws IllegalArgumentException if the prefix contains a brace
   */
  public static KeyWriter begin(byte[] prefix) {
    Stack stack = LOCAL.get();
    int level = stack.depth;
    if (level >= DEPTH) {
      level = 0; // wrap: the oldest writers were abandoned by exceptions
    }
    stack.depth = level + 1;
    KeyWriter w = stack.writers[level];
    w.pos = 0;
    w.afterPart = false;
    w.sealed = false;
    if (prefix == w.checkedPrefix) {
      w.ensure(prefix.length); // the prefix this writer began with last time: checked then
      System.arraycopy(prefix, 0, w.buf, 0, prefix.length);
      w.pos = prefix.length;
    } else {
      w.appendChecked(prefix, "prefix");
      w.checkedPrefix = prefix;
    }
    w.ensure(1);
    w.buf[w.pos++] = '{';
    w.tagStart = w.pos;
    return w;
  }

  /**
   * Appends template text as is.
   *
   * @param text validated template text, such as {@code :v}; must not contain a brace
   * @return this writer
   * @throws IllegalArgumentException if the text contains a brace
   */
  public KeyWriter literal(byte[] text) {
    if (appendChecked(text, "literal")) {
      afterPart = false;
    }
    return this;
  }

  /** Appends raw bytes, rejecting braces; returns whether they contained a ':'. */
  private boolean appendChecked(byte[] text, String what) {
    boolean colon = false;
    for (byte b : text) {
      if (b == '{' || b == '}') {
        throw new IllegalArgumentException(what + " must not contain '" + (char) b + "': "
            + Keys.toString(text));
      }
      colon |= b == ':';
    }
    ensure(text.length);
    System.arraycopy(text, 0, buf, pos, text.length);
    pos += text.length;
    return colon;
  }

  /**
   * Appends one escaped text part.
   *
   * @param value the value, or null
   * @return this writer
   */
  public KeyWriter part(String value) {
    if (startPart(value)) {
      escape(value);
    }
    return this;
  }

  /**
   * Appends one escaped text part: the value's characters, as for {@link #part(String)}.
   *
   * @param value the value, or null
   * @return this writer
   */
  public KeyWriter part(CharSequence value) {
    if (value instanceof String) {
      return part((String) value);
    }
    if (startPart(value)) {
      escape(userToString(value));
    }
    return this;
  }

  /**
   * @param value written as decimal digits
   * @return this writer
   */
  public KeyWriter part(long value) {
    startPart();
    digits(value);
    return this;
  }

  /**
   * @param value written as decimal digits
   * @return this writer
   */
  public KeyWriter part(int value) {
    return part((long) value);
  }

  /**
   * @param value written as decimal digits
   * @return this writer
   */
  public KeyWriter part(short value) {
    return part((long) value);
  }

  /**
   * @param value written as decimal digits
   * @return this writer
   */
  public KeyWriter part(byte value) {
    return part((long) value);
  }

  /**
   * @param value written as a one-character escaped text part
   * @return this writer
   */
  public KeyWriter part(char value) {
    startPart();
    escapeChar(value, null, 0, 1);
    return this;
  }

  /**
   * @param value written as {@code true} or {@code false}
   * @return this writer
   */
  public KeyWriter part(boolean value) {
    startPart();
    raw(value ? TRUE : FALSE);
    return this;
  }

  /**
   * @param value written as {@link Double#toString(double)}: {@code -0.0}, {@code NaN} and
   *     {@code Infinity} included
   * @return this writer
   */
  public KeyWriter part(double value) {
    startPart();
    ascii(Double.toString(value));
    return this;
  }

  /**
   * @param value written as {@link Float#toString(float)}
   * @return this writer
   */
  public KeyWriter part(float value) {
    startPart();
    ascii(Float.toString(value));
    return this;
  }

  /**
   * @param value written as its escaped {@link Enum#name() name}, or {@code %N} for null
   * @return this writer
   */
  public KeyWriter part(Enum<?> value) {
    if (startPart(value)) {
      escape(value.name());
    }
    return this;
  }

  /**
   * Appends one part of any type: boxed primitives, strings and enums as by their own overloads,
   * anything else (UUID, BigDecimal, java.time values, ...) as its escaped {@code toString()}.
   * Values of different types with the same text (the string {@code "1"} and the long 1) give the
   * same part: a template position has one static type.
   *
   * @param value the value, or null
   * @return this writer
   * @throws IllegalArgumentException if the value's {@code toString()} returns null
   */
  public KeyWriter part(Object value) {
    if (value == null || value instanceof String) {
      return part((String) value);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      return part(((Number) value).longValue());
    } else if (value instanceof Enum) {
      return part((Enum<?>) value);
    } else if (value instanceof Character) {
      return part(((Character) value).charValue());
    } else if (value instanceof Boolean) {
      return part(((Boolean) value).booleanValue());
    } else if (value instanceof Double) {
      return part(((Double) value).doubleValue());
    } else if (value instanceof Float) {
      return part(((Float) value).floatValue());
    }
    startPart();
    escape(userToString(value));
    return this;
  }

  /**
   * Writes the closing brace and returns the key.
   *
   * @return an exact copy of the key
   */
  public byte[] end() {
    closeTag();
    return finish();
  }

  /**
   * Writes the closing brace then {@code suffix}, and returns the key.
   *
   * @param suffix validated text after the hash tag, such as {@code :lease}
   * @return an exact copy of the key
   */
  public byte[] end(byte[] suffix) {
    closeTag();
    ensure(suffix.length);
    System.arraycopy(suffix, 0, buf, pos, suffix.length);
    pos += suffix.length;
    return finish();
  }

  /**
   * Closes the key as {@link #end()} would, without copying it, so that it can be looked up in place
   * ({@link #keyHash}, {@link #keyEquals}); then either {@link #end()} returns it or {@link #release()}
   * gives the writer back. For a near-cache lookup that must not allocate.
   */
  public KeyWriter seal() {
    if (!sealed) {
      closeTag();
      sealed = true;
    }
    return this;
  }

  /** The hash of the sealed key, as {@link #hash(byte[])} computes it. */
  public int keyHash() {
    return hash(buf, tagStart, pos);
  }

  /** Whether the sealed key's bytes equal {@code key}. */
  public boolean keyEquals(byte[] key) {
    return Arrays.equals(buf, 0, pos, key, 0, key.length);
  }

  /** Gives the writer back without returning the key (after {@link #seal}, on a near-cache hit). */
  public void release() {
    pos = 0;
    sealed = false;
    stack.depth = level;
  }

  /**
   * The hash a near cache uses for a key: FNV-1a of what follows the prefix (from the hash tag's
   * opening brace on; a prefix never contains one), spread. Keys of one cache share their prefix, so
   * hashing it would only cost time.
   */
  public static int hash(byte[] key) {
    int from = 0;
    while (from < key.length && key[from] != '{') {
      from++;
    }
    return hash(key, Math.min(from + 1, key.length), key.length);
  }

  private static int hash(byte[] b, int from, int to) {
    int h = 0x811c9dc5;
    for (int i = from; i < to; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }

  private void closeTag() {
    if (sealed) {
      sealed = false; // end() after seal(): already closed
      return;
    }
    ensure(3);
    if (pos == tagStart) {
      buf[pos++] = '%';
      buf[pos++] = '_';
    }
    buf[pos++] = '}';
  }

  private byte[] finish() {
    byte[] key = Arrays.copyOf(buf, pos);
    pos = 0;
    stack.depth = level; // free, with any writer taken after it and abandoned
    if (buf.length > RETAINED_CAPACITY) {
      buf = new byte[INITIAL_CAPACITY];
    }
    return key;
  }

  // ---------------------------------------------------------------- internals

  private void ensure(int extra) {
    if (extra > buf.length - pos) {
      long needed = (long) pos + extra;
      if (needed > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("key too long");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
    }
  }

  private void startPart() {
    if (afterPart) {
      ensure(1);
      buf[pos++] = ':';
    }
    afterPart = true;
  }

  /** Starts a part; writes the null marker and returns false for null. */
  private boolean startPart(Object value) {
    startPart();
    if (value == null) {
      ensure(2);
      buf[pos++] = '%';
      buf[pos++] = 'N';
      return false;
    }
    return true;
  }

  private String userToString(Object value) {
    String s = value.toString(); // may build a key of its own: it gets the next writer
    if (s == null) {
      throw new IllegalArgumentException("toString() of a " + value.getClass().getName()
          + " key part returned null");
    }
    return s;
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  /** Appends a string known to hold only ASCII letters, digits, '.', '-' (number formats). */
  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) s.charAt(i);
    }
  }

  private void digits(long v) {
    ensure(20);
    if (v < 0) {
      buf[pos++] = '-';
    } else {
      v = -v; // work with negatives so Long.MIN_VALUE needs no special case
    }
    int start = pos;
    do {
      buf[pos++] = (byte) ('0' - (v % 10));
      v /= 10;
    } while (v != 0);
    for (int i = start, j = pos - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
  }

  private void escape(String s) {
    int n = s.length();
    ensure((int) Math.min(Integer.MAX_VALUE, 3L * n));
    for (int i = 0; i < n; i++) {
      i += escapeChar(s.charAt(i), s, i, n) - 1;
    }
  }

  /**
   * Escapes the char at {@code s[i]} (or {@code c} alone when {@code s} is null); returns how many
   * chars were consumed (2 for a surrogate pair).
   */
  private int escapeChar(char c, String s, int i, int n) {
    ensure(9);
    if (c < 0x80) {
      switch (c) {
        case '%':
        case ':':
        case '{':
        case '}':
          percent(c);
          break;
        default:
          buf[pos++] = (byte) c;
      }
      return 1;
    }
    if (c < 0x800) {
      buf[pos++] = (byte) (0xC0 | (c >>> 6));
      buf[pos++] = (byte) (0x80 | (c & 0x3F));
      return 1;
    }
    if (!Character.isSurrogate(c)) {
      buf[pos++] = (byte) (0xE0 | (c >>> 12));
      buf[pos++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
      buf[pos++] = (byte) (0x80 | (c & 0x3F));
      return 1;
    }
    if (Character.isHighSurrogate(c) && s != null && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
      int cp = Character.toCodePoint(c, s.charAt(i + 1));
      buf[pos++] = (byte) (0xF0 | (cp >>> 18));
      buf[pos++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
      buf[pos++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
      buf[pos++] = (byte) (0x80 | (cp & 0x3F));
      return 2;
    }
    // unpaired surrogate: percent-escape its 3-byte (WTF-8) form so the key stays valid UTF-8
    percent(0xE0 | (c >>> 12));
    percent(0x80 | ((c >>> 6) & 0x3F));
    percent(0x80 | (c & 0x3F));
    return 1;
  }

  private void percent(int b) {
    buf[pos++] = '%';
    buf[pos++] = HEX[(b >>> 4) & 0xF];
    buf[pos++] = HEX[b & 0xF];
  }
}
