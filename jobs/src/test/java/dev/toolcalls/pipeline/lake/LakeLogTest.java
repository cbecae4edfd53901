package dev.toolcalls.pipeline.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.toolcalls.pipeline.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Lake reads from a table's Delta log on the driver, against what Spark counts. */
class LakeLogTest extends SparkTestBase {
  @TempDir Path lakeDir;

  @Test
  void theRowsACommitAddedComeFromItsFileStatistics() {
    Lake lake = new Lake(spark, lakeDir.toString());
    spark.range(0, 1234, 1, 3).selectExpr("id", "CAST(id % 7 AS STRING) AS day").write().format("delta").partitionBy("day").save(lake.path("t"));
    assertEquals(OptionalLong.of(1234), lake.rowsAddedBy("t", 0));
    assertEquals(1234, lake.read("t").count());
    spark.range(0, 0).write().format("delta").save(lake.path("empty"));
    assertEquals(OptionalLong.of(0), lake.rowsAddedBy("empty", 0), "a table created empty (a run's quarantine, often)");
  }

  @Test
  void withoutFileStatisticsThereIsNoFigure() {
    Lake lake = new Lake(spark, lakeDir.toString());
    spark.conf().set("spark.databricks.delta.stats.collect", "false");
    try {
      spark.range(0, 10).write().format("delta").save(lake.path("u"));
    } finally {
      spark.conf().unset("spark.databricks.delta.stats.collect");
    }
    assertEquals(OptionalLong.empty(), lake.rowsAddedBy("u", 0));
  }

  @Test
  void aTableIsCreatedWithoutOverwritingAndReplacedByFileOnceItExists() {
    Lake lake = new Lake(spark, lakeDir.toString());
    assertEquals(SaveMode.ErrorIfExists, lake.replacingMode("t"), "nothing to overwrite yet: no listing of an empty table");
    Dataset<Row> first = spark.sql("SELECT * FROM VALUES ('discord', 'a.jsonl', 1), ('discord', 'b.jsonl', 2) AS r(source, source_file, n)");
    lake.replaceFileRows("t", first, List.of("source"), List.of("source_file"), Map.of("discord", List.of("a.jsonl", "b.jsonl")), "note");
    assertEquals(SaveMode.Overwrite, lake.replacingMode("t"));
    Dataset<Row> again = spark.sql("SELECT * FROM VALUES ('discord', 'a.jsonl', 10) AS r(source, source_file, n)");
    lake.replaceFileRows("t", again, List.of("source"), List.of("source_file"), Map.of("discord", List.of("a.jsonl")), "note");
    assertEquals(List.of("a.jsonl=10", "b.jsonl=2"), lake.read("t").orderBy("source_file").selectExpr("concat(source_file, '=', n)").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    // Created by another writer between the look and the write: an error, never a silent replace.
    assertThrows(Exception.class, () -> first.write().format("delta").mode(SaveMode.ErrorIfExists).save(lake.path("t")));
  }
}
