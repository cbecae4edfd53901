package dev.toolcalls.pipeline.source.session;

import static dev.toolcalls.pipeline.source.session.SessionReading.callOutcomes;
import static dev.toolcalls.pipeline.source.session.SessionReading.calls;
import static dev.toolcalls.pipeline.source.session.SessionReading.ex;
import static dev.toolcalls.pipeline.source.session.SessionReading.qr;
import static dev.toolcalls.pipeline.source.session.SessionReading.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.rules.ToolCatalog;
import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.util.StableIds;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** One case of the transcript format per test, written as lines of their own. */
class SessionTurnAssemblyTest {
  static final String FILE = "-home-u-bot/s-1.jsonl";

  // ---- line builders: only the members the reader looks at, every one optional in the format ----

  static String prompt(String uuid, String content) {
    return "{\"type\":\"user\",\"sessionId\":\"s-1\",\"version\":\"2.1.39\",\"uuid\":\"" + uuid + "\",\"timestamp\":\"2026-01-20T10:00:00.250Z\",\"message\":{\"role\":\"user\",\"content\":" + content + "}}";
  }

  static String user(String uuid, String content, String flags) {
    return "{\"type\":\"user\",\"sessionId\":\"s-1\"," + flags + "\"uuid\":\"" + uuid + "\",\"timestamp\":\"2026-01-20T10:00:01Z\",\"message\":{\"role\":\"user\",\"content\":" + content + "}}";
  }

  static String reply(String uuid, String messageId, String block) {
    return reply(uuid, messageId, block, "");
  }

  static String reply(String uuid, String messageId, String block, String flags) {
    return "{\"type\":\"assistant\",\"sessionId\":\"s-1\"," + flags + "\"uuid\":\"" + uuid + "\",\"timestamp\":\"2026-01-20T10:00:02Z\",\"message\":{\"id\":\"" + messageId
        + "\",\"role\":\"assistant\",\"content\":[" + block + "],\"stop_reason\":null}}";
  }

  static String text(String t) {
    return "{\"type\":\"text\",\"text\":\"" + t + "\"}";
  }

  static String thinking(String t) {
    return "{\"type\":\"thinking\",\"thinking\":\"" + t + "\",\"signature\":\"c2ln\"}";
  }

