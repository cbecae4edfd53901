package dev.toolcalls.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.cli.PipelineCli;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.lake.LakeLock;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table upkeep: fewer files, the same rows, history kept within the retention, Delta's retention check left on. */
class MaintainJobTest extends SparkTestBase {
  @TempDir Path tmp;

  static MaintainJob.Result maintain(String lake, Integer retainHours, boolean dryRun) {
    MaintainJob.Options o = new MaintainJob.Options();
    o.lakeDir = lake;
    o.retainHours = retainHours;
    o.dryRun = dryRun;
    MaintainJob.Result r = new MaintainJob(spark, o).execute();
    r.tables().forEach(System.out::println);
    return r;
  }

  /** Every row as JSON text, sorted: the whole content, for exact comparison. */
  static List<String> content(Dataset<Row> table) {
    return table.selectExpr("to_json(struct(*))").as(Encoders.STRING()).collectAsList().stream().sorted().toList();
  }

  static Dataset<Row> at(Lake lake, String table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(lake.path(table));
  }

  /**
   * Four nightly runs over two bots' daily files (one folder per bot): each day's examples
   * partition gets a data file per bot, and quarantine and ingest_log (partitioned by source
   * only) gain files every night.
   */
  String nightlyLake() throws IOException {
    Path logs = tmp.resolve("logs");
    Path lake = tmp.resolve("lake");
    for (int d = 1; d <= 4; d++) {
      String date = "2026-01-0" + d;
      for (String bot : List.of("bot-a", "bot-b")) {
        Files.createDirectories(logs.resolve(bot));
        String rid = (bot.equals("bot-a") ? "10" : "11") + "0000000" + d;
        Files.writeString(logs.resolve(bot).resolve("conversations_" + date + ".jsonl"),
            ChangedRunTest.day(date, rid, bot + " day " + d) + new LogLines().raw("{not json " + bot + " " + d).text());
      }
      ExtractJob.Options o = new ExtractJob.Options();
      o.logsDir = logs.toString();
      o.lakeDir = lake.toString();
      o.changedOnly = true;
      new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    }
    return lake.toString();
  }

  @Test
  void compactsTheNightlySmallFilesKeepingEveryRowAndTheHistoryAndRefusesAShortRetention() throws IOException {
    String lake = nightlyLake();
    Lake l = new Lake(spark, lake);
    Map<String, List<String>> rows = new LinkedHashMap<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String t : l.existingTables(TableNames.ALL_WITH_IDENTITIES)) {
      rows.put(t, content(l.read(t)));
      versions.put(t, l.version(t));
    }
    assertEquals(List.of(TableNames.EXAMPLES, TableNames.QUARANTINE, TableNames.INGEST_LOG), l.existingTables());
    assertEquals(List.of(TableNames.EXAMPLES, TableNames.QUARANTINE, TableNames.INGEST_LOG, TableNames.IDENTITIES), List.copyOf(versions.keySet()), "maintain keeps the owners' identities table too");
    List<String> firstNight = content(at(l, TableNames.EXAMPLES, 0));
    long partitions = l.read(TableNames.EXAMPLES).select("source", "event_date").distinct().count();

    // Below the tables' 7 days: Delta's own check refuses it, exit 2, and no table has changed.
    assertEquals(PipelineCli.EXIT_BAD_INPUT, PipelineCli.run("maintain", "--lake", lake, "--retain-hours", "0"));
    BadInputException refused = assertThrows(BadInputException.class, () -> maintain(lake, 0, false));
    assertTrue(refused.getMessage().contains("(168 hours)") && refused.getMessage().contains("give 168 or more"), refused.getMessage());
    assertTrue(refused.getCause().getMessage().contains("Are you sure you would like to vacuum files with such a low retention period"), refused.getCause().getMessage());
    // While a nightly run holds the lake: exit 3.
    try (LakeLock nightly = LakeLock.acquire(l.root(), "run")) {
      assertEquals(PipelineCli.EXIT_CONCURRENT, PipelineCli.run("maintain", "--lake", lake));
    }
    for (String t : versions.keySet()) assertEquals(versions.get(t), l.version(t), t + " unchanged");

