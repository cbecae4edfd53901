package dev.toolcalls.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diff compares only the partitions a commit in between touched, and the whole table when the log cannot tell. */
class DiffJobTest extends SparkTestBase {
  @TempDir Path tmp;

  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("id", DataTypes.StringType, false),
      DataTypes.createStructField("source", DataTypes.StringType, false),
      DataTypes.createStructField("event_date", DataTypes.DateType, true),
      DataTypes.createStructField("text", DataTypes.StringType, true)));

  Dataset<Row> rows(Object[]... rows) {
    return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
  }

  static Object[] row(String id, String day, String text) {
    return new Object[] {id, "discord", day == null ? null : java.sql.Date.valueOf(day), text};
  }

  static Map<String, String> partition(String day) {
    Map<String, String> p = new HashMap<>();
    p.put("source", "discord");
    p.put("event_date", day);
    return p;
  }

  @Test
  void onlyThePartitionsWhoseFilesChangedAreComparedInEitherDirection() {
    String table = tmp.resolve("lake").resolve(TableNames.EXAMPLES).toString();
    // version 0: three days and a row with no day (a null partition value)
    rows(row("a", "2026-01-01", "one"), row("b", "2026-01-02", "two"), row("c", "2026-01-03", "three"), row("n", null, "no day"))
        .write().format("delta").partitionBy("source", "event_date").save(table);
    // version 1: day 2 rewritten (b changed, d added); version 2: the undated row removed; version 3: day 4 appended
    rows(row("b", "2026-01-02", "two, edited"), row("d", "2026-01-02", "four")).write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", "event_date = DATE'2026-01-02'").save(table);
    rows().write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", "event_date IS NULL").save(table);
    rows(row("e", "2026-01-04", "five")).write().format("delta").mode(SaveMode.Append).save(table);

    Lake lake = new Lake(spark, tmp.resolve("lake").toString());
    Map<String, String> undated = partition(null);
    assertEquals(Optional.of(Set.of(partition("2026-01-02"), undated, partition("2026-01-04"))), lake.partitionsChangedBetween(TableNames.EXAMPLES, 0, 3));
    assertEquals(lake.partitionsChangedBetween(TableNames.EXAMPLES, 0, 3), lake.partitionsChangedBetween(TableNames.EXAMPLES, 3, 0));

    DiffJob.Result forward = new DiffJob(spark, tmp.resolve("lake").toString(), TableNames.EXAMPLES, 0, 3L, 10).execute();
    assertEquals(List.of(2L, 1L, 1L, 3), List.of(forward.added(), forward.removed(), forward.changed(), forward.partitionsCompared()), forward.toText());
    assertEquals(List.of("added d", "added e", "changed b", "removed n"), forward.listed().stream().map(c -> c.change() + " " + c.key()).toList());
    DiffJob.Result backward = new DiffJob(spark, tmp.resolve("lake").toString(), TableNames.EXAMPLES, 3, 0L, 10).execute();
    assertEquals(List.of(1L, 2L, 1L), List.of(backward.added(), backward.removed(), backward.changed()), backward.toText());
    DiffJob.Result same = new DiffJob(spark, tmp.resolve("lake").toString(), TableNames.EXAMPLES, 2, 2L, 10).execute();
    assertEquals(List.of(0L, 0L, 0L, 0), List.of(same.added(), same.removed(), same.changed(), same.partitionsCompared()), same.toText());
  }

  @Test
  void aCommitThatChangesTheSchemaMakesTheWholeTableCompared() {
    String table = tmp.resolve("lake").resolve(TableNames.EXAMPLES).toString();
    rows(row("a", "2026-01-01", "one"), row("b", "2026-01-02", "two")).write().format("delta").partitionBy("source", "event_date").save(table);
    // version 1: a column added (as a lake from an older release gains one), in day 2 only
    rows(row("b", "2026-01-02", "two")).withColumn("extra", org.apache.spark.sql.functions.lit("x")).write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", "event_date = DATE'2026-01-02'").option("mergeSchema", "true").save(table);

    Lake lake = new Lake(spark, tmp.resolve("lake").toString());
    assertEquals(Optional.empty(), lake.partitionsChangedBetween(TableNames.EXAMPLES, 0, 1));
    DiffJob.Result d = new DiffJob(spark, tmp.resolve("lake").toString(), TableNames.EXAMPLES, 0, 1L, 10).execute();
    assertNull(d.partitionsCompared(), d.toText());
    assertEquals(List.of("changed b"), d.listed().stream().map(c -> c.change() + " " + c.key()).toList());
  }

  @Test
  void anUnpartitionedTableOrACleanedUpCommitMakesTheWholeTableCompared() throws java.io.IOException {
    String table = tmp.resolve("lake").resolve(TableNames.ENRICHMENTS).toString();
    // enrichments has no partition column: every action's partitionValues is {}
    rows(row("a", "2026-01-01", "one")).write().format("delta").save(table);
    rows(row("b", "2026-01-02", "two")).write().format("delta").mode(SaveMode.Append).save(table);
    rows(row("c", "2026-01-03", "three")).write().format("delta").mode(SaveMode.Append).save(table);
    Lake lake = new Lake(spark, tmp.resolve("lake").toString());
    assertEquals(Optional.empty(), lake.partitionsChangedBetween(TableNames.ENRICHMENTS, 0, 2));
    DiffJob.Result d = new DiffJob(spark, tmp.resolve("lake").toString(), TableNames.ENRICHMENTS, 0, 2L, 10).execute();
    assertNull(d.partitionsCompared(), d.toText());
    assertEquals(List.of("added b", "added c"), d.listed().stream().map(c -> c.change() + " " + c.key()).toList());

    String examples = tmp.resolve("lake").resolve(TableNames.EXAMPLES).toString();
    rows(row("a", "2026-01-01", "one")).write().format("delta").partitionBy("source", "event_date").save(examples);
    rows(row("b", "2026-01-02", "two")).write().format("delta").mode(SaveMode.Append).save(examples);
    rows(row("c", "2026-01-03", "three")).write().format("delta").mode(SaveMode.Append).save(examples);
    java.nio.file.Files.delete(tmp.resolve("lake").resolve(TableNames.EXAMPLES).resolve("_delta_log").resolve(String.format("%020d.json", 2)));
    assertEquals(Optional.of(Set.of(partition("2026-01-02"))), lake.partitionsChangedBetween(TableNames.EXAMPLES, 0, 1));
    assertEquals(Optional.empty(), lake.partitionsChangedBetween(TableNames.EXAMPLES, 0, 2), "a commit file cleaned up: cannot tell");
  }
}
