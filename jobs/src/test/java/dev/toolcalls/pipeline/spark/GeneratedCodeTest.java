package dev.toolcalls.pipeline.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's expressions interpreted and its plan not adaptive below the work threshold, generated and adaptive above it, never against the user's settings. */
class GeneratedCodeTest extends SparkTestBase {
  private static final long MB = 1024 * 1024;
  private final Map<String, String> sessionSettings = new HashMap<>();

  /** As in a production session: none of the settings given (the tests' session sets some). */
  @BeforeEach
  void asInProduction() {
    for (String key : GeneratedCode.SMALL_JOB.keySet()) {
      if (spark.sessionState().conf().contains(key)) sessionSettings.put(key, spark.conf().get(key));
      spark.conf().unset(key);
    }
  }

  @AfterEach
  void backToTheTestSession() {
    // Only what the session had set: a key it left unset stays unset (Spark's default, not a copy of it).
    GeneratedCode.SMALL_JOB.keySet().forEach(spark.conf()::unset);
    sessionSettings.forEach(spark.conf()::set);
  }

  @Test
  void aSmallJobRunsInterpretedAndTheSettingsAreUnsetAfterIt() {
    Map<String, String> during = GeneratedCode.forWork(spark, 1 * MB, 8 * MB, this::settings);
    assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "false", GeneratedCode.FACTORY_MODE, "NO_CODEGEN", GeneratedCode.ADAPTIVE, "false"), during);
    // The rows are Spark's either way; only how it evaluates them changes.
    assertEquals(List.of(6L), GeneratedCode.forWork(spark, 1 * MB, 8 * MB, () -> spark.range(4).selectExpr("sum(id) AS s").as(org.apache.spark.sql.Encoders.LONG()).collectAsList()));
    assertFalse(GeneratedCode.forWork(spark, 1 * MB, 8 * MB, this::wholeStagePlan), "no whole-stage code in a small job's plan");
    assertTrue(GeneratedCode.forWork(spark, 8 * MB, 8 * MB, this::wholeStagePlan), "whole-stage code from the threshold on");
    assertTrue(GeneratedCode.userLeftAlone(spark), "unset again after the job");
    assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "true", GeneratedCode.FACTORY_MODE, "FALLBACK", GeneratedCode.ADAPTIVE, "true"), settings(), "Spark's defaults again");
  }

  @Test
  void aJobFromTheThresholdOnRunsGeneratedCode() {
    assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "true", GeneratedCode.FACTORY_MODE, "FALLBACK", GeneratedCode.ADAPTIVE, "true"), GeneratedCode.forWork(spark, 8 * MB, 8 * MB, this::settings));
    assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "true", GeneratedCode.FACTORY_MODE, "FALLBACK", GeneratedCode.ADAPTIVE, "true"), GeneratedCode.forWork(spark, 0, 0, this::settings), "from_mb 0: always generated");
  }

  @Test
  void whatTheUserSetIsLeftAlone() {
    spark.conf().set(GeneratedCode.WHOLE_STAGE, "true");
    try {
      assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "true", GeneratedCode.FACTORY_MODE, "FALLBACK", GeneratedCode.ADAPTIVE, "true"), GeneratedCode.forWork(spark, 1, 8 * MB, this::settings));
      assertEquals("true", spark.conf().get(GeneratedCode.WHOLE_STAGE));
    } finally {
      spark.conf().unset(GeneratedCode.WHOLE_STAGE);
    }
  }

  @Test
  void aFailingJobStillUnsetsTheSettings() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> GeneratedCode.forWork(spark, 1, 8 * MB, () -> {
      throw new IllegalStateException("the job failed");
    }));
    assertEquals("the job failed", e.getMessage());
    assertTrue(GeneratedCode.userLeftAlone(spark));
  }

  @Test
  void theThresholdComesFromConfAndMustNotBeNegative() {
    assertEquals(8 * MB, GeneratedCode.fromBytes(PipelineConfig.defaults()));
    assertEquals(0, GeneratedCode.fromBytes(withFromMb("0")));
    BadInputException e = assertThrows(BadInputException.class, () -> GeneratedCode.fromBytes(withFromMb("-1")));
    assertEquals("codegen.from_mb must be 0 or more, not -1", e.getMessage());
  }

  @Test
  void exportAndStatsWorkIsTenTimesTheExamplesTableWithOrWithoutItsChecksum(@TempDir Path lakeDir) throws Exception {
    Lake lake = new Lake(spark, lakeDir.toString());
    assertEquals(0, GeneratedCode.examplesWork(lake), "no examples table: nothing to read");
    spark.range(0, 2000, 1, 2).selectExpr("id", "repeat('x', CAST(id % 50 AS INT)) AS text").write().format("delta").save(lake.path(TableNames.EXAMPLES));
    long snapshot = io.delta.tables.DeltaTable.forPath(spark, lake.path(TableNames.EXAMPLES)).detail().select("sizeInBytes").first().getLong(0);
    assertTrue(snapshot > 0);
    assertEquals(snapshot, lake.sizeBytes(TableNames.EXAMPLES), "from the commit's checksum file");
    assertEquals(10 * snapshot, GeneratedCode.examplesWork(lake));
    try (java.util.stream.Stream<Path> log = Files.list(lakeDir.resolve(TableNames.EXAMPLES).resolve("_delta_log"))) {
      for (Path crc : log.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) Files.delete(crc);
    }
    assertEquals(snapshot, lake.sizeBytes(TableNames.EXAMPLES), "without it, from the Parquet files (one version: the same files)");
  }

  /** Whether a projection's executed plan is whole-stage generated code (no exchange, so no adaptive plan around it). */
  private boolean wholeStagePlan() {
    return spark.range(10).selectExpr("id + 1 AS x").queryExecution().executedPlan() instanceof org.apache.spark.sql.execution.WholeStageCodegenExec;
  }

  private Map<String, String> settings() {
    Map<String, String> now = new HashMap<>();
    for (String key : GeneratedCode.SMALL_JOB.keySet()) now.put(key, spark.conf().get(key));
    return now;
  }

  private static PipelineConfig withFromMb(String mb) {
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of("codegen.from_mb=" + mb);
    return PipelineConfig.load(s);
  }
}
