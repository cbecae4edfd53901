package dev.toolcalls.pipeline.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.rules.Rules;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review loop end to end on real Delta tables: apply, history, orphans, legacy import, re-parse. */
class EnrichJobsTest extends SparkTestBase {
  @TempDir Path tmp;

  static final String STATE = "{\"success\": true, \"state\": {\"inventory\": {\"used\": 0}}}";

  /** One day: a fishing routine without a net, the same bank request twice, a walk. */
  Path writeLogs(boolean withFishing) throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    LogLines day = new LogLines();
    if (withFishing) {
      day.request("0900000000", "2026-01-25T09:00:00.000000", "Do the draynor fishing routine", "main")
          .tool("0900000000", "2026-01-25T09:00:01.000000", "get_game_state", "{\"fields\": [\"inventory\"]}", STATE)
          .command("0900000000", "2026-01-25T09:00:02.000000", "FISH_DRAYNOR_LOOP")
          .response("0900000000", "2026-01-25T09:00:03.000000", "Started the Draynor fishing routine.");
    }
    day.request("1000000000", "2026-01-25T10:00:00.000000", "Bank Open", "main")
        .command("1000000000", "2026-01-25T10:00:01.000000", "BANK_OPEN")
        .response("1000000000", "2026-01-25T10:00:02.000000", "Opened.")
        .request("1100000000", "2026-01-25T11:00:00.000000", "Bank Open", "main")
        .command("1100000000", "2026-01-25T11:00:01.000000", "BANK_OPEN")
        .response("1100000000", "2026-01-25T11:00:02.000000", "Opened.")
        .request("1200000000", "2026-01-25T12:00:00.000000", "Go to the bank nearby", "main")
        .command("1200000000", "2026-01-25T12:00:01.000000", "GOTO 3092 3245 0")
        .response("1200000000", "2026-01-25T12:00:02.000000", "Walking to the bank.");
    Files.writeString(logs.resolve("conversations_2026-01-25.jsonl"), day.text());
    return logs;
  }

  Lake extract(Path logs, String... overrides) {
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of(overrides);
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = tmp.resolve("lake").toString();
    new ExtractJob(spark, PipelineConfig.load(s), o).execute();
    return new Lake(spark, o.lakeDir);
  }

  String idOf(Lake lake, String message) {
    List<Row> rows = lake.read(TableNames.EXAMPLES).where("user_message = '" + message + "'").select("id").orderBy("event_time").collectAsList();
    return rows.get(0).getString(0);
  }

  EnrichApplyJob.Result apply(Lake lake, String name, String... lines) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    EnrichApplyJob.Options o = new EnrichApplyJob.Options();
    o.lakeDir = lake.root();
    o.file = file.toString();
    o.reviewer = "tester";
    return new EnrichApplyJob(spark, o).execute();
  }

  Row trainingRow(Lake lake, String id) {
    lake.registerTables();
    Enrichments.registerTrainingView(spark, lake.exists(TableNames.ENRICHMENTS));
    return spark.sql("SELECT example_type, quality_score, concat_ws(',', tags), reasoning, reviewer FROM training_examples WHERE id = '" + id + "'").first();
  }

  @Test
  void applyingTheSameFileTwiceChangesNothing() throws IOException {
    Lake lake = extract(writeLogs(true));
    String id = idOf(lake, "Do the draynor fishing routine");
    String review = "{\"id\": \"" + id + "\", \"example_type\": \"negative\", \"reasoning\": \"No net in the inventory.\", \"quality_score\": 0.3, \"tags_add\": [\"prerequisites\"]}";
    String lesson = "{\"derived_from\": [\"" + id + "\"], \"example_type\": \"reasoning_chain\", \"problem\": \"Routine without its net\", \"reasoning\": \"Check the inventory first.\"}";
    EnrichApplyJob.Result first = apply(lake, "review.jsonl", review, lesson);
    assertEquals(new Enrichments.MergeCounts(2, 0, 0), first.merge());
    EnrichApplyJob.Result second = apply(lake, "review.jsonl", review, lesson);
    assertEquals(new Enrichments.MergeCounts(0, 0, 2), second.merge());
    assertEquals(first.version(), second.version());
    Row r = trainingRow(lake, id);
    assertEquals("negative", r.getString(0));
    assertEquals(0.3, r.getDouble(1));
    assertEquals("fishing,prerequisites,query,state_check", r.getString(2));
    assertEquals("No net in the inventory.", r.getString(3));
    assertEquals(1L, spark.sql("SELECT count(*) FROM training_examples WHERE source = 'review' AND example_type = 'reasoning_chain'").first().getLong(0));
  }

  @Test
  void aBadLineRejectsTheWholeFile() throws IOException {
    Lake lake = extract(writeLogs(true));
    String id = idOf(lake, "Bank Open");
    BadInputException e = assertThrows(BadInputException.class, () -> apply(lake, "bad.jsonl",
        "{\"id\": \"" + id + "\", \"quality_score\": 0.4}",
        "{\"id\": \"dc-0000000000000000\", \"quality_score\": 0.4}",
        "{\"derived_from\": [\"dc-ffffffffffffffff\"], \"example_type\": \"code_correction\", \"bad_code\": \"x\", \"good_code\": \"y\"}"));
    assertEquals("2 reference(s) to unknown examples; nothing of the file was applied:\n"
        + "  line 2: unknown example id dc-0000000000000000\n  line 3: unknown example id dc-ffffffffffffffff", e.getMessage());
    BadInputException e2 = assertThrows(BadInputException.class, () -> apply(lake, "bad2.jsonl",
        "{\"id\": \"" + id + "\", \"quality_score\": 0.4}", "{\"id\": \"" + id + "\", \"quality_score\": -1}"));
    assertEquals("1 bad line(s); nothing of the file was applied:\n  line 2: quality_score -1 is outside 0..1", e2.getMessage());
    assertFalse(lake.exists(TableNames.ENRICHMENTS));
  }

  @Test
  void theLaterReviewWinsAndTheEarlierStaysInTheHistory() throws IOException {
    Lake lake = extract(writeLogs(true));
    String id = idOf(lake, "Go to the bank nearby");
    apply(lake, "late.jsonl", "{\"id\": \"" + id + "\", \"quality_score\": 0.9, \"reviewer\": \"bob\", \"reviewed_at\": \"2026-02-02T10:00:00Z\"}");
    EnrichApplyJob.Result early = apply(lake, "early.jsonl", "{\"id\": \"" + id + "\", \"quality_score\": 0.2, \"reviewer\": \"ana\", \"reviewed_at\": \"2026-02-01T10:00:00Z\"}");
    assertEquals(new Enrichments.MergeCounts(0, 0, 1), early.merge());
    EnrichApplyJob.Result later = apply(lake, "later.jsonl", "{\"id\": \"" + id + "\", \"quality_score\": 0.95, \"reviewer\": \"cy\", \"reviewed_at\": \"2026-02-03T10:00:00Z\"}");
    assertEquals(new Enrichments.MergeCounts(0, 1, 0), later.merge());
    Row now = trainingRow(lake, id);
    assertEquals(0.95, now.getDouble(1));
    assertEquals("cy", now.getString(4));
    Row before = spark.sql("SELECT quality_score, reviewer FROM enrichments VERSION AS OF " + (later.version() - 1) + " WHERE id = '" + id + "'").first();
    assertEquals(0.9, before.getDouble(0));
    assertEquals("bob", before.getString(1));
  }

  @Test
  void aReviewWhoseExampleDisappearsIsKeptAsAnOrphan() throws IOException {
    Path logs = writeLogs(true);
    Lake lake = extract(logs);
    String id = idOf(lake, "Do the draynor fishing routine");
    apply(lake, "review.jsonl", "{\"id\": \"" + id + "\", \"example_type\": \"negative\"}");
    assertEquals(0, Enrichments.orphans(lake).count());
    extract(writeLogs(false)); // the log file was rewritten without that turn
    List<Row> orphans = Enrichments.orphans(lake).select("id").collectAsList();
    assertEquals(List.of(id), orphans.stream().map(r -> r.getString(0)).toList());
    assertEquals(1, lake.read(TableNames.ENRICHMENTS).count());
  }

  @Test
  void legacyLinesLandOnTheirRequestsAndSurviveARuleChange() throws IOException {
    Path logs = writeLogs(true);
    Lake lake = extract(logs);
    String file = "logs/conversations/conversations_2026-01-25.jsonl";
    Path legacy = tmp.resolve("discord_2026-01-25.jsonl");
    Files.writeString(legacy, String.join("\n",
        // the older review dropped the read-only get_game_state call
        "{\"id\": \"discord_20260125_001\", \"source\": \"discord\", \"source_file\": \"" + file + "\", \"example_type\": \"negative\", \"user_message\": \"Do the draynor fishing routine\", \"tool_calls\": [{\"tool\": \"send_command\", \"arguments\": {\"command\": \"FISH_DRAYNOR_LOOP\"}}], \"reasoning\": \"BAD: no net.\", \"problem\": \"No net\", \"root_cause\": \"No check\", \"tags\": [\"fishing\", \"prerequisites\"], \"quality_score\": 0.3}",
        "{\"id\": \"discord_20260125_002\", \"source_file\": \"" + file + "\", \"example_type\": \"direct_execution\", \"user_message\": \"Bank Open\", \"tool_calls\": [{\"tool\": \"send_command\", \"arguments\": {\"command\": \"BANK_OPEN\"}}], \"tags\": [\"banking\"], \"quality_score\": 0.7}",
        "{\"id\": \"discord_20260125_003\", \"source_file\": \"" + file + "\", \"example_type\": \"direct_execution\", \"user_message\": \"Go to the bank  nearby\", \"tool_calls\": [{\"tool\": \"send_command\", \"arguments\": \"GOTO 3092 3245 0\"}], \"tags\": [\"navigation\"], \"quality_score\": 0.7}",
        "{\"id\": \"discord_20260125_004\", \"source_file\": \"" + file + "\", \"example_type\": \"direct_execution\", \"user_message\": \"Chop the tree\", \"tool_calls\": [], \"tags\": [], \"quality_score\": 0.7}",
        "{\"id\": \"discord_20260125_005\", \"source_file\": \"" + file + "\", \"example_type\": \"reasoning_chain\", \"user_message\": \"\", \"tool_calls\": [], \"reasoning\": \"Check the inventory before a loop.\", \"problem\": \"Loop without its tool\", \"root_cause\": \"No prerequisite check\", \"tags\": [\"lesson\"], \"quality_score\": 1.0}") + "\n");
    LegacyImportJob.Options o = new LegacyImportJob.Options();
    o.lakeDir = lake.root();
    o.file = legacy.toString();
    PipelineConfig config = PipelineConfig.defaults();
    LegacyImportJob.Result r = new LegacyImportJob(spark, Rules.from(config), o).execute();
    System.out.print(r.toText());
    String fishing = idOf(lake, "Do the draynor fishing routine");
    assertEquals(Map.of(LegacyImportJob.Match.MATCHED, 1L, LegacyImportJob.Match.AMBIGUOUS, 1L, LegacyImportJob.Match.MATCHED_ON_MESSAGE, 1L,
        LegacyImportJob.Match.UNMATCHED, 1L, LegacyImportJob.Match.LESSON, 1L), r.counts());
    assertEquals(List.of(fishing), r.lines().get(0).exampleIds());
    assertEquals(2, r.lines().get(1).exampleIds().size());
    assertEquals(List.of(fishing), r.lines().get(4).exampleIds());
    assertEquals(new Enrichments.MergeCounts(3, 0, 0), r.merge());
    assertEquals(new Enrichments.MergeCounts(0, 0, 3), new LegacyImportJob(spark, Rules.from(config), o).execute().merge());

    // A tagging rule changes and everything is extracted again: same ids, every review still applies.
    Path tags = tmp.resolve("tags.yaml");
    Files.writeString(tags, "command_verbs:\n  FISH*: [fishing, skilling]\n  BANK_*: [banking]\n  GOTO: [navigation]\ntools:\n  get_game_state: [query]\n");
    extract(logs, "rules.tags=" + tags);
    assertEquals(0, Enrichments.orphans(lake).count());
    Row row = trainingRow(lake, fishing);
    assertEquals("negative", row.getString(0));
    assertEquals("fishing,prerequisites,query,skilling", row.getString(2));
    assertTrue(row.getString(3).startsWith("BAD"));
  }
}