  static String use(String id, String name, String input) {
    return "{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":" + input + "}";
  }

  static String send(String id, String command) {
    return use(id, "mcp__manny__send_command", "{\"command\":\"" + command + "\"}");
  }

  static String result(String uuid, String toolId, String content, String isError) {
    return user(uuid, "[{\"tool_use_id\":\"" + toolId + "\",\"type\":\"tool_result\",\"content\":" + content + (isError == null ? "" : ",\"is_error\":" + isError) + "}]", "");
  }

  static String ok(String uuid, String toolId) {
    return result(uuid, toolId, "[{\"type\":\"text\",\"text\":\"done\"}]", null);
  }

  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  // ---- replies, prompts, results --------------------------------------------------------------

  @Test
  void aReplyWrittenOverLinesThatShareItsMessageIdIsReadWhole() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"bank the logs\""),
        reply("a1", "msg_1", thinking("Open the bank, then deposit.")),
        reply("a2", "msg_1", text("Opening the bank.")),
        reply("a3", "msg_1", send("t1", "BANK_OPEN")),
        reply("a4", "msg_1", send("t2", "BANK_DEPOSIT_ALL Logs")),
        ok("r1", "t1"),
        ok("r2", "t2"),
        reply("a5", "msg_2", thinking("Both done.")),
        reply("a6", "msg_2", text("Opening the bank.")), // the same words in another reply are kept
        reply("a7", "msg_2", text("Deposited."))));
    assertEquals(1, o.examples.size());
    Row r = o.examples.get(0);
    assertEquals(List.of("send_command {\"command\":\"BANK_OPEN\"} -> ok", "send_command {\"command\":\"BANK_DEPOSIT_ALL Logs\"} -> ok"), callOutcomes(r));
    // text blocks in file order, a blank line between; thinking blocks the same, in their own column
    assertEquals("Opening the bank.\n\nOpening the bank.\n\nDeposited.", ex(r, ExamplesSchema.RESPONSE_TEXT));
    assertEquals("Open the bank, then deposit.\n\nBoth done.", ex(r, ExamplesSchema.REASONING));
    assertEquals("direct_execution", ex(r, ExamplesSchema.EXAMPLE_TYPE));
  }

  @Test
  void aBlockOrALineWrittenTwiceCountsOnce() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"open the bank\""),
        reply("a1", "msg_1", text("Opening.")),
        reply("a2", "msg_1", text("Opening.")), // the same block again on another line of the reply
        reply("a3", "msg_1", send("t1", "BANK_OPEN")),
        reply("a3", "msg_1", send("t1", "BANK_OPEN")), // the same line twice
        reply("a4", "msg_1", send("t1", "BANK_OPEN")), // the same call on another line
        ok("r1", "t1"),
        ok("r2", "t1"))); // a second result for the call: the first is kept
    Row r = o.examples.get(0);
    assertEquals(List.of("send_command {\"command\":\"BANK_OPEN\"} -> ok"), callOutcomes(r));
    assertEquals("Opening.", ex(r, ExamplesSchema.RESPONSE_TEXT));
    assertEquals(1, o.report.duplicateLines);
    assertEquals(1, o.count(SessionCounts.DUPLICATE_LINES));
    assertEquals(1, o.count(SessionCounts.DUPLICATE_RESULTS));
  }

  @Test
  void aPromptWrittenAgainLaterInTheFileGivesNoSecondExample() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"open the bank\""), reply("a1", "msg_1", send("t1", "BANK_OPEN")), ok("r1", "t1"),
        prompt("p2", "\"close it\""), reply("a2", "msg_2", send("t2", "BANK_CLOSE")), ok("r2", "t2"),
        prompt("p1", "\"open the bank\""), reply("a1", "msg_1", send("t1", "BANK_OPEN")), ok("r1", "t1")));
    assertEquals(List.of("p1", "p2"), o.examples.stream().map(r -> ex(r, ExamplesSchema.REQUEST_ID)).toList());
    assertEquals(1, o.count(SessionCounts.DUPLICATE_TURNS));
  }

  @Test
  void aPromptIsAStringOrTheTextOfItsBlocks() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"  walk north\\nthen east  \""),
        reply("a1", "m1", send("t1", "GOTO 1 2 0")),
        prompt("p2", "[{\"type\":\"text\",\"text\":\"drop the boots\"},{\"type\":\"text\",\"text\":\"and the gloves\"}]"),
        reply("a2", "m2", send("t2", "DROP_ALL Boots")),
        prompt("p3", "[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/jpeg\",\"data\":\"/9j/4AAQ\"}},{\"type\":\"text\",\"text\":\"click that\"}]"),
        reply("a3", "m3", use("t3", "mcp__manny__click_text", "{\"text\":\"Bank\"}"))));
    assertEquals(List.of("  walk north\nthen east  ", "drop the boots\nand the gloves", "[image: image/jpeg]\nclick that"),
        o.examples.stream().map(r -> ex(r, ExamplesSchema.USER_MESSAGE)).toList());
  }

  @Test
  void aCallCarriesItsResultAndWhetherItFailed() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"do five things\""),
        reply("a1", "m1", send("t1", "A")),
        reply("a2", "m1", send("t2", "B")),
        reply("a3", "m1", send("t3", "C")),
        reply("a4", "m1", send("t4", "D")),
        reply("a5", "m1", send("t5", "E")),
        result("r1", "t1", "\"plain text as written\"", null),
        result("r2", "t2", "[{\"type\":\"text\",\"text\":\"{\\\"x\\\":1}\"},{\"type\":\"text\",\"text\":\"second block\"}]", "false"),
        result("r3", "t3", "[{\"type\":\"text\",\"text\":\"Error: no such item\"}]", "true"),
        result("r4", "t4", "[{\"type\":\"resource\",\"uri\":\"game://state\"}]", null)));
    Row r = o.examples.get(0);
    List<List<Object>> got = new ArrayList<>();
    for (Row c : calls(r)) got.add(java.util.Arrays.asList(c.get(0), c.get(2), c.get(3)));
    assertEquals(List.of(
        java.util.Arrays.asList("send_command", "plain text as written", false),
        java.util.Arrays.asList("send_command", "{\"x\":1}\nsecond block", false),
        java.util.Arrays.asList("send_command", "Error: no such item", true),
        java.util.Arrays.asList("send_command", "{\"type\":\"resource\",\"uri\":\"game://state\"}", false),
        java.util.Arrays.asList("send_command", null, null)), got);
    assertEquals("multi_step", ex(r, ExamplesSchema.EXAMPLE_TYPE));
    // the last game call has no result: the outcome is not known to be good
    assertEquals("error", ex(r, ExamplesSchema.OUTCOME));
    assertEquals("no result: the transcript has no tool_result for the last game call (send_command)", ex(r, ExamplesSchema.ERROR));
  }

  @Test
  void theOutcomeIsTheLastGameCalls() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"fish\""),
        reply("a1", "m1", send("t1", "FISH trout")),
        result("r1", "t1", "\"Error: no spot\"", "true"),
        reply("a2", "m2", send("t2", "FISH Lure")),
        result("r2", "t2", "\"ok\"", null),
        reply("a3", "m3", use("t3", "Bash", "{\"command\":\"false\"}")),
        result("r3", "t3", "\"exit 1\"", "true"), // a failing client tool does not make the turn fail
        prompt("p2", "\"bank\""),
        reply("a4", "m4", send("t4", "BANK_OPEN")),
        result("r4", "t4", "\"Error: not near a bank\"", "true"),
        reply("a5", "m5", text("There is no bank here."))));
    assertEquals(List.of("ok", "error"), o.examples.stream().map(r -> ex(r, ExamplesSchema.OUTCOME)).toList());
    assertNull(ex(o.examples.get(0), ExamplesSchema.ERROR));
    assertEquals("Error: not near a bank", ex(o.examples.get(1), ExamplesSchema.ERROR));
  }

  @Test
  void onlyGameServersToolsAreKeptAndCountTowardsMultiStep() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"check the log and restart\""),
        reply("a1", "m1", use("t1", "Bash", "{\"command\":\"tail log\"}")),
        reply("a2", "m1", use("t2", "mcp__manny__stop_runelite", "{}")),
        reply("a3", "m1", use("t3", "Task", "{\"prompt\":\"look\"}")),
        reply("a4", "m1", use("t4", "mcp__github__create_issue", "{\"title\":\"x\"}")),
        reply("a5", "m1", use("t5", "mcp__runelite-debug__start_runelite", "{\"account_id\":\"main\"}")),
        reply("a6", "m1", use("t6", "TodoWrite", "{\"todos\":[]}")),
        prompt("p2", "\"three steps\""),
        reply("b1", "m2", send("t7", "A")), reply("b2", "m2", send("t8", "B")), reply("b3", "m2", send("t9", "C")),
        prompt("p3", "\"fix the code\""),
        reply("c1", "m3", use("t10", "Edit", "{\"file_path\":\"a\"}"))));
    assertEquals(List.of(
        "L1 p1 direct_execution | stop_runelite {} -> no result | start_runelite {\"account_id\":\"main\"} -> no result",
        "L8 p2 multi_step | send_command {\"command\":\"A\"} -> no result | send_command {\"command\":\"B\"} -> no result | send_command {\"command\":\"C\"} -> no result"), o.turns());
    assertEquals(5, o.count(SessionCounts.DROPPED_TOOL_CALLS));
    assertEquals(1, o.count(SessionCounts.TURNS_WITHOUT_GAME_CALL));
    assertEquals(3, o.count(SessionCounts.REAL_PROMPTS));
  }

  @Test
  void argumentsAreTheInputAsJsonTextWithNumbersAndUnicodeAsWritten() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"zoom\""),
        reply("a1", "m1", use("t1", "mcp__runelite-debug__take_screenshot", "{ \"scale\" : 0.50, \"big\": 12345678901234567890, \"e\": 1e3, \"s\": \"grüß 👋\" }"))));
    assertEquals("{\"scale\":0.50,\"big\":12345678901234567890,\"e\":1E+3,\"s\":\"grüß 👋\"}", calls(o.examples.get(0)).get(0).getString(1));
  }

  // ---- what is not a prompt, and what does not end a turn --------------------------------------

  @Test
  void clientLinesAreNoPromptsAndEndNoTurn() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"chop yews\""),
        reply("a1", "m1", send("t1", "CHOP_LOOP Yew")),
        ok("r1", "t1"),
        "{\"type\":\"system\",\"subtype\":\"compact_boundary\",\"uuid\":\"c1\",\"content\":\"Conversation compacted\"}",
        user("c2", "\"This session is being continued from a previous conversation that ran out of context.\"", "\"isCompactSummary\":true,\"isVisibleInTranscriptOnly\":true,"),
        user("c3", "\"Caveat: The messages below were generated by the user while running local commands.\"", "\"isMeta\":true,"),
        user("c4", "\"<local-command-caveat>Caveat: ...</local-command-caveat>\"", ""),
        user("c5", "\"  <command-name>/mcp</command-name>\\n<command-message>mcp</command-message>\"", ""),
        user("c6", "\"<command-message>init is analyzing</command-message>\\n<command-name>/init</command-name>\"", ""),
        user("c7", "\"<local-command-stdout>Reconnected to manny.</local-command-stdout>\"", ""),
        user("c8", "[{\"type\":\"text\",\"text\":\"[Request interrupted by user]\"}]", ""),
        user("c9", "[{\"type\":\"text\",\"text\":\"[Request interrupted by user for tool use]\"}]", ""),
        user("c10", "\"Please read the whole file first\"", "\"isMeta\":true,"), // an expanded slash command
        user("c11", "\"\"", ""),
        reply("a2", "m2", send("t2", "DROP_ALL Yew_logs")),
        ok("r2", "t2")));
    assertEquals(List.of("L1 p1 direct_execution | send_command {\"command\":\"CHOP_LOOP Yew\"} -> ok | send_command {\"command\":\"DROP_ALL Yew_logs\"} -> ok"), o.turns());
    assertEquals(Map.of(
        SessionCounts.REAL_PROMPTS, 1L, SessionCounts.NON_TURN_LINES, 1L, "user_lines_tool_results", 2L, "user_lines_compact_summary", 1L,
        "user_lines_meta", 2L, "user_lines_client_markup", 6L, "user_lines_no_content", 1L), o.counts.toMap());
  }

  @Test
  void aPromptIsTheTextAfterTheResultsOnItsLine() {
    // Results sharing a line with typed text answer the open turn; the text opens the next one.
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"open the bank\""),
        reply("a1", "m1", send("t1", "BANK_OPEN")),
        user("p2", "[{\"tool_use_id\":\"t1\",\"type\":\"tool_result\",\"content\":\"opened\"},{\"type\":\"text\",\"text\":\"now deposit\"}]", ""),
        reply("a2", "m2", send("t2", "BANK_DEPOSIT_ALL")),
        ok("r2", "t2")));
    assertEquals(List.of("L1 p1 direct_execution | send_command {\"command\":\"BANK_OPEN\"} -> ok", "L3 p2 direct_execution | send_command {\"command\":\"BANK_DEPOSIT_ALL\"} -> ok"), o.turns());
    assertEquals("now deposit", ex(o.examples.get(1), ExamplesSchema.USER_MESSAGE));
  }

  @Test
  void aResultThatComesAfterTheNextPromptIsNotJoined() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"walk\""),
        reply("a1", "m1", send("t1", "GOTO 1 1 0")),
        prompt("p2", "\"stop\""),
        result("r1", "t1", "\"arrived\"", null),
        reply("a2", "m2", send("t2", "STOP")),
        ok("r2", "t2"),
        result("r3", null, "\"a result that names no call\"", null)));
    assertEquals(List.of("L1 p1 direct_execution | send_command {\"command\":\"GOTO 1 1 0\"} -> no result", "L3 p2 direct_execution | send_command {\"command\":\"STOP\"} -> ok"), o.turns());
    assertEquals(2, o.count(SessionCounts.RESULTS_WITHOUT_CALL));
  }

  // ---- sidechains -----------------------------------------------------------------------------

  @Test
  void inlineSidechainLinesAreNoTurnAndTheirCallsStayOutOfTheParentTurn() {
    SessionReading.Output o = read(FILE, lines(
        prompt("p1", "\"drop the boots and have an agent find the spot ids\""),
        reply("a1", "m1", send("t1", "DROP_ALL Boots")),
        reply("a2", "m1", use("t2", "Task", "{\"prompt\":\"find the ids\"}")),
        ok("r1", "t1"),
        user("s1", "\"find the ids\"", "\"isSidechain\":true,"),
        reply("s2", "m9", use("t9", "mcp__runelite-debug__find_npcs", "{\"name\":\"Fishing spot\"}"), "\"isSidechain\":true,"),
        user("s3", "[{\"tool_use_id\":\"t9\",\"type\":\"tool_result\",\"content\":\"[1526]\"}]", "\"isSidechain\":true,"),
        reply("s4", "m10", text("Ids 1526."), "\"isSidechain\":true,"),
        result("r2", "t2", "\"Ids 1526.\"", null),
        reply("a3", "m2", text("Dropped; the spots are 1526."))));
    assertEquals(List.of("L1 p1 direct_execution | send_command {\"command\":\"DROP_ALL Boots\"} -> ok"), o.turns());
    assertEquals("Dropped; the spots are 1526.", ex(o.examples.get(0), ExamplesSchema.RESPONSE_TEXT));
    assertEquals(4, o.count(SessionCounts.SIDECHAIN_LINES));
    assertEquals(0, o.count(SessionCounts.RESULTS_WITHOUT_CALL));
  }

  @Test
  void aSubagentFileGivesNoTurnEvenWithoutSidechainFlags() {
    String agentLines = lines(prompt("p1", "\"find the widget\""), reply("a1", "m1", use("t1", "mcp__runelite-debug__get_widget_tree", "{\"group\":12}")), ok("r1", "t1"));
    SessionReading.Output o = read("-home-u-bot/s-1/subagents/agent-a3f9c21.jsonl", agentLines);
    assertEquals(List.of(), o.turns());
    assertEquals(Map.of(SessionCounts.SIDECHAIN_LINES, 3L), o.counts.toMap());
    assertEquals(0, read("-home-u-bot/agent-a3f9c21.jsonl", agentLines).examples.size()); // the 2.0.x layout, beside the session
    assertEquals(0, read("-home-u-bot/s-1/subagents/agent-acompact-fffbd0.jsonl", agentLines).examples.size());
    assertEquals(1, read("-home-u-bot/s-1.jsonl", agentLines).examples.size());
  }

  @Test
  void otherLineTypesAreSkippedAndUnknownOnesCounted() {
    SessionReading.Output o = read(FILE, lines(
        "{\"type\":\"summary\",\"summary\":\"Fishing\",\"leafUuid\":\"x\"}",
        "{\"type\":\"file-history-snapshot\",\"messageId\":\"p1\",\"snapshot\":{},\"isSnapshotUpdate\":false}",
        prompt("p1", "\"research the widget with an agent\""),
        reply("a1", "m1", use("t1", "Task", "{\"prompt\":\"find it\"}")),
        // the subagent's call mirrored into the parent file: it is the subagent's, not this turn's
        "{\"type\":\"progress\",\"uuid\":\"g1\",\"parentToolUseID\":\"t1\",\"data\":{\"type\":\"agent_progress\",\"message\":{\"type\":\"assistant\",\"message\":{\"id\":\"m9\",\"content\":["
            + use("t9", "mcp__runelite-debug__get_widget_tree", "{\"group\":12}") + "]}}}}",
        "{\"type\":\"queue-operation\",\"operation\":\"enqueue\",\"content\":\"also drop the logs\"}",
        "{\"type\":\"system\",\"subtype\":\"turn_duration\",\"uuid\":\"d1\"}",
        "{\"type\":\"attachment\",\"uuid\":\"e1\"}",
        "{\"type\":\"hologram\",\"uuid\":\"h1\",\"message\":{\"content\":[" + send("t8", "X") + "]}}",
        "{\"type\":\"hologram\",\"uuid\":\"h2\"}"));
    assertEquals(List.of(), o.turns());
    assertEquals(Map.of(SessionCounts.NON_TURN_LINES, 6L, SessionCounts.UNKNOWN_TYPE_LINES, 2L, SessionCounts.REAL_PROMPTS, 1L,
        SessionCounts.TURNS_WITHOUT_GAME_CALL, 1L, SessionCounts.DROPPED_TOOL_CALLS, 1L), o.counts.toMap());
    assertEquals(2, o.report.unknownFields);
  }

  // ---- bad lines ------------------------------------------------------------------------------

  @Test
  void badLinesAreQuarantinedWithTheirBytesAndTheFileGoesOn() {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    byte[] badUtf8 = "{\"type\":\"user\",\"message\":{\"content\":\"caf\u00e9 \"}}".getBytes(StandardCharsets.ISO_8859_1); // Latin-1 é
    String torn = reply("a3", "m3", text("Deposit"));
    file.writeBytes((lines(prompt("p1", "\"bank the logs\""), reply("a1", "m1", send("t1", "BANK_OPEN")), "", "{\"type\":\"user\",\"message\":") ).getBytes(StandardCharsets.UTF_8));
    file.writeBytes(badUtf8);
    file.writeBytes(("\n" + lines("[1,2]", "{\"uuid\":\"x\",\"message\":{}}", "{\"type\":\"assistant\"} {\"type\":\"user\"}", "\u0000\u0000\u0000", ok("r1", "t1") + "\r"))
        .getBytes(StandardCharsets.UTF_8));
    file.writeBytes(torn.substring(0, 60).getBytes(StandardCharsets.UTF_8));
    SessionReading.Output o = read(FILE, file.toByteArray());

    assertEquals(List.of("L1 p1 direct_execution | send_command {\"command\":\"BANK_OPEN\"} -> ok"), o.turns());
    List<String> got = new ArrayList<>();
    for (Row q : o.quarantine) got.add(qr(q, QuarantineSchema.LINE_NUMBER) + " " + qr(q, QuarantineSchema.REASON));
    assertEquals(List.of("4 invalid_json", "5 invalid_utf8", "6 invalid_json", "7 missing_type", "8 invalid_json", "9 invalid_json", "11 truncated_line"), got);
    assertArrayEquals(badUtf8, (byte[]) qr(o.quarantine.get(1), QuarantineSchema.RAW_BYTES));
    assertEquals("claude_session", qr(o.quarantine.get(1), QuarantineSchema.SOURCE));
    assertEquals(FILE, qr(o.quarantine.get(1), QuarantineSchema.SOURCE_FILE));
    assertEquals("not a JSON object", qr(o.quarantine.get(2), QuarantineSchema.DETAIL));
    assertEquals(torn.substring(0, 60), qr(o.quarantine.get(6), QuarantineSchema.RAW_TEXT));
    assertEquals(Map.of("invalid_json", 4L, "invalid_utf8", 1L, "missing_type", 1L, "truncated_line", 1L), o.report.quarantined);
    assertEquals(11, o.report.lines);
    assertEquals(1, o.report.blankLines);
    assertEquals(file.size(), o.report.bytesRead);
    assertNull(o.report.error);
  }

  @Test
  void aLastLineWithoutNewlineThatParsesIsAnOrdinaryLine() {
    SessionReading.Output o = read(FILE, prompt("p1", "\"fish\"") + "\n" + reply("a1", "m1", send("t1", "FISH")) + "\n" + ok("r1", "t1"));
    assertEquals(List.of("L1 p1 direct_execution | send_command {\"command\":\"FISH\"} -> ok"), o.turns());
    assertEquals(0, o.quarantine.size());
  }

  @Test
  void aGameTurnWhosePromptCannotBeIdentifiedIsQuarantined() {
    String noUuid = "{\"type\":\"user\",\"sessionId\":\"s-1\",\"timestamp\":\"2026-01-20T10:00:00Z\",\"message\":{\"content\":\"fish\"}}";
    String noTime = "{\"type\":\"user\",\"sessionId\":\"s-1\",\"uuid\":\"p2\",\"timestamp\":\"yesterday\",\"message\":{\"content\":\"cook\"}}";
    String noTimeNoGame = "{\"type\":\"user\",\"sessionId\":\"s-1\",\"uuid\":\"p3\",\"message\":{\"content\":\"what is this?\"}}";
    SessionReading.Output o = read(FILE, lines(noUuid, reply("a1", "m1", send("t1", "FISH")), noTime, reply("a2", "m2", send("t2", "COOK")), noTimeNoGame, reply("a3", "m3", text("A fish."))));
    assertEquals(List.of(), o.examples);
    List<String> got = new ArrayList<>();
    for (Row q : o.quarantine) got.add(qr(q, QuarantineSchema.LINE_NUMBER) + " " + qr(q, QuarantineSchema.REASON) + " " + qr(q, QuarantineSchema.RAW_TEXT));
    assertEquals(List.of("1 missing_request_id " + noUuid, "3 missing_timestamp " + noTime), got);
    assertEquals(1, o.count(SessionCounts.TURNS_WITHOUT_GAME_CALL));
  }

  // ---- ids, dates, settings -------------------------------------------------------------------

  @Test
  void theIdComesFromTheSessionAndThePromptUuidOnly() {
    String turn = lines(prompt("p1", "\"fish\""), reply("a1", "m1", send("t1", "FISH")), ok("r1", "t1"));
    Row alone = read(FILE, turn).examples.get(0);
    Row later = read(FILE, lines("{\"type\":\"summary\",\"summary\":\"x\"}", prompt("p0", "\"hi\""), reply("a0", "m0", text("Hello.")))
        + turn.replace("FISH", "FISH Net")).examples.get(0);
    assertEquals(StableIds.session("s-1", "p1"), ex(alone, ExamplesSchema.ID));
    assertEquals(ex(alone, ExamplesSchema.ID), ex(later, ExamplesSchema.ID)); // other lines, other calls, another line number
    assertEquals(4L, ex(later, ExamplesSchema.SOURCE_LINE));
    assertNotEquals(ex(alone, ExamplesSchema.ID), ex(read(FILE, turn.replace("s-1", "s-2")).examples.get(0), ExamplesSchema.ID));
    assertTrue(((String) ex(alone, ExamplesSchema.ID)).matches("cs-[0-9a-f]{16}"));
  }

  @Test
  void aLineWithoutSessionIdTakesItFromTheFileName() {
    String turn = lines("{\"type\":\"user\",\"uuid\":\"p1\",\"timestamp\":\"2026-01-20T10:00:00Z\",\"message\":{\"content\":\"fish\"}}", reply("a1", "m1", send("t1", "FISH")));
    Row r = read("proj/1b8842f7-b0be-4432-89d7-ed6a45226d0e.jsonl", turn).examples.get(0);
    assertEquals(StableIds.session("1b8842f7-b0be-4432-89d7-ed6a45226d0e", "p1"), ex(r, ExamplesSchema.ID));
    assertEquals("{\"session_id\":\"1b8842f7-b0be-4432-89d7-ed6a45226d0e\"}", ex(r, ExamplesSchema.CONTEXT));
  }

  @Test
  void theEventTimeIsThePromptsInUtc() {
    String withOffset = "{\"type\":\"user\",\"sessionId\":\"s-1\",\"uuid\":\"p1\",\"timestamp\":\"2026-01-20T23:30:00.5+01:00\",\"message\":{\"content\":\"fish\"}}";
    Row r = read(FILE, lines(withOffset, reply("a1", "m1", send("t1", "FISH")))).examples.get(0);
    assertEquals(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-20T22:30:00.500Z")), ex(r, ExamplesSchema.EVENT_TIME));
    assertEquals(java.sql.Date.valueOf("2026-01-20"), ex(r, ExamplesSchema.EVENT_DATE));
  }

  @Test
  void aLineLongerThanJacksonsDefaultStringLimitIsRead() {
    String big = "x".repeat(20_000_001);
    SessionReading.Output o = read(FILE, lines(prompt("p1", "\"look\""), reply("a1", "m1", use("t1", "mcp__manny__get_logs", "{}")), result("r1", "t1", "\"" + big + "\"", null)));
    assertEquals(0, o.quarantine.size());
    assertEquals(20_000_001, calls(o.examples.get(0)).get(0).getString(2).length());
  }

  @Test
  void theFileIsStreamedOneTurnAtATime() {
    // An endless transcript: the first examples come out after reading only a little of it.
    byte[] turn = lines(prompt("p", "\"fish\""), reply("a", "m", send("t", "FISH")), ok("r", "t")).getBytes(StandardCharsets.UTF_8);
    long[] served = {0};
    InputStream endless = new InputStream() {
      int pos;
      int n;
      byte[] current = renumber(turn, 0);

      @Override
      public int read() {
        if (pos == current.length) {
          current = renumber(turn, ++n);
          pos = 0;
        }
        served[0]++;
        return current[pos++] & 0xFF;
      }
    };
    FileReport report = new FileReport("claude_session", new InputFile("file:/x", FILE, Long.MAX_VALUE, 0L, null));
    SessionFileReader reader = new SessionFileReader(endless, report, SessionReading.SETTINGS);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ExtractRecord r = reader.next();
      if (r.kind == ExtractRecord.Kind.IDENTITY) r = reader.next(); // its project folder names a home folder's user
      assertEquals(ExtractRecord.Kind.EXAMPLE, r.kind);
      ids.add(r.row.getUTF8String(ExamplesSchema.PARSED.fieldIndex(ExamplesSchema.REQUEST_ID)).toString());
    }
    assertEquals(List.of("p0", "p1", "p2"), ids);
    assertTrue(served[0] <= 2 << 20, "read " + served[0] + " bytes for three turns");
  }

  private static byte[] renumber(byte[] turn, int n) {
    return new String(turn, StandardCharsets.UTF_8).replace("\"p\"", "\"p" + n + "\"").replace("\"a\"", "\"a" + n + "\"").replace("\"r\"", "\"r" + n + "\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void gameToolsAreTheConfiguredServersMcpTools() {
    SessionSettings s = SessionReading.SETTINGS;
    assertEquals(List.of("manny", "runelite-debug"), s.gameServers);
    assertEquals("send_command", s.gameTool("mcp__manny__send_command"));
    assertEquals("find_npcs", s.gameTool("mcp__runelite-debug__find_npcs"));
    assertEquals("a__b", s.gameTool("mcp__manny__a__b"));
    for (String other : new String[] {"Bash", "Task", "mcp__mannyx__send_command", "mcp__runelite__find_npcs", "mcp__manny__", "mcp__manny_send", "send_command", null}) {
      assertNull(s.gameTool(other), other);
    }
    PipelineConfig.Sources sources = new PipelineConfig.Sources();
    sources.overrides = List.of("sessions.game_servers=[bot_2]");
    assertEquals("walk", SessionSettings.from(PipelineConfig.load(sources)).gameTool("mcp__bot_2__walk"));
    sources.overrides = List.of("sessions.game_servers=manny, other");
    assertEquals(List.of("manny", "other"), SessionSettings.from(PipelineConfig.load(sources)).gameServers);
    assertThrows(BadInputException.class, () -> new SessionSettings(List.of(), new ToolCatalog(new ToolCatalog.Spec()), null));
  }

  @Test
  void everyJsonlFileIsATranscriptAndAgentFilesAreSubagents() {
    assertTrue(SessionFiles.isSession("-home-u-bot/1b8842f7-b0be-4432-89d7-ed6a45226d0e.jsonl"));
    assertTrue(SessionFiles.isSession("a/b/c/s.jsonl"));
    assertTrue(SessionFiles.isSession("-home-u-bot/0acb84f8/subagents/agent-a3f9c21.jsonl"));
    assertFalse(SessionFiles.isSession("-home-u-bot/notes.md"));
    assertFalse(SessionFiles.isSession("-home-u-bot/s.jsonl.bak"));
    assertFalse(SessionFiles.isSession("-home-u-bot/0acb84f8/subagents/agent-a3f9c21.meta.json"));
    assertTrue(SessionFiles.isSubagentTranscript("-home-u-bot/0acb84f8/subagents/agent-a3f9c21.jsonl"));
    assertTrue(SessionFiles.isSubagentTranscript("agent-a3f9c21.jsonl"));
    assertFalse(SessionFiles.isSubagentTranscript("-home-u-bot/agent-work/0acb84f8.jsonl"));
  }
}
