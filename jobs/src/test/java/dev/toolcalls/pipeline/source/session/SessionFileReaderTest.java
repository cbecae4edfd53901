package dev.toolcalls.pipeline.source.session;

import static dev.toolcalls.pipeline.source.session.SessionReading.calls;
import static dev.toolcalls.pipeline.source.session.SessionReading.ex;
import static dev.toolcalls.pipeline.source.session.SessionReading.qr;
import static dev.toolcalls.pipeline.source.session.SessionReading.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.util.StableIds;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.spark.HadoopConf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.hadoop.conf.Configuration;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Turn assembly over one transcript, without Spark: each case real transcripts contain. */
class SessionFileReaderTest {
  static final String S = "{\"sessionId\":\"s-1\",\"version\":\"2.1.39\",";

  // ---- the project's own transcript tree (test resources sessions/projects) ----------------------

  static Path projects() throws URISyntaxException {
    return Path.of(SessionFileReaderTest.class.getResource("/sessions/projects").toURI());
  }

  @Test
  void aProjectsTreeGivesTheGameTurnsOfEachSessionAndNoneOfItsSubagents() throws Exception {
    Map<String, SessionReading.Output> read = SessionRealShapeComparisonTest.readAll(projects());
    String v1 = "-home-u-bot/5f0e8a21-6c3d-4b7a-9e12-0d4c8b6a2f31.jsonl";
    String v2 = "-home-u-bot/a7d3c9e0-1b2f-4e5d-8c6a-3f9b0e7d1c24.jsonl";
    String agent = "-home-u-bot/a7d3c9e0-1b2f-4e5d-8c6a-3f9b0e7d1c24/subagents/agent-b1c2d3e.jsonl";
    String torn = "nested/-home-u-bot-old/c0ffee00-7e57-4c1a-b0a7-5e5510f1e5e5.jsonl";
    assertEquals(List.of(v1, v2, agent, torn), List.copyOf(read.keySet()));

    // 1.0.x: a reply on two lines, an array-content error and its retry, a local command, an array prompt with a
    // parallel Task, an inline sidechain with its own MCP call, a rejected call, an interrupt, TodoWrite in a game turn.
    SessionReading.Output o = read.get(v1);
    assertEquals(List.of(
        "L2 5f0e8a21-0001-4000-8000-000000000001 multi_step | get_game_state {\"fields\":[\"inventory\"]} -> ok | send_command {\"command\":\"FISH shrimp\"} -> error"
            + " | send_command {\"command\":\"FISH Net\"} -> ok",
        "L15 5f0e8a21-000e-4000-8000-00000000000e direct_execution | send_command {\"command\":\"DROP_ALL Raw_shrimps\"} -> ok",
        "L25 5f0e8a21-0018-4000-8000-000000000018 direct_execution | send_command {\"command\":\"BANK_OPEN Draynor\"} -> error",
        "L29 5f0e8a21-001c-4000-8000-00000000001c multi_step | send_command {\"command\":\"GOTO 3092 3245 0\"} -> ok | click_text {\"text\":\"Bank\"} -> ok"
            + " | send_command {\"command\":\"BANK_DEPOSIT_ALL Raw_shrimps\"} -> ok"),
        o.turns());
    assertEquals(Map.of(
        SessionCounts.REAL_PROMPTS, 4L, SessionCounts.NON_TURN_LINES, 1L, SessionCounts.SIDECHAIN_LINES, 4L, SessionCounts.DROPPED_TOOL_CALLS, 2L,
        "user_lines_tool_results", 10L, "user_lines_meta", 1L, "user_lines_client_markup", 3L), o.counts.toMap());
    assertEquals(38, o.report.lines);
    assertEquals(4, o.report.examples);
    assertEquals(0, o.report.quarantinedTotal());

    Row first = o.examples.get(0);
    assertEquals("cs-2b0bbe0c7ea7765f", ex(first, ExamplesSchema.ID)); // a literal: ids must never change
    assertEquals(StableIds.session("5f0e8a21-6c3d-4b7a-9e12-0d4c8b6a2f31", "5f0e8a21-0001-4000-8000-000000000001"), ex(first, ExamplesSchema.ID));
    assertEquals("claude_session", ex(first, ExamplesSchema.SOURCE));
    assertEquals(v1, ex(first, ExamplesSchema.SOURCE_FILE));
    assertEquals(2L, ex(first, ExamplesSchema.SOURCE_LINE));
    assertEquals("fish shrimp at draynor, check the net first", ex(first, ExamplesSchema.USER_MESSAGE));
    assertEquals("{\"inventory\":[{\"name\":\"Small fishing net\",\"qty\":1}]}", ex(first, ExamplesSchema.GAME_STATE));
    assertEquals("{\"session_id\":\"5f0e8a21-6c3d-4b7a-9e12-0d4c8b6a2f31\",\"client_version\":\"1.0.108\"}", ex(first, ExamplesSchema.CONTEXT));
    assertEquals(List.of(
        List.of("get_game_state", "{\"fields\":[\"inventory\"]}", "{\"inventory\":[{\"name\":\"Small fishing net\",\"qty\":1}]}", false),
        List.of("send_command", "{\"command\":\"FISH shrimp\"}", "Error: no fishing spot with action 'shrimp' (actions here: Net, Bait)", true),
        List.of("send_command", "{\"command\":\"FISH Net\"}", "{\"dispatched\":true,\"command\":\"FISH Net\"}", false)),
        calls(first).stream().map(c -> List.of(c.get(0), c.get(1), c.get(2), c.get(3))).toList());
    assertEquals("Checking the inventory first.\n\nFISH takes the spot action. Retrying with Net.\n\nNetting shrimp at Draynor.", ex(first, ExamplesSchema.RESPONSE_TEXT));
    assertNull(ex(first, ExamplesSchema.REASONING));
    assertNull(ex(first, ExamplesSchema.LOGGED_TASK_TYPE));
    assertEquals("ok", ex(first, ExamplesSchema.OUTCOME)); // the last call succeeded: the turn recovered
    assertNull(ex(first, ExamplesSchema.ERROR));
    assertEquals("5f0e8a21-0001-4000-8000-000000000001", ex(first, ExamplesSchema.REQUEST_ID));
    assertNull(ex(first, ExamplesSchema.ACCOUNT_ID));
    assertEquals(Timestamp.from(Instant.parse("2026-03-01T09:00:01.300Z")), ex(first, ExamplesSchema.EVENT_TIME));
    assertEquals(Date.valueOf(LocalDate.of(2026, 3, 1)), ex(first, ExamplesSchema.EVENT_DATE));
    for (String column : List.of(ExamplesSchema.PROBLEM, ExamplesSchema.ROOT_CAUSE, ExamplesSchema.BAD_CODE, ExamplesSchema.GOOD_CODE)) assertNull(ex(first, column));

    Row prompt2 = o.examples.get(1);
    assertEquals("drop the shrimp, and have an agent find the spot ids", ex(prompt2, ExamplesSchema.USER_MESSAGE));
    assertNull(ex(prompt2, ExamplesSchema.GAME_STATE));
    Row rejected = o.examples.get(2);
    assertEquals("error", ex(rejected, ExamplesSchema.OUTCOME));
    assertEquals("The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file)."
        + " STOP what you are doing and wait for the user to tell you how to proceed.", ex(rejected, ExamplesSchema.ERROR));
    assertNull(ex(rejected, ExamplesSchema.RESPONSE_TEXT));

    // 2.1.x: thinking, text and two parallel calls of one reply, an image result, an auto compaction mid-turn,
    // local commands in both 2.1 forms, a code-only turn, a subagent whose call is mirrored in a progress line,
    // queued input, a newer and an unknown line type, an interrupt, a text-only turn.
    o = read.get(v2);
    assertEquals(List.of(
        "L3 a7d3c9e0-0002-4000-8000-000000000002 multi_step reasoning | get_game_state {\"fields\":[\"login_state\"]} -> ok | take_screenshot {\"scale\":0.25} -> ok"
            + " | click_text {\"text\":\"Play Now\"} -> ok | send_command {\"command\":\"MINE_LOOP Iron\"} -> ok",
        "L29 a7d3c9e0-001c-4000-8000-00000000001c direct_execution | click_widget {\"widget\":\"12.42\"} -> error | click_text {\"text\":\"Deposit inventory\"} -> ok",
        "L41 a7d3c9e0-0024-4000-8000-000000000024 direct_execution | send_command {\"command\":\"GOTO 3285 3365 0\"} -> ok"),
        o.turns());
    assertEquals(Map.of(
        SessionCounts.REAL_PROMPTS, 5L, SessionCounts.TURNS_WITHOUT_GAME_CALL, 2L, SessionCounts.NON_TURN_LINES, 9L, SessionCounts.UNKNOWN_TYPE_LINES, 1L,
        SessionCounts.DROPPED_TOOL_CALLS, 4L, "user_lines_tool_results", 11L, "user_lines_compact_summary", 1L, "user_lines_meta", 1L, "user_lines_client_markup", 2L),
        o.counts.toMap());
    assertEquals(1, o.report.unknownFields);
    Row login = o.examples.get(0);
    assertEquals("Probably still on the login screen: check state and screen together.", ex(login, ExamplesSchema.REASONING));
    assertEquals("Checking the client and the screen.\n\nContinuing: starting the mining loop.", ex(login, ExamplesSchema.RESPONSE_TEXT));
    assertEquals("Captured 382x251\n[image: image/png]", calls(login).get(1).getString(2));
    assertEquals("{\"login_state\":\"LOGIN_SCREEN\"}", ex(login, ExamplesSchema.GAME_STATE));
    assertEquals("ok", ex(o.examples.get(1), ExamplesSchema.OUTCOME));

    o = read.get(agent);
    assertEquals(List.of(), o.turns());
    assertEquals(Map.of(SessionCounts.SIDECHAIN_LINES, 4L), o.counts.toMap());

    // 2.1.38 in a nested folder: unicode throughout, and a crash that tore the last call's result.
    o = read.get(torn);
    assertEquals(List.of(
        "L1 c0ffee00-0001-4000-8000-000000000001 direct_execution | send_command {\"command\":\"CHAT grüß dich 👋\"} -> ok | read_chatbox {\"lines\":2} -> ok",
        "L7 c0ffee00-0007-4000-8000-000000000007 direct_execution reasoning | send_command {\"command\":\"COOK Raw_shrimps\"} -> no result"),
        o.turns());
    assertEquals("say “grüß dich 👋” in chat, then read the chat box", ex(o.examples.get(0), ExamplesSchema.USER_MESSAGE));
    assertEquals("Zezima: grüß dich 👋\n釣り人: やあ！", calls(o.examples.get(0)).get(1).getString(2));
    assertEquals("Sent; someone answered 「やあ！」.", ex(o.examples.get(0), ExamplesSchema.RESPONSE_TEXT));
    Row cut = o.examples.get(1);
    assertEquals("now cook the shrimp — 🦐 ×27", ex(cut, ExamplesSchema.USER_MESSAGE));
    assertEquals("error", ex(cut, ExamplesSchema.OUTCOME));
    assertEquals("no result: the transcript has no tool_result for the last game call (send_command)", ex(cut, ExamplesSchema.ERROR));
    assertEquals(1, o.quarantine.size());
    Row q = o.quarantine.get(0);
    assertEquals(List.of("claude_session", torn, 10L, "truncated_line"), List.of(qr(q, QuarantineSchema.SOURCE), qr(q, QuarantineSchema.SOURCE_FILE), qr(q, QuarantineSchema.LINE_NUMBER), qr(q, QuarantineSchema.REASON)));
    byte[] file = Files.readAllBytes(projects().resolve(torn));
    byte[] lastLine = java.util.Arrays.copyOfRange(file, lastIndexOf(file, (byte) '\n') + 1, file.length);
    assertArrayEquals(lastLine, (byte[]) qr(q, QuarantineSchema.RAW_BYTES));
    assertEquals(Map.of("truncated_line", 1L), o.report.quarantined);
    assertEquals(10, o.report.lines);
    assertEquals(file.length, o.report.bytesRead);
  }

