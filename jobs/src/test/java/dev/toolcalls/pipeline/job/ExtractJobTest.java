package dev.toolcalls.pipeline.job;

import static dev.toolcalls.pipeline.testing.TestFiles.settled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.SourceFiles;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction end to end on real Spark and real Delta tables, over hand-made logs with every hard case. */
class ExtractJobTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Path logs;

  /** Extraction with generated code, as production runs it from 8 MB on (the suite's session has it off). */
  @BeforeAll
  static void generatedCodeOn() {
    generatedCode(true);
  }

  @AfterAll
  static void generatedCodeBack() {
    generatedCode(false);
  }

  @BeforeAll
  static void writeLogs() throws IOException {
    logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    LogLines day20 = new LogLines()
        // two accounts interleave
        .request("1200000001", "2026-01-20T12:00:00.000001", "Go to 3222 3218", "main")
        .request("1200000502", "2026-01-20T12:00:00.050200", "kill frogs", "aux")
        .command("1200000001", "2026-01-20T12:00:01.000000", "GOTO 3222 3218 0")
        .command("1200000502", "2026-01-20T12:00:01.100000", "KILL_LOOP Frog")
        .response("1200000502", "2026-01-20T12:00:02.000000", "Started killing frogs continuously.")
        .response("1200000001", "2026-01-20T12:00:03.000000", "Traveling to 3222 3218.")
        // a retry writes the same lines twice
        .request("1300000000", "2026-01-20T13:00:00.000000", "Open bank", "aux").repeatLast()
        .command("1300000000", "2026-01-20T13:00:01.000000", "BANK_OPEN").repeatLast()
        .response("1300000000", "2026-01-20T13:00:02.000000", "Opening the bank now.")
        .raw("")
        .raw("{\"type\": \"tool_call\", \"request_id\": \"1400000000\", \"timestamp\": \"2026-01-20T14:00:00\", \"tool\": ")
        // an error and no response
        .request("1500000000", "2026-01-20T15:00:00.000000", "Fish", "aux")
        .error("1500000000", "2026-01-20T15:00:30.000000", "name 're' is not defined")
        // the bot kept appending after midnight: a turn across it, and a request id that comes round again
        .request("2359590000", "2026-01-20T23:59:59.000000", "Start fishing", "aux")
        .command("2359590000", "2026-01-21T00:00:01.000000", "FISH")
        .response("2359590000", "2026-01-21T00:00:02.000000", "Started fishing.")
        .request("1200000001", "2026-01-21T12:00:00.000001", "Go to 3222 3218", "main")
        .command("1200000001", "2026-01-21T12:00:01.000000", "GOTO 3222 3218 0")
        .response("1200000001", "2026-01-21T12:00:03.000000", "I couldn't find a path.")
        // still running when the bot restarted into a new file
        .request("1800000000", "2026-01-21T18:00:00.000000", "Go to draynor and fish", "aux")
        .command("1800000000", "2026-01-21T18:00:01.000000", "GOTO 3087 3228 0");
    Files.writeString(logs.resolve("conversations_2026-01-20.jsonl"), day20.text());

    LogLines day21 = new LogLines()
        .command("1800000000", "2026-01-21T18:00:05.000000", "FISH_DRAYNOR_LOOP 150")
        .response("1800000000", "2026-01-21T18:00:06.000000", "Started the Draynor fishing routine.")
        .response("1900000000", "2026-01-21T19:00:00.000000", "An answer to nobody.")
        .request("2000000000", "2026-01-21T20:00:00.000000", "Hey", "main")
        .response("2000000000", "2026-01-21T20:00:01.000000", "Hello! What should I do?");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(logs.resolve("conversations_2026-01-21.jsonl.gz")))) {
      out.write(day21.text().getBytes(StandardCharsets.UTF_8));
    }

    LogLines day22 = new LogLines()
        .request("0800000000", "2026-01-22T08:00:00.000000", "Where r u", "aux")
        .tool("0800000000", "2026-01-22T08:00:01.000000", "get_game_state", "{\"fields\": [\"location\"]}", "{\"success\": true, \"state\": {\"location\": {\"x\": 3222, \"y\": 3218, \"plane\": 0}}}")
        .response("0800000000", "2026-01-22T08:00:02.000000", "At 3222, 3218.")
        .request("0900000000", "2026-01-22T09:00:00.000000", "Drop all cowhides", "aux");
    Files.writeString(logs.resolve("conversations_2026-01-22.jsonl"), day22.text().replace("\n", "\r\n"));
    Files.writeString(logs.resolve("conversations_2026-01-22.log"), "2026-01-22 08:00:00 INFO not json at all\n");
    Files.writeString(logs.resolve("notes.txt"), "ignored\n");
    settled(logs);
  }

  static ExtractResult extract(Path lake, SourceFiles.DaySelection days, String... overrides) {
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of(overrides);
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = lake.toString();
    o.days = days;
    ExtractResult r = new ExtractJob(spark, PipelineConfig.load(s), o).execute();
    System.out.print(r.toText());
    return r;
  }

  static final StructType EXPECTED_EXAMPLES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("source_file", DataTypes.StringType, true),
      DataTypes.createStructField("request_id", DataTypes.StringType, true),
      DataTypes.createStructField("event_date", DataTypes.StringType, true),
      DataTypes.createStructField("user_message", DataTypes.StringType, true),
      DataTypes.createStructField("commands", DataTypes.StringType, true),
      DataTypes.createStructField("response_text", DataTypes.StringType, true),
      DataTypes.createStructField("outcome", DataTypes.StringType, true),
      DataTypes.createStructField("error", DataTypes.StringType, true),
      DataTypes.createStructField("tags", DataTypes.StringType, true),
      DataTypes.createStructField("quality_score", DataTypes.DoubleType, true),
      DataTypes.createStructField("example_type", DataTypes.StringType, true)));

  static Dataset<Row> examplesView(Lake lake) {
    return lake.read(TableNames.EXAMPLES).selectExpr(
        "source_file", "request_id", "cast(event_date as string)", "user_message",
        "concat_ws(' | ', transform(tool_calls, c -> c.tool || ' ' || c.arguments))", "response_text", "outcome", "error",
        "concat_ws(',', tags)", "quality_score", "example_type").toDF(EXPECTED_EXAMPLES.fieldNames());
  }

  @Test
  void everyHardCaseGivesExactlyTheseRows() {
    Path lakeDir = tmp.resolve("lake-exact");
    ExtractResult r = extract(lakeDir, SourceFiles.DaySelection.all());
    Lake lake = new Lake(spark, lakeDir.toString());
    String d20 = "conversations_2026-01-20.jsonl", d21 = "conversations_2026-01-21.jsonl.gz", d22 = "conversations_2026-01-22.jsonl";
    List<Row> expected = List.of(
        RowFactory.create(d20, "1200000001", "2026-01-20", "Go to 3222 3218", "send_command {\"command\": \"GOTO 3222 3218 0\"}", "Traveling to 3222 3218.", "ok", null, "navigation", 0.7, "direct_execution"),
        RowFactory.create(d20, "1200000502", "2026-01-20", "kill frogs", "send_command {\"command\": \"KILL_LOOP Frog\"}", "Started killing frogs continuously.", "ok", null, "combat", 0.85, "direct_execution"),
        RowFactory.create(d20, "1300000000", "2026-01-20", "Open bank", "send_command {\"command\": \"BANK_OPEN\"}", "Opening the bank now.", "ok", null, "banking", 0.7, "direct_execution"),
        RowFactory.create(d20, "1500000000", "2026-01-20", "Fish", "", null, "error", "name 're' is not defined", "", 0.3, "direct_execution"),
        RowFactory.create(d20, "2359590000", "2026-01-20", "Start fishing", "send_command {\"command\": \"FISH\"}", "Started fishing.", "ok", null, "fishing", 0.85, "direct_execution"),
        RowFactory.create(d20, "1200000001", "2026-01-21", "Go to 3222 3218", "send_command {\"command\": \"GOTO 3222 3218 0\"}", "I couldn't find a path.", "ok", null, "navigation", 0.5, "direct_execution"),
        RowFactory.create(d20, "1800000000", "2026-01-21", "Go to draynor and fish", "send_command {\"command\": \"GOTO 3087 3228 0\"} | send_command {\"command\": \"FISH_DRAYNOR_LOOP 150\"}", "Started the Draynor fishing routine.", "ok", null, "fishing,navigation", 0.85, "direct_execution"),
        RowFactory.create(d21, "2000000000", "2026-01-21", "Hey", "", "Hello! What should I do?", "ok", null, "", 0.7, "direct_execution"),
        RowFactory.create(d22, "0800000000", "2026-01-22", "Where r u", "get_game_state {\"fields\": [\"location\"]}", "At 3222, 3218.", "ok", null, "query,state_check", 0.7, "direct_execution"));
    assertSameRows(spark.createDataFrame(expected, EXPECTED_EXAMPLES), spark.createDataFrame(examplesView(lake).javaRDD(), EXPECTED_EXAMPLES));

    List<Row> quarantine = lake.read(TableNames.QUARANTINE).selectExpr("source_file", "line_number", "reason").collectAsList();
    assertEquals(
        List.of(d20 + ":13:invalid_json", d21 + ":3:orphan_event", d22 + ":4:incomplete_turn"),
        quarantine.stream().map(q -> q.getString(0) + ":" + q.getLong(1) + ":" + q.getString(2)).sorted().toList());
    assertEquals("{\"location\": {\"x\": 3222, \"y\": 3218, \"plane\": 0}}",
        lake.read(TableNames.EXAMPLES).where("request_id = '0800000000'").select(ExamplesSchema.GAME_STATE).head().getString(0));

    ExtractResult.SourceSummary s = r.sources().get(0);
    assertEquals(3, s.filesRead());
    assertEquals(9, s.examplesWritten());
    assertEquals(Map.of("invalid_json", 1L, "orphan_event", 1L, "incomplete_turn", 1L), s.quarantinedByReason());
    assertEquals(2, s.duplicateLines());
    assertEquals(1, s.blankLines());
  }

  @Test
  void reRunningGivesTheSameRowsAndARuleChangeChangesTagsNotIds() throws IOException {
    Path lakeDir = tmp.resolve("lake-rerun");
    extract(lakeDir, SourceFiles.DaySelection.all());
    Lake lake = new Lake(spark, lakeDir.toString());
    List<Row> first = lake.read(TableNames.EXAMPLES).orderBy("id").collectAsList();
    extract(lakeDir, SourceFiles.DaySelection.all());
    assertEquals(first, lake.read(TableNames.EXAMPLES).orderBy("id").collectAsList());

    Path tags = tmp.resolve("tags.yaml");
    Files.writeString(tags, "tools: {}\ncommand_verbs:\n  GOTO: [walking]\nunknown_tool: [misc]\nunknown_verb: [misc]\n");
    extract(lakeDir, SourceFiles.DaySelection.all(), "rules.tags=" + tags);
    List<Row> after = lake.read(TableNames.EXAMPLES).orderBy("id").collectAsList();
    assertEquals(first.stream().map(x -> x.getString(0)).toList(), after.stream().map(x -> x.getString(0)).toList());
    assertEquals(1L, lake.read(TableNames.EXAMPLES).where("request_id = '1200000001' AND event_date = '2026-01-20' AND array_contains(tags, 'walking')").count());
    assertNotEquals(first, after);
  }

  @Test
  void oneDayReplacesOnlyThatDaysRows() {
    Path lakeDir = tmp.resolve("lake-day");
    extract(lakeDir, SourceFiles.DaySelection.all());
    Lake lake = new Lake(spark, lakeDir.toString());
    long before = lake.read(TableNames.EXAMPLES).count();
    long v = lake.version(TableNames.EXAMPLES);
    ExtractResult r = extract(lakeDir, SourceFiles.DaySelection.date("2026-01-22"));
    assertEquals(1, r.sources().get(0).filesRead());
    assertEquals(1, r.sources().get(0).examplesWritten());
    assertEquals(before, lake.read(TableNames.EXAMPLES).count());
    assertEquals(v + 1, lake.version(TableNames.EXAMPLES));
    assertTrue(lake.read(TableNames.INGEST_LOG).count() == 3);
  }
}