    MaintainJob.Result r = maintain(lake, null, false);
    MaintainJob.TableResult examples = r.table(TableNames.EXAMPLES);
    assertEquals(8, examples.filesBefore(), "a file per bot and day");
    assertEquals(4, partitions);
    assertEquals(partitions, examples.filesAfter(), "one file per partition");
    assertEquals(List.of(8L, 4L), List.of(examples.compactedRemoved(), examples.compactedAdded()));
    long described = spark.sql("DESCRIBE DETAIL delta.`" + l.path(TableNames.EXAMPLES) + "`").select("numFiles").first().getLong(0);
    assertEquals(examples.filesAfter(), described);
    for (MaintainJob.TableResult t : r.tables()) {
      assertEquals(versions.get(t.table()), t.versionBefore());
      assertEquals(l.version(t.table()), t.versionAfter());
      assertEquals(t.filesBefore() - t.compactedRemoved() + t.compactedAdded(), t.filesAfter(), t.table());
      assertEquals(0, t.vacuumed(), t.table() + ": every removed file is younger than the 7-day retention");
      assertEquals(rows.get(t.table()), content(l.read(t.table())), t.table() + ": the same rows");
      assertEquals(rows.get(t.table()), content(at(l, t.table(), versions.get(t.table()))), t.table() + ": the version before maintain");
    }
    assertEquals(1, r.table(TableNames.QUARANTINE).filesAfter());
    assertEquals(1, r.table(TableNames.INGEST_LOG).filesAfter());
    assertEquals(firstNight, content(at(l, TableNames.EXAMPLES, 0)), "time travel to the first night");
  }

  @Test
  void vacuumDeletesOnlyWhatTheTablesOwnRetentionAllowsAndADryRunOnlyLists() throws IOException {
    Path lake = tmp.resolve("short-retention");
    Path table = lake.resolve(TableNames.QUARANTINE);
    // A retention of 0 hours chosen as the table's own property (not by turning Delta's check off).
    for (int i = 0; i < 5; i++) {
      var w = spark.range(i * 10L, i * 10L + 10).selectExpr("id", "'discord' AS source").coalesce(1).write().format("delta");
      if (i == 0) w = w.option("delta.deletedFileRetentionDuration", "interval 0 hours").partitionBy("source");
      w.mode(i == 2 ? "overwrite" : "append").save(table.toString());
    }
    Lake l = new Lake(spark, lake.toString());
    long version = l.version(TableNames.QUARANTINE);
    List<String> ids = content(l.read(TableNames.QUARANTINE));
    List<String> current = Arrays.stream(l.read(TableNames.QUARANTINE).inputFiles()).map(f -> f.substring(f.indexOf("source="))).sorted().toList();
    assertEquals(5, dataFiles(table).size());
    assertEquals(3, current.size(), "the overwrite removed the first two");

    MaintainJob.Result dry = maintain(lake.toString(), null, true);
    List<String> listed = dry.table(TableNames.QUARANTINE).vacuumList().stream().sorted().toList();
    assertEquals(dataFiles(table).stream().filter(f -> !current.contains(f)).toList(), listed);
    assertEquals(PipelineCli.EXIT_OK, PipelineCli.run("maintain", "--lake", lake.toString(), "--dry-run"));
    assertEquals(version, l.version(TableNames.QUARANTINE), "a dry run commits nothing");
    assertEquals(5, dataFiles(table).size(), "and deletes nothing");

    assertEquals(PipelineCli.EXIT_OK, PipelineCli.run("maintain", "--lake", lake.toString()));
    assertEquals(1, dataFiles(table).size(), "the compacted file only: 2 removed before, 3 compacted now");
    assertEquals(ids, content(l.read(TableNames.QUARANTINE)));
    MaintainJob.Result again = maintain(lake.toString(), 0, false);
    assertEquals(0, again.table(TableNames.QUARANTINE).vacuumed(), "0 hours is the table's own retention: allowed, and nothing left to delete");
  }

  /** Parquet files on disk under a table, relative to it. */
  static List<String> dataFiles(Path table) throws IOException {
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && !p.getFileName().toString().startsWith(".") && !p.toString().contains("_delta_log"))
          .map(p -> table.relativize(p).toString()).sorted().toList();
    }
  }
}
