package dev.toolcalls.pipeline.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of every Spark test: one Delta-enabled session for the whole test JVM (local[2], UI off,
 * 2 shuffle partitions, no generated code), built by the same code the CLI uses, and spark-testing-base's DataFrame
 * comparisons. (spark-testing-base's own Java base class starts Spark only from JUnit 4 hooks and
 * its DataFrameSuiteBase turns Hive on, hence this class.)
 */
public abstract class SparkTestBase {
  private static final JavaDataFrameSuiteBase COMPARE = new JavaDataFrameSuiteBase();
  protected static SparkSession spark;

  @BeforeAll
  static void sharedSession() {
    spark = session();
  }

  public static synchronized SparkSession session() {
    if (spark == null) {
      PipelineConfig.Sources s = new PipelineConfig.Sources();
      List<String> o = new java.util.ArrayList<>(List.of("spark.master=local[2]",
          "spark.sql.shuffle.partitions=2", "spark.default.parallelism=2"));
      o.addAll(NO_GENERATED_CODE);
      String extra = System.getProperty("test.spark.conf", "");
      if (!extra.isBlank()) o.addAll(List.of(extra.split(";")));
      s.overrides = o;
      spark = SparkSessions.getOrCreate(PipelineConfig.load(s), "pipeline tests");
    }
    return spark;
  }

  /**
   * Interpreted expressions, no generated code, for the tests' session and KilledRunTest's child
   * runs: the suite runs thousands of small, different queries, and compiling each one's code
   * (Janino, then the JIT on it) cost more than running it (StatsJobTest + ExportJobTest 168-179 s
   * against 209-240 s, in turn). Generated code is still tested: ExtractJobTest turns it on
   * ({@link #generatedCode}), and StandaloneClusterIT's drivers and executors run with it and must
   * give this session's rows and bytes. Adaptive execution stays on (as in production from 8 MB of
   * work): the tests exercise the plans large runs take.
   */
  public static final List<String> NO_GENERATED_CODE = settings(java.util.Map.of("spark.sql.codegen.wholeStage", "false", "spark.sql.codegen.factoryMode", "NO_CODEGEN"));
  /** The settings of {@link #NO_GENERATED_CODE}, with Spark's own defaults (generated code on). */
  private static final java.util.Map<String, String> GENERATED_CODE = java.util.Map.of("spark.sql.codegen.wholeStage", "true", "spark.sql.codegen.factoryMode", "FALLBACK");
  /** Generated code set on explicitly, as {@code key=value} settings (StandaloneClusterIT's cluster runs). */
  public static final List<String> WITH_GENERATED_CODE = settings(GENERATED_CODE);

  private static List<String> settings(java.util.Map<String, String> values) {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
  }
  private static java.util.Map<String, String> codegenBefore;

  /**
   * Generated code on, as production runs with 8 MB of work or more (GeneratedCode), from a class's
   * {@code @BeforeAll}; or back to the session's own setting, from its {@code @AfterAll}.
   */
  protected static synchronized void generatedCode(boolean on) {
    if (on) {
      codegenBefore = new java.util.HashMap<>();
      GENERATED_CODE.forEach((key, value) -> {
        codegenBefore.put(key, spark.conf().get(key));
        spark.conf().set(key, value);
      });
    } else if (codegenBefore != null) {
      codegenBefore.forEach(spark.conf()::set);
      codegenBefore = null;
    }
  }

  /** Same rows in any order (and the same schema). */
  protected static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    COMPARE.assertDataFrameNoOrderEquals(expected, actual);
  }
}
