package dev.toolcalls.pipeline.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolcalls.pipeline.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.OptionalLong;
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
}
