package dev.toolcalls.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tool call is checked against the tool registry at extraction: problems land in the
 * example's {@code validation} column (the example is kept) and lower its quality by the rule;
 * a changed rule changes scores on re-extraction, never ids.
 */
class ValidationExtractTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void problemsAreKeptOnTheExampleAndCostQuality() throws Exception {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-01-24.jsonl"), new LogLines()
        .request("0700000001", "2026-01-24T07:00:00.000000", "Go to the bank", "main")
        .command("0700000001", "2026-01-24T07:00:01.000000", "GOTO 3208 3220 2")
        .response("0700000001", "2026-01-24T07:00:02.000000", "Traveling to the bank.")
        .request("0700000002", "2026-01-24T07:01:00.000000", "Net some shrimp", "main")
        .tool("0700000002", "2026-01-24T07:01:01.000000", "WAIT", "{\"ms\": 5000}", "{\"error\": \"Unknown tool: WAIT\"}")
        .tool("0700000002", "2026-01-24T07:01:02.000000", "get_game_state", "{\"fields\": \"['location']\"}", "{\"success\": true}")
        .command("0700000002", "2026-01-24T07:01:03.000000", "Net 3245, 3156")
        .response("0700000002", "2026-01-24T07:01:04.000000", "Fishing at the spot.")
        .text());
    String lakeDir = tmp.resolve("lake").toString();
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = lakeDir;
    new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    List<Row> rows = new Lake(spark, lakeDir).read(TableNames.EXAMPLES).orderBy("request_id")
        .selectExpr("id", "quality_score", "transform(validation, p -> concat(p.call, ' ', p.tool, ' ', p.code))").collectAsList();
    assertEquals(2, rows.size());
    assertEquals(0.7, rows.get(0).getDouble(1));
    assertEquals(List.of(), rows.get(0).getList(2));
    assertEquals(List.of("0 WAIT unknown_tool", "1 get_game_state schema", "2 send_command unknown_command"), rows.get(1).getList(2));
    assertEquals(0.1, rows.get(1).getDouble(1)); // 0.7 - 3 x 0.2 (rounded: not 0.09999999999999998)

    // Token counts per role (the default encoding): the system prompt, the request, the calls and answer, the results.
    Row tokens = new Lake(spark, lakeDir).read(TableNames.EXAMPLES).where("request_id = '0700000002'").selectExpr("tokens.*").first();
    int system = tokens.getInt(0), user = tokens.getInt(1), assistant = tokens.getInt(2), tool = tokens.getInt(3);
    dev.toolcalls.pipeline.rules.TokenCounter counter = dev.toolcalls.pipeline.rules.Rules.from(PipelineConfig.defaults()).tokens;
    assertEquals(counter.count(PipelineConfig.defaults().string("export.system_prompt", "")), system);
    assertEquals(counter.count("Net some shrimp"), user);
    assertEquals(counter.count("{\"error\": \"Unknown tool: WAIT\"}") + counter.count("{\"success\": true}") + counter.count("{\"sent\": true}"), tool);
    assertEquals(system + user + assistant + tool, tokens.getInt(4));
    org.junit.jupiter.api.Assertions.assertTrue(assistant > counter.count("Fishing at the spot."), "calls count as the assistant's: " + assistant);

    // A gentler rule: scores change, ids do not.
    Path quality = tmp.resolve("quality.yaml");
    Files.writeString(quality, new String(ValidationExtractTest.class.getResourceAsStream("/conf/rules/quality.yaml").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("validation_penalty: 0.2", "validation_penalty: 0.1"));
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of("rules.quality=" + quality.toAbsolutePath());
    new ExtractJob(spark, PipelineConfig.load(s), o).execute();
    List<Row> again = new Lake(spark, lakeDir).read(TableNames.EXAMPLES).orderBy("request_id").selectExpr("id", "quality_score").collectAsList();
    assertEquals(rows.stream().map(r -> r.getString(0)).collect(Collectors.toList()), again.stream().map(r -> r.getString(0)).collect(Collectors.toList()));
    assertEquals(0.4, again.get(1).getDouble(1));
    // The view (what export and stats read) carries the column.
    new Lake(spark, lakeDir).registerTables();
    dev.toolcalls.pipeline.enrich.Enrichments.registerTrainingView(spark, false);
    assertEquals(3L, spark.sql("SELECT sum(size(validation)) FROM " + TableNames.TRAINING_EXAMPLES).first().getLong(0));
  }
}
