package dev.toolcalls.pipeline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.EnrichApplyJob;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export end to end: every format written, every record valid, reruns byte for byte the same. */
class ExportJobTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Lake lake;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void lakeWithAReview() throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-01-25.jsonl"), day(0, 40, "Walking there."));
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = tmp.resolve("lake").toString();
    new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    lake = new Lake(spark, o.lakeDir);
    String fishing = lake.read(TableNames.EXAMPLES).where("user_message = 'Do the fishing routine'").select("id").first().getString(0);
    Path review = tmp.resolve("review.jsonl");
    Files.writeString(review, reviewOfTheRoutine(fishing));
    EnrichApplyJob.Options a = new EnrichApplyJob.Options();
    a.lakeDir = o.lakeDir;
    a.file = review.toString();
    new EnrichApplyJob(spark, a).execute();
  }

  /**
   * A day's log: walks to spots {@code from} until {@code to}, each answered {@code answer}; the
   * same bank request answered the same way twice (one is dropped as a duplicate); a routine.
   */
  static String day(int from, int to, String answer) {
    LogLines day = new LogLines();
    for (int i = from; i < to; i++) {
      String rid = String.format("10%02d000000", i);
      String ts = String.format("2026-01-25T10:%02d:00.000000", i);
      day.request(rid, ts, "Go to spot " + i, "main")
          .tool(rid, ts.replace(":00.000000", ":01.000000"), "get_game_state", "{\"fields\": [\"location\"]}",
              "{\"success\": true, \"state\": {\"location\": {\"x\": 3200, \"y\": " + (3200 + i) + ", \"plane\": 0}}}")
          .command(rid, ts.replace(":00.000000", ":02.000000"), "GOTO 3200 " + (3300 + i) + " 0")
          .response(rid, ts.replace(":00.000000", ":03.000000"), answer);
    }
    return day.request("1100000000", "2026-01-25T11:00:00.000000", "Bank  open", "main").command("1100000000", "2026-01-25T11:00:01.000000", "BANK_OPEN")
        .response("1100000000", "2026-01-25T11:00:02.000000", "Opened.")
        .request("1101000000", "2026-01-25T11:01:00.000000", "Bank open", "main").command("1101000000", "2026-01-25T11:01:01.000000", "BANK_OPEN")
        .response("1101000000", "2026-01-25T11:01:02.000000", "Opened. ")
        .request("1200000000", "2026-01-25T12:00:00.000000", "Do the fishing routine", "main").command("1200000000", "2026-01-25T12:00:01.000000", "FISH_DRAYNOR_LOOP")
        .response("1200000000", "2026-01-25T12:00:02.000000", "Started the routine.")
        .text();
  }

  /** A review file: the routine (example {@code id}) made a negative, and a code correction added from it. */
  static String reviewOfTheRoutine(String id) {
    return "{\"id\": \"" + id + "\", \"example_type\": \"negative\", \"reasoning\": \"No net in the inventory.\", \"quality_score\": 0.2}\n"
        + "{\"derived_from\": [\"" + id + "\"], \"example_type\": \"code_correction\", \"bad_code\": \"send_command(\\\"FISH_DRAYNOR_LOOP\\\")\", "
        + "\"good_code\": \"get_game_state(fields=[\\\"inventory\\\"])\\nsend_command(\\\"FISH_DRAYNOR_LOOP\\\")\", \"reasoning\": \"Check the net first.\"}\n";
  }

  static ExportJob.Result export(Path out, boolean negatives) {
    ExportJob.Options o = new ExportJob.Options();
    o.lakeDir = lake.root();
    o.outDir = out.toString();
    o.includeNegatives = negatives;
    o.validationFraction = 0.2;
    o.splitBy = Splits.SplitBy.ID; // one account's one day: by session it would all be one group
    return new ExportJob(spark, PipelineConfig.defaults(), o).execute();
  }

  static Map<String, String> files(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        out.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }

  static JsonSchema schema(String name) throws IOException {
    try (InputStream in = ExportJobTest.class.getResourceAsStream("/json-schema/" + name + ".schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  @Test
  void everyRecordValidatesAndEveryChatmlBlockIsWellFormed() throws IOException {
    Path out = tmp.resolve("out-valid");
    ExportJob.Result r = export(out, true);
    System.out.print(r.toText());
    assertEquals(1, r.duplicatesDropped());
    assertEquals(43, r.selected()); // 40 walks + the bank request once + the negative + the added correction
    Map<String, String> written = files(out);
    assertTrue(written.keySet().containsAll(Set.of(
        "unified/split=train/source=discord/part-00000.jsonl", "unified/split=train/source=review/part-00000.jsonl",
        "chatml/split=train/source=discord/part-00000.txt", "openai/split=validation/source=discord/part-00000.jsonl")), written.keySet().toString());
    int records = 0;
    for (Map.Entry<String, String> f : written.entrySet()) {
      String format = f.getKey().substring(0, f.getKey().indexOf('/'));
      if (format.equals("chatml")) {
        Pattern block = Pattern.compile("<\\|im_start\\|>system\\n[^<]*<\\|im_end\\|>\\n<\\|im_start\\|>user\\n(?s:.*?)<\\|im_end\\|>\\n<\\|im_start\\|>assistant\\n(?s:.*?)<\\|im_end\\|>");
        // Conversations are separated by a blank line; texts inside may have blank lines of their own.
        for (String b : f.getValue().split("(?<=<\\|im_end\\|>)\n\n(?=<\\|im_start\\|>system)")) {
          assertTrue(block.matcher(b.strip()).matches(), "not a ChatML conversation: " + b);
          records++;
        }
        continue;
      }
      JsonSchema schema = schema(format);
      for (String line : f.getValue().split("\n")) {
        JsonNode n = JSON.readTree(line);
        Set<ValidationMessage> errors = schema.validate(n);
        assertTrue(errors.isEmpty(), f.getKey() + ": " + errors + " in " + line);
        records++;
      }
    }
    assertTrue(records > 100);
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals(1, manifest.path("duplicates_dropped").asInt());
    // What each format could not carry: 40 walks (state + result), the bank request, the negative, the added correction.
    Map<String, Map<String, Long>> losses = Map.of(
        "unified", Map.of(),
        "chatml", Map.of("tool_results", 42L, "game_state", 40L, "response_text", 1L),
        "axolotl", Map.of("whole_example", 1L, "system_prompt", 42L, "tool_results", 42L, "game_state", 40L, "response_text", 1L),
        "openai", Map.of("call_order", 40L, "tool_results", 1L, "game_state", 40L, "response_text", 1L));
    assertEquals(losses, r.losses());
    assertEquals(12, manifest.path("losses").size());
    assertEquals("id", manifest.path("options").path("split_by").asText());
    assertEquals("{\"format\":\"chatml\",\"what\":\"game_state\",\"examples\":40}", manifest.path("losses").get(0).toString());
    // The OpenAI tool list is the registry's, the same in every record, whatever the example calls.
    List<String> registered = new ArrayList<>();
    dev.toolcalls.pipeline.rules.Rules.registry(PipelineConfig.defaults()).openAiTools(List.of()).forEach(t -> registered.add(t.path("function").path("name").asText()));
    for (String line : written.get("openai/split=train/source=review/part-00000.jsonl").split("\n")) {
      List<String> names = new ArrayList<>();
      JSON.readTree(line).path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
      assertEquals(registered, names);
    }
    assertEquals("send_command", registered.get(0));
    try (Stream<Path> all = Files.walk(out)) {
      List<String> hidden = all.filter(p -> p.getFileName().toString().startsWith(".")).map(p -> out.relativize(p).toString()).toList();
      assertEquals(List.of(), hidden, "no staging folder, no Hadoop checksum file left in the dataset");
    }
  }

  @Test
  void maxTokensLeavesOutAndCountsLongerExamples() throws IOException {
    lake.registerTables();
    dev.toolcalls.pipeline.enrich.Enrichments.registerTrainingView(spark, true);
    String selected = " FROM " + TableNames.TRAINING_EXAMPLES + " WHERE quality_score >= 0.5 AND example_type <> 'negative'";
    int limit = spark.sql("SELECT max(tokens.total) - 1" + selected).first().getInt(0); // the longest examples go
    long over = spark.sql("SELECT count_if(tokens.total > " + limit + ")" + selected).first().getLong(0);
    assertTrue(over > 0, "some examples above the limit");
    ExportJob.Options o = new ExportJob.Options();
    o.lakeDir = lake.root();
    o.outDir = tmp.resolve("out-max-tokens").toString();
    o.formats = java.util.EnumSet.of(ExportFormat.UNIFIED);
    o.maxTokens = limit;
    o.splitBy = Splits.SplitBy.ID;
    ExportJob.Result r = new ExportJob(spark, PipelineConfig.defaults(), o).execute();
    assertEquals(over, r.overMaxTokens());
    assertTrue(r.toText().contains(over + " over --max-tokens dropped"), r.toText());
    JsonNode manifest = JSON.readTree(tmp.resolve("out-max-tokens/manifest.json").toFile());
    assertEquals(over, manifest.path("dropped_over_max_tokens").asLong());
    assertEquals(limit, manifest.path("options").path("max_tokens").asInt());
    int records = 0;
    for (String file : files(tmp.resolve("out-max-tokens")).values()) {
      for (String line : file.split("\n")) {
        assertTrue(JSON.readTree(line).path("tokens").path("total").asInt() <= limit, line);
        records++;
      }
    }
    assertEquals(r.selected(), records); // unified writes every selected example
    assertTrue(records > 0);
  }

  @Test
  void theSameTablesGiveTheSameBytesAndTheSameSplit() throws IOException {
    Map<String, String> first = files(export(tmp.resolve("out-a"), false) == null ? null : tmp.resolve("out-a"));
    Map<String, String> second = files(export(tmp.resolve("out-b"), false) == null ? null : tmp.resolve("out-b"));
    assertEquals(first, second);
    // a negative is not written unless asked for
    assertFalse(first.values().stream().anyMatch(v -> v.contains("What NOT to do")));
    // exporting again into the same folder replaces it whole
    export(tmp.resolve("out-a"), true);
    assertTrue(files(tmp.resolve("out-a")).values().stream().anyMatch(v -> v.contains("What NOT to do")));
  }

  /**
   * Examples identical as stored are dropped before scrubbing, those identical once scrubbed after
   * it: either way the example kept is the one with the smallest id, as if all were scrubbed first;
   * and the ones dropped before scrubbing are counted as duplicates or as over --max-tokens as
   * the others are.
   */
  @Test
  void duplicatesAsStoredAndOnceScrubbedKeepTheSmallestId() throws IOException {
    Path logs = tmp.resolve("logs-mail");
    Files.createDirectories(logs);
    LogLines day = new LogLines();
    String[][] turns = {{"1300000000", "ann@example.com"}, {"1301000000", "ann@example.com"}, {"1302000000", "bob@example.org"}};
    for (String[] t : turns) {
      String ts = "2026-01-26T13:0" + t[0].charAt(3) + ":00.000000";
      day.request(t[0], ts, "Mail the loot list to " + t[1], "main").command(t[0], ts.replace(":00.000000", ":01.000000"), "BANK_OPEN")
          .response(t[0], ts.replace(":00.000000", ":02.000000"), "Sent to " + t[1] + ".");
    }
    day.request("1400000000", "2026-01-26T14:00:00.000000", "Walk to the bank", "main").command("1400000000", "2026-01-26T14:00:01.000000", "GOTO 3200 3300 0")
        .response("1400000000", "2026-01-26T14:00:02.000000", "Walking there.");
    Files.writeString(logs.resolve("conversations_2026-01-26.jsonl"), day.text());
    ExtractJob.Options x = new ExtractJob.Options();
    x.logsDir = logs.toString();
    x.lakeDir = tmp.resolve("lake-mail").toString();
    new ExtractJob(spark, PipelineConfig.defaults(), x).execute();
    String smallest = new Lake(spark, x.lakeDir).read(TableNames.EXAMPLES).where("user_message LIKE 'Mail%'").selectExpr("min(id)").first().getString(0);
    ExportJob.Options o = new ExportJob.Options();
    o.lakeDir = x.lakeDir;
    o.outDir = tmp.resolve("out-mail").toString();
    o.formats = java.util.EnumSet.of(ExportFormat.UNIFIED);
    o.splitBy = Splits.SplitBy.ID;
    ExportJob.Result r = new ExportJob(spark, PipelineConfig.defaults(), o).execute();
    assertEquals(2, r.duplicatesDropped());
    assertEquals(2, r.selected());
    List<JsonNode> mails = new ArrayList<>();
    for (String file : files(tmp.resolve("out-mail")).values()) {
      for (String line : file.split("\n")) {
        JsonNode n = JSON.readTree(line);
        if (n.path("user_message").asText().startsWith("Mail")) mails.add(n);
      }
    }
    assertEquals(1, mails.size());
    assertEquals(smallest, mails.get(0).path("id").asText());
    assertEquals("Mail the loot list to <EMAIL>", mails.get(0).path("user_message").asText());
    assertEquals(Map.of("email", 2L), r.redactions()); // the kept example's two addresses, none of the dropped ones'
    // Every example over --max-tokens: counted there, duplicates as stored included, and as no duplicate.
    o.outDir = tmp.resolve("out-mail-max-tokens").toString();
    o.maxTokens = 1;
    ExportJob.Result over = new ExportJob(spark, PipelineConfig.defaults(), o).execute();
    assertEquals(4, over.overMaxTokens());
    assertEquals(0, over.duplicatesDropped());
    assertEquals(0, over.selected());
  }
}
