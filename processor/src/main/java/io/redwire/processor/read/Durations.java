package io.redwire.processor.read;

import io.redwire.processor.model.Origin;
import io.redwire.processor.validate.Diagnostics;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses duration strings at compile time: {@code "250ms"}, {@code "30s"}, {@code "10m"}, {@code "2h"},
 * {@code "1d"}, or ISO-8601 such as {@code "PT10M"}.
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** The longest duration accepted: 100 years, far beyond any TTL or lease, far from overflowing. */
  public static final long MAX_MILLIS = 36_500L * 86_400_000L;

  /** {@link #MAX_MILLIS} as written in a message. */
  public static final String MAX_TEXT = "\"36500d\" (100 years)";

  /** {@link #parse} result for text that is not a positive duration. */
  static final long INVALID = -1;
  /** {@link #parse} result for a well-formed duration longer than {@link #MAX_MILLIS}. */
  static final long TOO_LARGE = -2;
  /** {@link #parse} result for a well-formed duration that does not fit in a long of milliseconds. */
  static final long OVERFLOW = -3;

  private Durations() {}

  /** The duration in milliseconds, or -1 when the text is not a positive duration in a supported form. */
  public static long parseMillis(String text) {
    long ms = parse(text);
    return ms < 0 ? -1 : ms;
  }

  /** The duration in milliseconds, or {@link #INVALID}, {@link #TOO_LARGE} or {@link #OVERFLOW}. */
  static long parse(String text) {
    if (text == null) {
      return INVALID;
    }
    String t = text.strip();
    Matcher m = SHORT.matcher(t);
    long millis;
    if (m.matches()) {
      long unit = switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        default -> 86_400_000L;
      };
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        return OVERFLOW; // only digits: too many of them
      }
      if (n > Long.MAX_VALUE / unit) {
        return OVERFLOW;
      }
      millis = n * unit;
    } else if (t.startsWith("P") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t);
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
          return INVALID;
        }
        millis = d.toMillis();
      } catch (ArithmeticException e) {
        return OVERFLOW;
      } catch (DateTimeParseException e) {
        return e.getCause() instanceof ArithmeticException ? OVERFLOW : INVALID;
      }
    } else {
      return INVALID;
    }
    if (millis > MAX_MILLIS) {
      return TOO_LARGE;
    }
    return millis > 0 ? millis : INVALID;
  }

  /**
   * The duration written in {@code member} of the annotation at {@code at}, in milliseconds. Left
   * empty: {@code absent}, after reporting it when {@code required}. Malformed, not positive or too
   * large: -1, after reporting it.
   */
  public static long member(Origin at, String annotation, String member, boolean required, long absent,
      Diagnostics diagnostics) {
    String text = Mirrors.string(at.annotation(), member);
    if (text.isBlank()) {
      if (required) {
        diagnostics.durationMissing(at, annotation, member);
      }
      return absent;
    }
    long ms = parse(text);
    if (ms == TOO_LARGE || ms == OVERFLOW) {
      diagnostics.durationTooLarge(at, annotation, member, text, ms == OVERFLOW);
      return -1;
    }
    if (ms < 0) {
      diagnostics.durationInvalid(at, annotation, member, text);
    }
    return ms;
  }
}
