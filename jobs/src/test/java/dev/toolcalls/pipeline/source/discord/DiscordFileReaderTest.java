package dev.toolcalls.pipeline.source.discord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.rules.Rules;
import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.Test;

/** Turn assembly over one file, without Spark: each case the bot's logs really contain. */
class DiscordFileReaderTest {
  static final DiscordSettings SETTINGS = DiscordSettings.from(PipelineConfig.defaults(), Rules.from(PipelineConfig.defaults()).tools);

  static final class Output {
    final List<Row> examples = new ArrayList<>();
    final List<Row> quarantine = new ArrayList<>();
    final List<InternalRow> handOver = new ArrayList<>();
    final List<InternalRow> identities = new ArrayList<>();
    FileReport report;
  }

  static Output read(String name, byte[] bytes) {
    FileReport report = new FileReport("discord", new InputFile("file:/x/" + name, name, bytes.length, 0L, null));
    Output out = new Output();
    new DiscordFileReader(new ByteArrayInputStream(bytes), report, SETTINGS).forEachRemaining(r -> {
      switch (r.kind) {
        case EXAMPLE -> out.examples.add(example(r.row));
        case QUARANTINE -> out.quarantine.add(quarantined(r.row));
        case HAND_OVER -> out.handOver.add(r.row);
        case REPORT -> out.report = r.report;
        case IDENTITY -> out.identities.add(r.row);
      }
    });
    return out;
  }

  static Output read(String name, LogLines lines) {
    return read(name, lines.text().getBytes(StandardCharsets.UTF_8));
  }

  static Row example(InternalRow r) {
    return (Row) CatalystTypeConverters.createToScalaConverter(ExamplesSchema.EXTRACTED).apply(r);
  }

  static Row quarantined(InternalRow r) {
    return (Row) CatalystTypeConverters.createToScalaConverter(QuarantineSchema.TABLE).apply(r);
  }

  static Object ex(Row r, String column) {
    return r.get(ExamplesSchema.EXTRACTED.fieldIndex(column));
  }

  static Object qr(Row r, String column) {
    return r.get(QuarantineSchema.TABLE.fieldIndex(column));
  }

  @SuppressWarnings("unchecked")
  static List<String> tools(Row r) {
    List<String> out = new ArrayList<>();
    for (Row c : r.<Row>getList(ExamplesSchema.EXTRACTED.fieldIndex(ExamplesSchema.TOOL_CALLS))) out.add(c.getString(0) + (c.getString(1) == null ? "" : " " + c.getString(1)));
    return out;
  }

