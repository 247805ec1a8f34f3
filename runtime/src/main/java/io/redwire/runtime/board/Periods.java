package io.redwire.runtime.board;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * The period a call falls in, by this JVM's clock: its key suffix, its start and the instant its key
 * expires. Cached until the period ends, so a call in the same period allocates nothing here.
 */
final class Periods {

  /**
   * One period: key suffix ({@code :2026-12-01}, {@code :r1234}), start and end in epoch ms, and the
   * script arguments that follow from them (its start, and the instant its key expires, {@code 0} for
   * a board with no period, whose TTL slides instead), in ASCII.
   */
  record Current(byte[] suffix, long start, long end, byte[] startArg, byte[] expireAtArg) {}

  private static final byte[] NONE_SUFFIX = {};

  private final BoardSettings.Period period;
  private volatile Current current;

  Periods(BoardSettings.Period period) {
    this.period = period;
  }

  Current at(long now) {
    Current c = current;
    if (c != null && now >= c.start() && now < c.end()) {
      return c;
    }
    c = compute(now);
    current = c;
    return c;
  }

  private Current compute(long now) {
    BoardSettings.Period.Kind kind = period.kind();
    if (kind == BoardSettings.Period.Kind.NONE) {
      return new Current(NONE_SUFFIX, Long.MIN_VALUE, Long.MAX_VALUE, ascii("0"), ascii("0"));
    }
    if (kind == BoardSettings.Period.Kind.ROLLING) {
      long index = Math.floorDiv(now, period.millis());
      long start = index * period.millis();
      return period(ascii(":r" + index), start, start + period.millis());
    }
    LocalDate day = Instant.ofEpochMilli(now).atZone(period.zone()).toLocalDate();
    LocalDate first;
    LocalDate next;
    String id;
    switch (kind) {
      case DAY -> {
        first = day;
        next = day.plusDays(1);
        id = ":d" + day;
      }
      case WEEK -> {
        first = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        next = first.plusWeeks(1);
        id = ":w" + first;
      }
      default -> {
        first = day.withDayOfMonth(1);
        next = first.plusMonths(1);
        id = ":m" + first.toString().substring(0, 7);
      }
    }
    return period(ascii(id), first.atStartOfDay(period.zone()).toInstant().toEpochMilli(),
        next.atStartOfDay(period.zone()).toInstant().toEpochMilli());
  }

  /** A period's key expires one grace after it ends. */
  private Current period(byte[] suffix, long start, long end) {
    return new Current(suffix, start, end, ascii(Long.toString(start)),
        ascii(Long.toString(end + period.graceMillis())));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
