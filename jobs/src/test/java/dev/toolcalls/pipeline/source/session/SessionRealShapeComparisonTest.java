package dev.toolcalls.pipeline.source.session;

import static dev.toolcalls.pipeline.source.session.SessionReading.ex;
import static dev.toolcalls.pipeline.source.session.SessionReading.qr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolcalls.pipeline.util.StableIds;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Development check against the made-up transcripts in ../shared/fixtures/claude (not part of the
 * repository, so skipped where it is absent, as in CI): real-shape/projects must give exactly what
 * real-shape/EXPECTED.md lists. Every case found there is reproduced by the project's own fixtures
 * in {@link SessionFileReaderTest}.
 */
@EnabledIf("fixturesPresent")
class SessionRealShapeComparisonTest {
  static final Path CLAUDE = Path.of("../../shared/fixtures/claude").toAbsolutePath().normalize();

  static boolean fixturesPresent() {
    return Files.isDirectory(CLAUDE.resolve("real-shape/projects"));
  }

  /** Every transcript under a folder, as the job lists them (recursively, SessionFiles.isSession), by relative path. */
  static Map<String, SessionReading.Output> readAll(Path dir) throws IOException {
    Map<String, SessionReading.Output> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String relative = dir.relativize(f).toString().replace('\\', '/');
        if (!SessionFiles.isSession(relative)) continue;
        try (InputStream in = Files.newInputStream(f)) {
          out.put(relative, SessionReading.read(relative, in, Files.size(f)));
        }
      }
    }
    return out;
  }

  /** valid lines, quarantined, real prompts, turns kept, multi_step, game calls, errors, no result (EXPECTED.md's totals). */
  static List<Long> totals(SessionReading.Output o) {
    long multiStep = 0, calls = 0, errors = 0, noResult = 0;
    for (Row r : o.examples) {
      if ("multi_step".equals(ex(r, ExamplesSchema.EXAMPLE_TYPE))) multiStep++;
      for (Row c : SessionReading.calls(r)) {
        calls++;
        if (c.isNullAt(3)) noResult++;
        else if (c.getBoolean(3)) errors++;
      }
    }
    long quarantined = o.report.quarantinedTotal();
    return List.of(o.report.lines - o.report.blankLines - quarantined, quarantined, o.count(SessionCounts.REAL_PROMPTS), (long) o.examples.size(), multiStep, calls, errors, noResult);
  }

  @Test
  void realShapeProjectsGiveExactlyTheExpectedTurns() throws IOException {
    String project = "-home-user-code-game-bot/";
    Map<String, SessionReading.Output> read = readAll(CLAUDE.resolve("real-shape/projects"));
    read.forEach((f, o) -> System.out.println(f + ": " + o.report.lines + " lines, " + o.examples.size() + " examples, quarantined " + o.report.quarantined + ", " + o.counts));
    assertEquals(List.of(project + "0acb84f8-aa47-4351-b29a-d66f9a68e7bb.jsonl", project + "0acb84f8-aa47-4351-b29a-d66f9a68e7bb/subagents/agent-a3f9c21.jsonl",
        project + "1b8842f7-b0be-4432-89d7-ed6a45226d0e.jsonl", project + "8d024ab6-5246-4d7d-b7de-d20cd717f194.jsonl"), List.copyOf(read.keySet()));

    SessionReading.Output v1 = read.get(project + "1b8842f7-b0be-4432-89d7-ed6a45226d0e.jsonl");
    assertEquals(List.of(44L, 0L, 4L, 4L, 2L, 9L, 2L, 0L), totals(v1));
    assertEquals(List.of(
        "L2 3adc40e6-b051-4ced-a15d-e4c81abd7b53 multi_step | get_game_state {\"fields\":[\"inventory\",\"location\"]} -> ok | send_command {\"command\":\"GOTO 3104 3424 0\"} -> ok"
            + " | send_command {\"command\":\"FISH trout\"} -> error | send_command {\"command\":\"FISH Lure\"} -> ok",
        "L17 c927a86b-2fc4-4b47-9116-e1bf069765c7 direct_execution | send_command {\"command\":\"DROP_ALL Leather_boots\"} -> ok",
        "L31 a69ec779-8097-4914-a0ca-627293fe70ba direct_execution | send_command {\"command\":\"BANK_DEPOSIT_ALL Raw_trout\"} -> error",
        "L35 ef803193-6212-40f6-b01f-1f7a46d376c3 multi_step | send_command {\"command\":\"GOTO 3094 3491 0\"} -> ok | click_text {\"text\":\"Bank\"} -> ok"
            + " | send_command {\"command\":\"BANK_DEPOSIT_ALL Raw_trout\"} -> ok"),
        v1.turns());
    assertEquals(List.of(
            "fish trout at barbarian village, make sure we have feathers first",
            "drop the leather boots, and in parallel have an agent look up where the plugin defines the Barbarian Village fishing spot ids",
            "now bank the trout at edgeville",
            "wait, walk to the edgeville bank first, then open it and deposit"),
        v1.examples.stream().map(r -> ex(r, ExamplesSchema.USER_MESSAGE)).toList());
    assertIds("1b8842f7-b0be-4432-89d7-ed6a45226d0e", v1);
    // not prompts: 11 tool-result lines, the meta caveat, /mcp and its stdout, the interrupt marker; 3 sidechain user lines + 4 assistant
    assertEquals(11, v1.count(SessionCounts.USER_LINES_PREFIX + "tool_results"));
    assertEquals(1, v1.count(SessionCounts.USER_LINES_PREFIX + "meta"));
    assertEquals(3, v1.count(SessionCounts.USER_LINES_PREFIX + "client_markup"));
    assertEquals(7, v1.count(SessionCounts.SIDECHAIN_LINES));

    SessionReading.Output v2 = read.get(project + "0acb84f8-aa47-4351-b29a-d66f9a68e7bb.jsonl");
    assertEquals(List.of(59L, 0L, 5L, 3L, 2L, 9L, 1L, 0L), totals(v2));
    assertEquals(List.of(
        "L3 a89b1966-d39a-49a5-b4d3-8e2b6ad3638b multi_step reasoning | get_game_state {\"fields\":[\"login_state\",\"location\"]} -> ok"
            + " | take_screenshot {\"scale\":0.5} -> ok | click_text {\"text\":\"Play Now\"} -> ok | send_command {\"command\":\"CHOP_LOOP Yew\"} -> ok"
            + " | get_game_state {\"fields\":[\"inventory\"]} -> ok",
        "L40 b9ab113b-7fa3-44b4-a5e3-0ea5fa9c3384 multi_step | send_command {\"command\":\"BANK_OPEN Edgeville\"} -> ok | click_widget {\"widget\":\"12.42\"} -> error"
            + " | click_text {\"text\":\"Deposit inventory\"} -> ok",
        "L54 24574eee-f1ed-4290-b846-29e09cd5681b direct_execution | send_command {\"command\":\"GOTO 3087 3481 0\"} -> ok"),
        v2.turns());
    assertIds("0acb84f8-aa47-4351-b29a-d66f9a68e7bb", v2);
    assertEquals(2, v2.count(SessionCounts.TURNS_WITHOUT_GAME_CALL)); // L32 (Read/Edit), L58 (text only)
    assertEquals(13, v2.count(SessionCounts.USER_LINES_PREFIX + "tool_results"));
    assertEquals(1, v2.count(SessionCounts.USER_LINES_PREFIX + "compact_summary"));
    assertEquals(1, v2.count(SessionCounts.USER_LINES_PREFIX + "meta"));
    assertEquals(3, v2.count(SessionCounts.USER_LINES_PREFIX + "client_markup"));
    // snapshot x4, progress x4, system x4 (compact_boundary, turn_duration, local_command x2), queue-operation x2
    assertEquals(14, v2.count(SessionCounts.NON_TURN_LINES));
    assertEquals(0, v2.report.unknownFields);
    // the screenshot's image is a placeholder, not base64
    assertEquals("Captured 765x503 client canvas (scaled 0.5)\n[image: image/png]", SessionReading.calls(v2.examples.get(0)).get(1).getString(2));

    SessionReading.Output agent = read.get(project + "0acb84f8-aa47-4351-b29a-d66f9a68e7bb/subagents/agent-a3f9c21.jsonl");
    assertEquals(List.of(5L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), totals(agent));
    assertEquals(5, agent.count(SessionCounts.SIDECHAIN_LINES));

    SessionReading.Output torn = read.get(project + "8d024ab6-5246-4d7d-b7de-d20cd717f194.jsonl");
    assertEquals(List.of(12L, 1L, 2L, 2L, 0L, 3L, 0L, 1L), totals(torn));
    assertEquals(List.of(
        "L2 96ff5d9d-a232-4c63-8954-9f4e6d25fb0f direct_execution | send_command {\"command\":\"CHAT héllo wörld 👋\"} -> ok | read_chatbox {\"lines\":3} -> ok",
        "L10 dfad50f3-b0b0-4d38-b4b4-4db543eed401 direct_execution reasoning | send_command {\"command\":\"FISH Net\"} -> no result"),
        torn.turns());
    assertIds("8d024ab6-5246-4d7d-b7de-d20cd717f194", torn);
    assertEquals("say “héllo wörld 👋” in game chat, then read the chat box back to me", ex(torn.examples.get(0), ExamplesSchema.USER_MESSAGE));
    assertEquals("now net shrimp at lumbridge — 🦐 ×28", ex(torn.examples.get(1), ExamplesSchema.USER_MESSAGE));
    assertEquals("Zezima: héllo wörld 👋\n漁師のケン: こんにちは！\nSystem: Welcome to Old School RuneScape.", SessionReading.calls(torn.examples.get(0)).get(1).getString(2));
    assertEquals(1, torn.quarantine.size());
    assertEquals(13L, qr(torn.quarantine.get(0), QuarantineSchema.LINE_NUMBER));
    assertEquals("truncated_line", qr(torn.quarantine.get(0), QuarantineSchema.REASON));
    assertEquals(Map.of("truncated_line", 1L), torn.report.quarantined);

    // All: 120 valid lines, 1 quarantined, 11 real prompts, 9 turns, 4 multi_step, 21 game calls, 3 errors, 1 without result.
    long[] all = new long[8];
    for (SessionReading.Output o : read.values()) for (int i = 0; i < 8; i++) all[i] += totals(o).get(i);
    assertEquals(List.of(120L, 1L, 11L, 9L, 4L, 21L, 3L, 1L), java.util.Arrays.stream(all).boxed().toList());
  }

  @Test
  void mannyMcpProjectsGiveTheirGameTurns() throws IOException {
    Map<String, SessionReading.Output> read = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(CLAUDE)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("-home-player-manny-mcp")).sorted().toList()) {
        readAll(d).forEach((f, o) -> read.put(d.getFileName() + "/" + f, o));
      }
    }
    read.forEach((f, o) -> System.out.println(f + ": " + o.report.lines + " lines, " + o.examples.size() + " examples, quarantined " + o.report.quarantined + ", " + o.counts));
    String discord = "-home-player-manny-mcp-discord/0e1f2a3b-4c5d-4e6f-a7b8-c9d0e1f2a3b4.jsonl";
    String fishing = "-home-player-manny-mcp/7b0c2f3e-1a2b-4c3d-9e8f-0a1b2c3d4e5f.jsonl";
    String frogs = "-home-player-manny-mcp/c4d5e6f7-2b3c-4d5e-8f90-1a2b3c4d5e6f.jsonl";
    assertEquals(List.of(discord, fishing, frogs), List.copyOf(read.keySet()));

    // A question (no game call), then a restart with thinking.
    SessionReading.Output o = read.get(discord);
    assertEquals(List.of(9L, 0L, 2L, 1L, 0L, 2L, 0L, 0L), totals(o));
    assertEquals(List.of("L3 0e1f2a3b-0002-4000-8000-000000000002 direct_execution reasoning | stop_runelite {} -> ok | start_runelite {\"account_id\":\"main\"} -> ok"), o.turns());
    assertEquals("Frozen client: stop then start.", ex(o.examples.get(0), ExamplesSchema.REASONING));

    // Two actions with thinking, a failed call and its retry (outcome ok: the turn recovered); then a code-editing turn (no example).
    o = read.get(fishing);
    assertEquals(List.of(19L, 0L, 2L, 1L, 1L, 4L, 1L, 0L), totals(o));
    assertEquals(List.of("L2 7b0c2f3e-0001-4000-8000-000000000001 multi_step reasoning | get_game_state {\"fields\":[\"location\",\"inventory\"]} -> ok"
        + " | send_command {\"command\":\"BANK_WITHDRAW 1 Small_fishing_net\"} -> error | send_command {\"command\":\"BANK_WITHDRAW Small_fishing_net 1\"} -> ok"
        + " | send_command {\"command\":\"FISH_DRAYNOR_LOOP\"} -> ok"), o.turns());
    Row fish = o.examples.get(0);
    assertEquals("ok", ex(fish, ExamplesSchema.OUTCOME));
    assertEquals("{\"location\":{\"x\":3093,\"y\":3244,\"plane\":0},\"inventory\":{\"used\":0,\"capacity\":28,\"items\":[]}}", ex(fish, ExamplesSchema.GAME_STATE));
    assertEquals("The bank is nearby. Withdrawing the net.\n\nNet withdrawn (item name first, then quantity) and the Draynor fishing loop is running.", ex(fish, ExamplesSchema.RESPONSE_TEXT));
    assertEquals(1, o.count(SessionCounts.TURNS_WITHOUT_GAME_CALL));
    assertEquals(2, o.count(SessionCounts.DROPPED_TOOL_CALLS)); // Read, Edit

    // A meta /clear, game and shell tools mixed (Bash dropped), an inline sidechain, a torn last line.
    o = read.get(frogs);
    assertEquals(List.of(18L, 1L, 2L, 2L, 1L, 4L, 0L, 0L), totals(o));
    assertEquals(List.of(
        "L2 c4d5e6f7-0001-4000-8000-000000000001 multi_step | query_nearby {\"radius\":10,\"type\":\"npc\"} -> ok | send_command {\"command\":\"KILL_LOOP Frog\"} -> ok"
            + " | get_logs {\"lines\":20,\"level\":\"INFO\"} -> ok",
        "L16 c4d5e6f7-000f-4000-8000-00000000000f direct_execution | click_text {\"text\":\"Click here to continue\"} -> ok"), o.turns());
    assertEquals(4, o.count(SessionCounts.SIDECHAIN_LINES));
    assertEquals(Map.of("truncated_line", 1L), o.report.quarantined);
    assertEquals(19L, qr(o.quarantine.get(0), QuarantineSchema.LINE_NUMBER));
    read.forEach((f, each) -> assertIds(SessionFiles.sessionIdOf(f), each));
  }

  private static void assertIds(String sessionId, SessionReading.Output o) {
    for (Row r : o.examples) assertEquals(StableIds.session(sessionId, (String) ex(r, ExamplesSchema.REQUEST_ID)), ex(r, ExamplesSchema.ID));
  }
}
