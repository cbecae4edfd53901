package dev.toolcalls.pipeline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.pipeline.testing.StatsLakes;
import dev.toolcalls.pipeline.testing.TestFiles;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nightly run computes again only the days that changed, and its statistics equal those computed
 * from scratch; anything that would make the stored day summaries wrong sends it back to every day.
 */
class IncrementalStatsTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void aNewDayIsTheOnlyDayComputedAgainAndTheTablesEqualAComputationFromScratch() throws IOException {
    Lake lake = StatsLakes.eightDays(spark, tmp);
    assertEquals("every day (no day summaries yet)", stats(lake, PipelineConfig.defaults()).recomputed());
    assertEquals("no day (nothing changed since they were computed)", stats(lake, PipelineConfig.defaults()).recomputed());

    // The ninth day's log, with a secret in it.
    String day = "2026-01-09";
    Files.writeString(tmp.resolve("logs").resolve("conversations_" + day + ".jsonl"), new LogLines()
        .request("1300000000", day + "T10:00:00.000000", "Log in with password hunter2 and token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "main")
        .command("1300000000", day + "T10:00:01.000000", "GOTO 3200 3200 0").response("1300000000", day + "T10:00:02.000000", "Done.")
        .text());
    TestFiles.settled(tmp.resolve("logs"));
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = tmp.resolve("logs").toString();
    o.lakeDir = lake.root();
    o.changedOnly = true;
    new ExtractJob(spark, PipelineConfig.defaults(), o).execute();

    StatsJob.Result nightly = stats(lake, PipelineConfig.defaults());
    assertEquals("2026-01-09 (examples 0 -> 1)", nightly.recomputed());
    assertTrue(StatsJob.isCurrent(spark, lake));
    Map<String, List<String>> incremental = statistics(lake);
    assertTrue(incremental.get(TableNames.QUALITY_STATS).stream().anyMatch(r -> r.startsWith("[day,2026-01-09,")), "the new day has its row");

    // From scratch: without stored summaries every day is computed again, and nothing differs.
    deleteTable(lake, TableNames.STATS_DAY_SUMMARIES);
    assertEquals("every day (no day summaries yet)", stats(lake, PipelineConfig.defaults()).recomputed());
    assertEquals(incremental, statistics(lake));

    // --since adds every day from that one on, and the statistics stay whole and current.
    StatsJob.Options since = new StatsJob.Options();
    since.lakeDir = lake.root();
    since.since = "2026-01-07";
    StatsJob.Result r = new StatsJob(spark, PipelineConfig.defaults(), since).execute();
    assertEquals("every day from 2026-01-07 (nothing changed since they were computed)", r.recomputed());
    assertTrue(StatsJob.isCurrent(spark, lake));
    assertEquals(incremental, statistics(lake));
  }

  @Test
  void otherPrivacySettingsOrAnExamplesTableMadeAgainComputeEveryDay() throws IOException {
    Lake lake = StatsLakes.eightDays(spark, tmp);
    stats(lake, PipelineConfig.defaults());
    Path key = tmp.resolve("other.key");
    Files.writeString(key, "another pseudonym key, another set of pseudonyms\n");
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of("privacy.key_env=PIPELINE_TEST_NO_SUCH_VARIABLE", "privacy.key_file=" + key);
    assertTrue(stats(lake, PipelineConfig.load(s)).recomputed().startsWith("every day (the privacy settings changed"));

    stats(lake, PipelineConfig.defaults());
    deleteTable(lake, TableNames.EXAMPLES);
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = tmp.resolve("logs").toString();
    o.lakeDir = lake.root();
    new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    assertEquals("every day (the examples table was made again)", stats(lake, PipelineConfig.defaults()).recomputed());
  }

  /**
   * maintain's OPTIMIZE and VACUUM commits change no rows: the summaries stay current. The files of
   * the reviews they were computed from vacuumed, or an enrichments table deleted and made again
   * (its versions counted anew), send the run to every day, without failing.
   */
  @Test
  void maintainKeepsTheSummariesAndReviewsVacuumedOrMadeAgainComputeEveryDay() throws IOException {
    Lake lake = StatsLakes.eightDays(spark, tmp);
    String id = lake.read(TableNames.EXAMPLES).orderBy("id").select("id").first().getString(0);
    review(lake, id, 0.3);
    stats(lake, PipelineConfig.defaults());
    long before = lake.version(TableNames.STATS_DAY_SUMMARIES);
    dev.toolcalls.pipeline.job.MaintainJob.Options m = new dev.toolcalls.pipeline.job.MaintainJob.Options();
    m.lakeDir = lake.root();
    new dev.toolcalls.pipeline.job.MaintainJob(spark, m).execute();
    assertTrue(lake.version(TableNames.STATS_DAY_SUMMARIES) > before, "maintain committed to the summaries");
    assertTrue(stats(lake, PipelineConfig.defaults()).recomputed().startsWith("no day"));

    review(lake, id, 0.4);
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    spark.conf().set(check, "false");
    try {
      spark.sql("VACUUM delta.`" + lake.path(TableNames.ENRICHMENTS) + "` RETAIN 0 HOURS").count();
    } finally {
      spark.conf().set(check, "true");
    }
    String vacuumed = stats(lake, PipelineConfig.defaults()).recomputed();
    assertTrue(vacuumed.startsWith("every day (enrichments version ") && vacuumed.contains(", which the summaries were computed from, is no longer in the lake: "), vacuumed);
    Map<String, List<String>> afterVacuum = statistics(lake);

    deleteTable(lake, TableNames.ENRICHMENTS);
    review(lake, id, 0.5);
    review(lake, id, 0.4); // version 1 again, of another table
    assertEquals("every day (the enrichments table was deleted or made again)", stats(lake, PipelineConfig.defaults()).recomputed());
    assertEquals(afterVacuum, statistics(lake)); // the same review as before, so the same statistics
  }

  void review(Lake lake, String id, double quality) throws IOException {
    Path file = Files.createTempFile(tmp, "review", ".jsonl");
    Files.writeString(file, "{\"id\": \"" + id + "\", \"quality_score\": " + quality + ", \"reasoning\": \"Checked.\"}\n");
    dev.toolcalls.pipeline.enrich.EnrichApplyJob.Options a = new dev.toolcalls.pipeline.enrich.EnrichApplyJob.Options();
    a.lakeDir = lake.root();
    a.file = file.toString();
    new dev.toolcalls.pipeline.enrich.EnrichApplyJob(spark, a).execute();
  }

  static StatsJob.Result stats(Lake lake, PipelineConfig config) {
    StatsJob.Options o = new StatsJob.Options();
    o.lakeDir = lake.root();
    StatsJob.Result r = new StatsJob(spark, config, o).execute();
    System.out.print(r.toText());
    return r;
  }

  /** Every row of the four statistics tables as text, sorted, doubles rounded to 9 places (sums may add up in another order). */
  static Map<String, List<String>> statistics(Lake lake) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (String t : TableNames.STATISTICS) {
      Dataset<Row> rows = lake.read(t);
      List<String> columns = new ArrayList<>();
      for (StructField f : rows.schema().fields()) columns.add(f.dataType() instanceof DoubleType ? "round(`" + f.name() + "`, 9) AS `" + f.name() + "`" : "`" + f.name() + "`");
      all.put(t, rows.selectExpr(columns.toArray(String[]::new)).collectAsList().stream().map(Row::toString).sorted().toList());
    }
    return all;
  }

  static void deleteTable(Lake lake, String table) throws IOException {
    Path dir = Path.of(java.net.URI.create(lake.path(table)));
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
