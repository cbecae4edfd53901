package dev.toolcalls.pipeline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.EnrichApplyJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.pipeline.testing.StatsLakes;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact statistics of a small lake ({@link StatsLakes#eightDays}: seven quiet days, a walk answered
 * "Done." scores 0.85, a bank request answered "Opened." 0.7, and an eighth that fails, two turns
 * with an error event, 0.3 each; one sends the same GOTO twice, the first call failed), then a
 * review of one example.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatsJobTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Lake lake;
  static StatsJob.Result first;

  @BeforeAll
  static void lakeAndStats() throws IOException {
    lake = StatsLakes.eightDays(spark, tmp);
    first = stats(null);
  }

  static StatsJob.Result stats(String since) {
    StatsJob.Options o = new StatsJob.Options();
    o.lakeDir = lake.root();
    o.since = since;
    return new StatsJob(spark, PipelineConfig.defaults(), o).execute();
  }

  /** The rows of a table as text, in order, without the columns left out. */
  static List<String> rows(String table, String where, String columns) {
    org.apache.spark.sql.Dataset<Row> picked = lake.read(table).where(where).selectExpr(columns.split(", (?![^()]*\\))"));
    return picked.orderBy(java.util.Arrays.stream(picked.columns()).map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new)).collectAsList().stream().map(Row::toString).collect(Collectors.toList());
  }

  @Test
  @Order(1)
  void qualityStatsIsCommittedLastAsItsNoteMarksTheStatisticsCurrent() {
    long qualityStats = lastCommit(TableNames.QUALITY_STATS);
    for (String t : TableNames.STATISTICS) {
      if (!t.equals(TableNames.QUALITY_STATS)) assertTrue(lastCommit(t) < qualityStats, t + " committed after quality_stats");
    }
    assertTrue(StatsJob.isCurrent(spark, lake));
  }

  /** When the table's last commit was made (Delta's commit timestamp, ms). */
  static long lastCommit(String table) {
    return io.delta.tables.DeltaTable.forPath(spark, lake.path(table)).history(1).select("timestamp").first().getTimestamp(0).getTime();
  }

  @Test
  @Order(1)
  void qualityAtEveryLevel() {
    System.out.print(first.toText());
    String stats = "examples, errors, mean, stddev IS NULL, min, max, p10, p25, p50, p75, p90, histogram";
    // 7 x 0.85 + 7 x 0.7 + 2 x 0.3 = 11.45 over 16; percentiles are elements: the ceil(p x 16)-th smallest
    assertEquals(List.of("[16,2,0.715625,false,0.3,0.85,0.3,0.7,0.7,0.85,0.85,WrappedArray(0, 0, 0, 2, 0, 0, 0, 7, 7, 0)]"),
        rows(TableNames.QUALITY_STATS, "grouping = 'all_days'", "day, source, tag, " + stats).stream().map(r -> r.replace("[null,null,null,", "[")).toList());
    assertEquals(List.of(
            "[2026-01-01,discord,direct_execution,simple_command,2,0,0.775]",
            "[2026-01-08,discord,direct_execution,simple_command,2,2,0.3]"),
        rows(TableNames.QUALITY_STATS, "grouping = 'day_source_type_task' AND day IN ('2026-01-01', '2026-01-08')", "day, source, example_type, task_type, examples, errors, round(mean, 9)"));
    assertEquals(List.of("[banking,7,0.7,WrappedArray(0, 0, 0, 0, 0, 0, 0, 7, 0, 0)]", "[fishing,1,0.3,WrappedArray(0, 0, 0, 1, 0, 0, 0, 0, 0, 0)]",
            "[navigation,8,0.78125,WrappedArray(0, 0, 0, 1, 0, 0, 0, 0, 7, 0)]"),
        rows(TableNames.QUALITY_STATS, "grouping = 'tag'", "tag, examples, mean, histogram"));
    assertEquals(8, lake.read(TableNames.QUALITY_STATS).where("grouping = 'day'").count());
    // Tokens (examples.tokens.total) summed and averaged per group, here over all days and per tag.
    Row want = lake.read(TableNames.EXAMPLES).selectExpr("sum(tokens.total)", "avg(tokens.total)").first();
    Row got = lake.read(TableNames.QUALITY_STATS).where("grouping = 'all_days'").selectExpr("tokens_sum", "tokens_mean").first();
    assertTrue(want.getLong(0) > 16 * 30, "every example counts the system prompt at least: " + want);
    assertEquals(want.getLong(0), got.getLong(0));
    assertEquals(want.getDouble(1), got.getDouble(1), 1e-9);
    assertEquals(lake.read(TableNames.EXAMPLES).where("array_contains(tags, 'navigation')").selectExpr("sum(tokens.total)").first().getLong(0),
        lake.read(TableNames.QUALITY_STATS).where("grouping = 'tag' AND tag = 'navigation'").selectExpr("tokens_sum").first().getLong(0));
    assertEquals(List.of("[2026-01-08,fishing,1]", "[2026-01-08,navigation,1]"), rows(TableNames.QUALITY_STATS, "grouping = 'day_tag' AND day = '2026-01-08'", "day, tag, examples"));
    assertEquals(first.rowsWritten().get(TableNames.QUALITY_STATS), lake.read(TableNames.QUALITY_STATS).count());
  }

  @Test
  @Order(2)
  void toolCallsErrorsAndARetry() {
    String columns = "grouping, day, tool, calls, turns, errors, error_rate, retries, median_calls_per_turn";
    assertEquals(List.of(
            "[day_tool,2026-01-07,send_command,2,2,0,0.0,0,1.0]",
            // GOTO failed, then the same GOTO again (a retry), and FISH: 3 calls in 2 turns; the median of (2, 1) is the lower one
            "[day_tool,2026-01-08,send_command,3,2,1,0.3333333333333333,1,1.0]",
            "[tool,null,send_command,17,16,1,0.058823529411764705,1,1.0]"),
        rows(TableNames.TOOL_STATS, "day IS NULL OR day >= '2026-01-07'", columns));
  }

  @Test
  @Order(3)
  void theFailingDayIsFlagged() {
    assertEquals(List.of("2026-01-08"), first.driftDays());
    assertEquals(List.of(
            "[2026-01-01,2,0,0,0.775,null,null,0.0,null,null,null,false,WrappedArray()]",
            "[2026-01-02,2,1,2,0.775,0.775,0.0,0.0,0.0,0.0,0.0,false,WrappedArray()]",
            // against days 1-7 pooled: quality 0.3 vs 0.775, errors 1.0 vs 0.0, tags half navigation half fishing vs half navigation half banking
            "[2026-01-08,2,7,14,0.3,0.775,-0.475,1.0,0.0,1.0,0.5,true,WrappedArray(mean_quality, error_rate, tag_mix)]"),
        rows(TableNames.QUALITY_DRIFT, "day IN ('2026-01-01', '2026-01-02', '2026-01-08')",
            "day, examples, baseline_days, baseline_examples, round(mean_quality, 9), round(baseline_mean_quality, 9), round(mean_quality_change, 9), error_rate, baseline_error_rate, error_rate_change, tag_tvd, drift, drift_reasons"));
  }

  @Test
  @Order(4)
  void coverageAfterAReview() throws IOException {
    assertEquals(List.of("[2026-01-07,2,0,0,0,0,0.775,0.775,null,null]"), rows(TableNames.ENRICHMENT_COVERAGE, "day = '2026-01-07'",
        "day, examples, reviewed, changed, marked_negative, added, round(mean_quality_before, 9), round(mean_quality_after, 9), reviewed_mean_quality_before, reviewed_mean_quality_after"));
    String id = lake.read(TableNames.EXAMPLES).where("user_message = 'Open the bank' AND event_date = '2026-01-07'").select("id").first().getString(0);
    Path review = tmp.resolve("review.jsonl");
    Files.writeString(review, "{\"id\": \"" + id + "\", \"example_type\": \"negative\", \"quality_score\": 0.68, \"reasoning\": \"The bank was already open.\"}\n");
    EnrichApplyJob.Options a = new EnrichApplyJob.Options();
    a.lakeDir = lake.root();
    a.file = review.toString();
    new EnrichApplyJob(spark, a).execute();
    StatsJob.Result again = stats(null);
    System.out.print(again.toText());
    // Only the reviewed example's day is computed again.
    assertEquals("2026-01-07 (enrichments none -> " + lake.version(TableNames.ENRICHMENTS) + ")", again.recomputed());
    assertEquals(List.of(
            "[2026-01-06,2,0,0,0,0,0.775,0.775,null,null]",
            // before: 0.85 and 0.7; after the review: 0.85 and 0.68
            "[2026-01-07,2,1,1,1,0,0.775,0.765,0.7,0.68]"),
        rows(TableNames.ENRICHMENT_COVERAGE, "day IN ('2026-01-06', '2026-01-07')",
            "day, examples, reviewed, changed, marked_negative, added, round(mean_quality_before, 9), round(mean_quality_after, 9), reviewed_mean_quality_before, reviewed_mean_quality_after"));
    assertTrue(StatsJob.isCurrent(spark, lake));
  }

  @Test
  @Order(5)
  void sinceComputesThoseDaysAgainAndLeavesTheStatisticsWhole() {
    List<String> before = rows(TableNames.QUALITY_STATS, "true", "grouping, day, tag, examples, round(mean, 9), p50");
    StatsJob.Result r = stats("2026-01-08");
    assertEquals("every day from 2026-01-08 (nothing changed since they were computed)", r.recomputed());
    assertEquals(before, rows(TableNames.QUALITY_STATS, "true", "grouping, day, tag, examples, round(mean, 9), p50"));
    assertEquals(8, r.rowsWritten().get(TableNames.QUALITY_DRIFT));
    assertEquals(1, lake.read(TableNames.QUALITY_DRIFT).where("day = '2026-01-08' AND drift").count());
    assertTrue(StatsJob.isCurrent(spark, lake));
    assertThrows(BadInputException.class, () -> stats("yesterday"));
  }
}
