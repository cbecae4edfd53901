package dev.toolcalls.pipeline.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A job's expressions interpreted below the work threshold, generated above it, never against the user's settings. */
class GeneratedCodeTest extends SparkTestBase {
  private static final long MB = 1024 * 1024;
  private final Map<String, String> sessionSettings = new HashMap<>();

  /** As in a production session: neither setting given (the tests' session sets both). */
  @BeforeEach
  void asInProduction() {
    for (String key : GeneratedCode.INTERPRETED.keySet()) {
      sessionSettings.put(key, spark.conf().get(key));
      spark.conf().unset(key);
    }
  }

  @AfterEach
  void backToTheTestSession() {
    sessionSettings.forEach(spark.conf()::set);
  }

  @Test
  void aSmallJobRunsInterpretedAndTheSettingsAreUnsetAfterIt() {
    Map<String, String> during = GeneratedCode.forWork(spark, 1 * MB, 8 * MB, this::settings);
    assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "false", GeneratedCode.FACTORY_MODE, "NO_CODEGEN"), during);
    // The rows are Spark's either way; only how it evaluates them changes.
    assertEquals(List.of(6L), GeneratedCode.forWork(spark, 1 * MB, 8 * MB, () -> spark.range(4).selectExpr("sum(id) AS s").as(org.apache.spark.sql.Encoders.LONG()).collectAsList()));
    assertTrue(GeneratedCode.userLeftAlone(spark), "unset again after the job");
    assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "true", GeneratedCode.FACTORY_MODE, "FALLBACK"), settings(), "Spark's defaults again");
  }

  @Test
  void aJobFromTheThresholdOnRunsGeneratedCode() {
    assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "true", GeneratedCode.FACTORY_MODE, "FALLBACK"), GeneratedCode.forWork(spark, 8 * MB, 8 * MB, this::settings));
    assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "true", GeneratedCode.FACTORY_MODE, "FALLBACK"), GeneratedCode.forWork(spark, 0, 0, this::settings), "from_mb 0: always generated");
  }

  @Test
  void whatTheUserSetIsLeftAlone() {
    spark.conf().set(GeneratedCode.WHOLE_STAGE, "true");
    try {
      assertEquals(Map.of(GeneratedCode.WHOLE_STAGE, "true", GeneratedCode.FACTORY_MODE, "FALLBACK"), GeneratedCode.forWork(spark, 1, 8 * MB, this::settings));
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

  private Map<String, String> settings() {
    Map<String, String> now = new HashMap<>();
    for (String key : GeneratedCode.INTERPRETED.keySet()) now.put(key, spark.conf().get(key));
    return now;
  }

  private static PipelineConfig withFromMb(String mb) {
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of("codegen.from_mb=" + mb);
    return PipelineConfig.load(s);
  }
}
