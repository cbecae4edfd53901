package dev.toolcalls.pipeline.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StableIdsTest {
  @Test
  void discordIdsDependOnlyOnTheTurnsIdentity() {
    String id = StableIds.discord("aux", "2248050949", "2026-01-20T22:48:05.094928");
    assertEquals(id, StableIds.discord("aux", "2248050949", "2026-01-20T22:48:05.094928"));
    assertTrue(id.matches("dc-[0-9a-f]{16}"), id);
    // the same request id on another day is another turn
    assertNotEquals(id, StableIds.discord("aux", "2248050949", "2026-01-21T22:48:05.094928"));
    assertNotEquals(id, StableIds.discord("main", "2248050949", "2026-01-20T22:48:05.094928"));
    // parts cannot slide into each other
    assertNotEquals(StableIds.hash16("ab", "c"), StableIds.hash16("a", "bc"));
    assertNotEquals(StableIds.hash16(null, "x"), StableIds.hash16("", "x"));
  }
}