  @Test
  void interleavedAccountsAreTwoTurns() {
    Output o = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("1200000001", "2026-01-20T12:00:00.000001", "Go to 3222 3218", "main")
        .request("1200000502", "2026-01-20T12:00:00.050200", "Kill frogs", "aux")
        .command("1200000001", "2026-01-20T12:00:01.000000", "GOTO 3222 3218 0")
        .command("1200000502", "2026-01-20T12:00:01.100000", "KILL_LOOP Frog")
        .response("1200000502", "2026-01-20T12:00:02.000000", "Started killing frogs.")
        .response("1200000001", "2026-01-20T12:00:03.000000", "Traveling to 3222 3218."));
    assertEquals(2, o.examples.size());
    Row go = o.examples.get(0).get(4).equals("Go to 3222 3218") ? o.examples.get(0) : o.examples.get(1);
    Row kill = go == o.examples.get(0) ? o.examples.get(1) : o.examples.get(0);
    assertEquals(List.of("send_command {\"command\": \"GOTO 3222 3218 0\"}"), tools(go));
    assertEquals("Traveling to 3222 3218.", ex(go, ExamplesSchema.RESPONSE_TEXT));
    assertEquals("main", ex(go, ExamplesSchema.ACCOUNT_ID));
    assertEquals(List.of("send_command {\"command\": \"KILL_LOOP Frog\"}"), tools(kill));
    assertEquals("Started killing frogs.", ex(kill, ExamplesSchema.RESPONSE_TEXT));
    assertEquals(1L, ex(go, ExamplesSchema.SOURCE_LINE));
    assertEquals(2L, ex(kill, ExamplesSchema.SOURCE_LINE));
  }

  @Test
  void aRequestIdThatComesRoundAgainOnAnotherDayIsAnotherTurn() {
    Output o = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("0900000000", "2026-01-20T09:00:00.000000", "Status", "aux")
        .response("0900000000", "2026-01-20T09:00:01.000000", "All good.")
        .request("0900000000", "2026-01-21T09:00:00.000000", "Status again", "aux")
        .response("0900000000", "2026-01-21T09:00:02.000000", "Still good."));
    assertEquals(2, o.examples.size());
    assertNotEquals(ex(o.examples.get(0), ExamplesSchema.ID), ex(o.examples.get(1), ExamplesSchema.ID));
    assertEquals(java.sql.Date.valueOf(LocalDate.of(2026, 1, 20)), ex(o.examples.get(0), ExamplesSchema.EVENT_DATE));
    assertEquals(java.sql.Date.valueOf(LocalDate.of(2026, 1, 21)), ex(o.examples.get(1), ExamplesSchema.EVENT_DATE));
    assertEquals("Still good.", ex(o.examples.get(1), ExamplesSchema.RESPONSE_TEXT));
  }

  @Test
  void aTurnAcrossMidnightStaysOneTurnDatedByItsRequest() {
    Output o = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("2359590000", "2026-01-20T23:59:59.000000", "Fish", "aux")
        .command("2359590000", "2026-01-21T00:00:01.000000", "FISH")
        .response("2359590000", "2026-01-21T00:00:02.000000", "Started fishing."));
    assertEquals(1, o.examples.size());
    assertEquals(java.sql.Date.valueOf(LocalDate.of(2026, 1, 20)), ex(o.examples.get(0), ExamplesSchema.EVENT_DATE));
    assertEquals(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-20T23:59:59Z")), ex(o.examples.get(0), ExamplesSchema.EVENT_TIME));
    assertEquals(1, tools(o.examples.get(0)).size());
  }

  @Test
  void aLineWrittenTwiceCountsOnce() {
    Output o = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("1000000000", "2026-01-20T10:00:00.000000", "Bank open", "aux").repeatLast()
        .command("1000000000", "2026-01-20T10:00:01.000000", "BANK_OPEN").repeatLast()
        .response("1000000000", "2026-01-20T10:00:02.000000", "Opened.").repeatLast());
    assertEquals(1, o.examples.size());
    assertEquals(1, tools(o.examples.get(0)).size());
    assertEquals(3, o.report.duplicateLines);
  }

  @Test
  void anErrorWithoutResponseIsAnErrorExample() {
    Output o = read("conversations_2026-01-22.jsonl", new LogLines()
        .request("0417547187", "2026-01-22T04:17:54.718700", "Go fishing", "aux")
        .error("0417547187", "2026-01-22T04:18:33.306525", "name 're' is not defined"));
    assertEquals(1, o.examples.size());
    assertEquals("error", ex(o.examples.get(0), ExamplesSchema.OUTCOME));
    assertEquals("name 're' is not defined", ex(o.examples.get(0), ExamplesSchema.ERROR));
    assertNull(ex(o.examples.get(0), ExamplesSchema.RESPONSE_TEXT));
  }

  @Test
  void aResponseFollowedByAnErrorKeepsBoth() {
    Output o = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("2302423875", "2026-01-20T23:02:42.387587", "KILL_LOOP Giant_frog 250", "aux")
        .response("2302423875", "2026-01-20T23:02:43.000000", "\n")
        .error("2302423875", "2026-01-20T23:02:43.589050", "400 Bad Request (error code: 50006): Cannot send an empty message"));
    assertEquals(1, o.examples.size());
    assertEquals("error", ex(o.examples.get(0), ExamplesSchema.OUTCOME));
    assertEquals("\n", ex(o.examples.get(0), ExamplesSchema.RESPONSE_TEXT));
  }

  @Test
  void openTurnsAndOrphansAreHandedToTheCrossFilePassThatQuarantinesThem() {
    Output o = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("1000000000", "2026-01-20T10:00:00.000000", "Go north", "aux")
        .command("1000000000", "2026-01-20T10:00:01.000000", "GOTO 3222 3230 0")
        .response("1100000000", "2026-01-20T11:00:00.000000", "A response whose request never came."));
    assertEquals(0, o.examples.size());
    assertEquals(3, o.handOver.size());
    // grouped by request id, as the Spark job does
    List<ExtractRecord> second = new ArrayList<>();
    for (String rid : List.of("1000000000", "1100000000")) {
      second.addAll(new CrossFileTurns(SETTINGS, java.util.Set.of()).assemble(o.handOver.stream().filter(r -> rid.equals(r.getUTF8String(0).toString())).toList()));
    }
    List<String> reasons = new ArrayList<>();
    for (ExtractRecord r : second) reasons.add(qr(quarantined(r.row), QuarantineSchema.REASON) + "@" + qr(quarantined(r.row), QuarantineSchema.LINE_NUMBER));
    assertEquals(List.of("incomplete_turn@1", "incomplete_turn@2", "orphan_event@3"), reasons);
    assertEquals(new LogLines().request("1000000000", "2026-01-20T10:00:00.000000", "Go north", "aux").text().strip(),
        qr(quarantined(second.get(0).row), QuarantineSchema.RAW_TEXT));
  }

  @Test
  void aTurnSplitOverTwoFilesIsAssembledOnceInTheSecondPass() {
    Output day1 = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("2359000000", "2026-01-20T23:59:00.000000", "Fish at draynor", "aux")
        .command("2359000000", "2026-01-20T23:59:01.000000", "GOTO 3087 3228 0"));
    Output day2 = read("conversations_2026-01-21.jsonl", new LogLines()
        .command("2359000000", "2026-01-21T00:00:05.000000", "FISH_DRAYNOR_LOOP 150")
        .response("2359000000", "2026-01-21T00:00:06.000000", "Started the Draynor fishing routine."));
    List<InternalRow> all = new ArrayList<>(day2.handOver);
    all.addAll(day1.handOver);
    assertEquals(List.of(2L, 0L), List.of(day1.report.handedOver, day1.report.orphansHandedOver), "day 1: a turn open at its end");
    assertEquals(List.of(2L, 2L), List.of(day2.report.handedOver, day2.report.orphansHandedOver), "day 2: lines without their request");
    List<ExtractRecord> second = new CrossFileTurns(SETTINGS, java.util.Set.of()).assemble(all);
    assertEquals(List.of("EXAMPLE conversations_2026-01-20.jsonl", "IDENTITY conversations_2026-01-20.jsonl", "JOINED_WITH_NEXT conversations_2026-01-20.jsonl", "JOINED_WITH_PREVIOUS conversations_2026-01-21.jsonl"),
        second.stream().map(r -> r.kind + " " + r.sourceFile).toList(), "the example, and both files flagged for ingest_log");
    Row e = example(second.get(0).row);
    assertEquals("conversations_2026-01-20.jsonl", ex(e, ExamplesSchema.SOURCE_FILE));
    assertEquals(List.of("send_command {\"command\": \"GOTO 3087 3228 0\"}", "send_command {\"command\": \"FISH_DRAYNOR_LOOP 150\"}"), tools(e));
  }

  @Test
  void peopleArePseudonymsInExamplesAndRawOnlyInIdentityRecords() {
    Output out = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("1000000000", "2026-01-20T10:00:00.000000", "Hi", "aux")
        .response("1000000000", "2026-01-20T10:00:01.000000", "Hello!")
        .raw("{\"type\": \"request\", \"request_id\": \"1000010000\", \"timestamp\": \"2026-01-20T10:01:00.000000\", \"user_id\": 222222222222222222,"
            + " \"username\": \"bob\", \"message\": \"follow <@391354168675139594> and @Astron6695, not <@!333333333333333333>; I am 222222222222222222\", \"account_id\": \"aux\"}")
        .tool("1000010000", "2026-01-20T10:01:01.000000", "send_command", "{\"command\": \"SAY hi @astron6695\"}", "{\"sent\": true}")
        .response("1000010000", "2026-01-20T10:01:02.000000", "Following @bob."));
    String astron = SETTINGS.pseudonyms.discordUser("391354168675139594"), bob = SETTINGS.pseudonyms.discordUser("222222222222222222");
    assertEquals(astron, ex(out.examples.get(0), ExamplesSchema.USER_KEY));
    Row second = out.examples.get(1);
    assertEquals(bob, ex(second, ExamplesSchema.USER_KEY));
    assertEquals("follow <@" + astron + "> and @" + astron + ", not <@" + SETTINGS.pseudonyms.discordUser("333333333333333333") + ">; I am " + bob, ex(second, ExamplesSchema.USER_MESSAGE));
    assertEquals(List.of("send_command {\"command\": \"SAY hi @" + astron + "\"}"), tools(second));
    assertEquals("Following @" + bob + ".", ex(second, ExamplesSchema.RESPONSE_TEXT));
    // The raw id and name go only to the identity records (the identities table).
    Row who = (Row) CatalystTypeConverters.createToScalaConverter(dev.toolcalls.schemas.IdentitiesSchema.SEEN).apply(out.identities.get(1));
    assertEquals(List.of("discord", "conversations_2026-01-20.jsonl", bob, "222222222222222222", "bob"), List.of(who.get(0), who.get(1), who.get(2), who.get(3), who.get(4)));
    assertEquals(2, out.identities.size());
  }

  @Test
  void everyBadLineIsQuarantinedWithItsLineNumberAndBlankLinesAreSkipped() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    String good = new LogLines()
        .request("1000000000", "2026-01-20T10:00:00.000000", "Hi", "aux")
        .response("1000000000", "2026-01-20T10:00:01.000000", "Hello!").text();
    b.write(good.getBytes(StandardCharsets.UTF_8));                       // lines 1-2
    b.write("\n   \n".getBytes(StandardCharsets.UTF_8));                  // lines 3-4: blank
    b.write("{\"type\": \"request\", \"request_id\": \"12\"\n".getBytes(StandardCharsets.UTF_8)); // 5: invalid JSON
    byte[] badUtf8 = "{\"type\": \"request\", \"message\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    b.write(badUtf8);                                                      // 6: Latin-1 é
    b.write('\n');
    b.write("{\"request_id\": \"1\", \"timestamp\": \"2026-01-20T10:00:00\"}\n".getBytes(StandardCharsets.UTF_8)); // 7
    b.write("{\"type\": \"tool_call\", \"timestamp\": \"2026-01-20T10:00:00\"}\n".getBytes(StandardCharsets.UTF_8)); // 8
    b.write("{\"type\": \"thought\", \"request_id\": \"1\"}\n".getBytes(StandardCharsets.UTF_8)); // 9
    b.write("[1, 2]\n".getBytes(StandardCharsets.UTF_8));                 // 10: not an object
    b.write("{\"type\": \"response\", \"request_id\": \"1000\", \"resp".getBytes(StandardCharsets.UTF_8)); // 11: cut mid-write
    Output o = read("conversations_2026-01-20.jsonl", b.toByteArray());
    assertEquals(1, o.examples.size());
    List<String> got = new ArrayList<>();
    for (Row q : o.quarantine) got.add(qr(q, QuarantineSchema.LINE_NUMBER) + ":" + qr(q, QuarantineSchema.REASON));
    assertEquals(List.of("5:invalid_json", "6:invalid_utf8", "7:missing_type", "8:missing_request_id", "9:unknown_type", "10:invalid_json", "11:truncated_line"), got);
    assertArrayEquals(badUtf8, (byte[]) qr(o.quarantine.get(1), QuarantineSchema.RAW_BYTES));
    assertEquals(2, o.report.blankLines);
    assertEquals(11, o.report.lines);
    assertEquals(Map.of("invalid_json", 2L, "invalid_utf8", 1L, "missing_type", 1L, "missing_request_id", 1L, "unknown_type", 1L, "truncated_line", 1L), o.report.quarantined);
  }

  @Test
  void anUnfinishedLastLineOfAFileStillBeingWrittenIsLeftForTheNextRun() {
    byte[] bytes = (new LogLines()
        .request("1000000000", "2026-01-20T10:00:00.000000", "Hi", "aux")
        .response("1000000000", "2026-01-20T10:00:01.000000", "Hello!").text()
        + "{\"type\": \"request\", \"request_id\": \"11").getBytes(StandardCharsets.UTF_8);
    long now = System.currentTimeMillis();
    FileReport report = new FileReport("discord", new InputFile("file:/x/c.jsonl", "c.jsonl", bytes.length, now, "2026-01-20"));
    List<String> kinds = new ArrayList<>();
    new DiscordFileReader(new java.io.ByteArrayInputStream(bytes), report, SETTINGS).forEachRemaining(r -> kinds.add(r.kind.name()));
    assertEquals(List.of("EXAMPLE", "IDENTITY", "REPORT"), kinds, "no quarantine row for the line being written");
    assertTrue(report.settling);
    assertEquals(Map.of("unfinished_last_line_left_for_next_run", 1L), report.details);
    // the same bytes once the file has settled: a crash, quarantined
    Output settled = read("c.jsonl", bytes);
    assertEquals("3:truncated_line", qr(settled.quarantine.get(0), QuarantineSchema.LINE_NUMBER) + ":" + qr(settled.quarantine.get(0), QuarantineSchema.REASON));
  }

  @Test
  void aCrashThatCutsACharacterInTwoIsATruncatedLineAndPythonNaNIsRead() throws Exception {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(new LogLines()
        .request("1000000000", "2026-01-20T10:00:00.000000", "Hi", "aux")
        .tool("1000000000", "2026-01-20T10:00:01.000000", "check_health", "{}", "{\"hp\": NaN}")
        .response("1000000000", "2026-01-20T10:00:02.000000", "Hello!").text().getBytes(StandardCharsets.UTF_8));
    byte[] cut = "{\"type\": \"request\", \"message\": \"caf\u00e9".getBytes(StandardCharsets.UTF_8);
    b.write(cut, 0, cut.length - 1); // the last line stops inside the two bytes of é
    Output o = read("conversations_2026-01-20.jsonl", b.toByteArray());
    assertEquals(1, o.examples.size());
    assertEquals("4:truncated_line", qr(o.quarantine.get(0), QuarantineSchema.LINE_NUMBER) + ":" + qr(o.quarantine.get(0), QuarantineSchema.REASON));
  }

  @Test
  void argumentsAndResultsAreKeptAsWrittenAndGameStateIsTheLastState() {
    Output o = read("conversations_2026-01-20.jsonl", new LogLines()
        .request("1000000000", "2026-01-20T10:00:00.000000", "Where are you?", "aux")
        .tool("1000000000", "2026-01-20T10:00:01.000000", "get_game_state", "{\"fields\": [\"location\"]}",
            "{\"success\": true, \"state\": {\"location\": {\"x\": 1, \"y\": 2, \"plane\": 0}}}")
        .tool("1000000000", "2026-01-20T10:00:02.000000", "send_command", "\"GOTO 3222 3218\"", "{\"success\": false, \"error\": \"busy\"}")
        .tool("1000000000", "2026-01-20T10:00:03.000000", "get_game_state", "{}",
            "{\"success\": true, \"state\": {\"location\": {\"x\": 3, \"y\": 4, \"plane\": 0}}, \"extra\": [1]}")
        .raw("{\"type\": \"response\", \"request_id\": \"1000000000\", \"timestamp\": \"2026-01-20T10:00:04.000000\", \"response\": \"At 3,4.\", \"new_field\": {\"a\": 1}}"));
    Row e = o.examples.get(0);
    assertEquals("{\"location\": {\"x\": 3, \"y\": 4, \"plane\": 0}}", ex(e, ExamplesSchema.GAME_STATE));
    List<Row> calls = e.getList(ExamplesSchema.EXTRACTED.fieldIndex(ExamplesSchema.TOOL_CALLS));
    assertEquals("\"GOTO 3222 3218\"", calls.get(1).getString(1));
    assertEquals(true, calls.get(1).getBoolean(3));
    assertEquals(false, calls.get(0).getBoolean(3));
    assertEquals(1, o.report.unknownFields);
  }
}
