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

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /** The duration in milliseconds, or -1 when the text is not a positive duration in a supported form. */
  public static long parseMillis(String text) {
    if (text == null) {
      return -1;
    }
    String t = text.strip();
    Matcher m = SHORT.matcher(t);
    long millis;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        default -> 86_400_000L;
      };
      if (n > Long.MAX_VALUE / unit) {
        return -1;
      }
      millis = n * unit;
    } else if (t.startsWith("P") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t);
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
          return -1;
        }
        millis = d.toMillis();
      } catch (DateTimeParseException | ArithmeticException e) {
        return -1;
      }
    } else {
      return -1;
    }
    return millis > 0 ? millis : -1;
  }

  /**
   * The duration written in {@code member} of the annotation at {@code at}, in milliseconds. Left
   * empty: {@code absent}, after reporting it when {@code required}. Malformed or not positive: -1,
   * after reporting it.
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
    long ms = parseMillis(text);
    if (ms < 0) {
      diagnostics.durationInvalid(at, annotation, member, text);
    }
    return ms;
  }
}
