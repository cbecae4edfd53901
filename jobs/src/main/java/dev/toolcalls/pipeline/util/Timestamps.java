package dev.toolcalls.pipeline.util;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Log timestamps. The bots write local wall-clock time without a zone
 * ("2026-01-20T22:48:05.094928"); it is kept as written and stored as if it were UTC, so that
 * dates and times read back exactly as logged (sessions run with spark.sql.session.timeZone=UTC).
 */
public final class Timestamps {
  /** Returned when a timestamp is missing or cannot be read. */
  public static final long MISSING = Long.MIN_VALUE;

  private Timestamps() {}

  /** Microseconds since the epoch, or {@link #MISSING}. */
  public static long parseMicros(String s) {
    if (s == null) return MISSING;
    long fast = parseFast(s);
    if (fast != MISSING) return fast;
    try {
      OffsetDateTime odt = OffsetDateTime.parse(s);
      return toMicros(odt.toLocalDateTime().plusSeconds(-odt.getOffset().getTotalSeconds()));
    } catch (DateTimeParseException e) {
      // fall through to zone-less ISO forms
    }
    try {
      return toMicros(LocalDateTime.parse(s.replace(' ', 'T')));
    } catch (DateTimeParseException e) {
      return MISSING;
    }
  }

  /** "YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}]" without allocation; anything else goes to the slow path. */
  private static long parseFast(String s) {
    int n = s.length();
    if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return MISSING;
    }
    char sep = s.charAt(10);
    if (sep != 'T' && sep != ' ') return MISSING;
    int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
    int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) return MISSING;
    long micros = 0;
    if (n > 19) {
      if (s.charAt(19) != '.' || n > 29 || n == 20) return MISSING;
      int scale = 100_000;
      for (int i = 20; i < n; i++) {
        int d = s.charAt(i) - '0';
        if (d < 0 || d > 9) return MISSING;
        micros += (long) d * scale;
        scale /= 10;
      }
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
      return MISSING;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return ((days * 86_400L + hour * 3600L + minute * 60L + second) * 1_000_000L) + micros;
    } catch (java.time.DateTimeException e) {
      return MISSING;
    }
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  }

  private static long toMicros(LocalDateTime t) {
    return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
  }

  public static LocalDate dateOf(long micros) {
    return LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L));
  }

  public static java.sql.Timestamp toSqlTimestamp(long micros) {
    java.sql.Timestamp ts = new java.sql.Timestamp(Math.floorDiv(micros, 1000L));
    ts.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
    return ts;
  }

  public static java.time.Instant toInstant(long micros) {
    return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
