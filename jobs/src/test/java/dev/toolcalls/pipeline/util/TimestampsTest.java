package dev.toolcalls.pipeline.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static long micros(LocalDateTime t) {
    return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
  }

  @Test
  void readsTheBotsZonelessTimestampsAsWritten() {
    assertEquals(micros(LocalDateTime.of(2026, 1, 20, 22, 48, 5, 94_928_000)), Timestamps.parseMicros("2026-01-20T22:48:05.094928"));
    assertEquals(micros(LocalDateTime.of(2026, 1, 20, 22, 48, 5, 500_000_000)), Timestamps.parseMicros("2026-01-20 22:48:05.5"));
    assertEquals(micros(LocalDateTime.of(2026, 1, 20, 22, 48, 5)), Timestamps.parseMicros("2026-01-20T22:48:05"));
    assertEquals(micros(LocalDateTime.of(2026, 1, 20, 21, 48, 5)), Timestamps.parseMicros("2026-01-20T22:48:05+01:00"));
    assertEquals(Timestamps.MISSING, Timestamps.parseMicros("yesterday"));
    assertEquals(Timestamps.MISSING, Timestamps.parseMicros(null));
    assertEquals(LocalDate.of(2026, 1, 21), Timestamps.dateOf(Timestamps.parseMicros("2026-01-21T00:00:00.000001")));
  }
}