  @Test
  void theReadFunctionTravelsToExecutorsAndOpensFilesThroughHadoop() throws Exception {
    SessionReadFunction function = new SessionReadFunction(SessionReading.SETTINGS, new HadoopConf(new Configuration()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(function);
    }
    SessionReadFunction shipped;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      shipped = (SessionReadFunction) in.readObject();
    }
    String relative = "-home-u-bot/5f0e8a21-6c3d-4b7a-9e12-0d4c8b6a2f31.jsonl";
    Path file = projects().resolve(relative);
    List<ExtractRecord.Kind> kinds = new ArrayList<>();
    FileReport[] report = new FileReport[1];
    shipped.call(new InputFile(file.toUri().toString(), relative, Files.size(file), 0L, null)).forEachRemaining(r -> {
      kinds.add(r.kind);
      if (r.report != null) report[0] = r.report;
    });
    // Each example is followed by the identity behind it (the project folder names a home folder).
    assertEquals(List.of(ExtractRecord.Kind.EXAMPLE, ExtractRecord.Kind.IDENTITY, ExtractRecord.Kind.EXAMPLE, ExtractRecord.Kind.IDENTITY,
        ExtractRecord.Kind.EXAMPLE, ExtractRecord.Kind.IDENTITY, ExtractRecord.Kind.EXAMPLE, ExtractRecord.Kind.IDENTITY, ExtractRecord.Kind.REPORT), kinds);
    assertEquals("claude_session", report[0].source);
    assertEquals(4, report[0].examples);

    // A file that cannot be opened gives its report with the error, and nothing else.
    List<ExtractRecord> missing = new ArrayList<>();
    shipped.call(new InputFile(projects().resolve("gone.jsonl").toUri().toString(), "gone.jsonl", 0L, 0L, null)).forEachRemaining(missing::add);
    assertEquals(1, missing.size());
    assertEquals(ExtractRecord.Kind.REPORT, missing.get(0).kind);
    assertTrue(missing.get(0).report.error.startsWith("FileNotFoundException: "), missing.get(0).report.error);
  }

  private static int lastIndexOf(byte[] b, byte v) {
    for (int i = b.length - 1; i >= 0; i--) if (b[i] == v) return i;
    return -1;
  }
}
