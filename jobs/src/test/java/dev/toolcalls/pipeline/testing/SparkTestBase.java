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
      List<String> o = new java.util.ArrayList<>(List.of("spark.master=local[2]", "spark.sql.shuffle.partitions=2", "spark.default.parallelism=2",
          // Interpreted expressions, no generated code: the suite runs thousands of small, different
          // queries, and compiling each one's code (Janino, then the JIT on it) cost more than running
          // it (StatsJobTest + ExportJobTest 168-179 s against 209-240 s, in turn). Generated code is
          // still tested: ExtractJobTest turns it on (generatedCode), and StandaloneClusterIT's
          // drivers and executors run with it and must give this session's rows and bytes.
          "spark.sql.codegen.wholeStage=false", "spark.sql.codegen.factoryMode=NO_CODEGEN"));
      String extra = System.getProperty("test.spark.conf", "");
      if (!extra.isBlank()) o.addAll(List.of(extra.split(";")));
      s.overrides = o;
      spark = SparkSessions.getOrCreate(PipelineConfig.load(s), "pipeline tests");
    }
    return spark;
  }

  private static final List<String> CODEGEN_KEYS = List.of("spark.sql.codegen.wholeStage", "spark.sql.codegen.factoryMode");
  private static List<String> codegenBefore;

  /**
   * Generated code on, as production runs (from a class's {@code @BeforeAll}), or back to the
   * session's own setting (from its {@code @AfterAll}).
   */
  protected static synchronized void generatedCode(boolean on) {
    if (on) {
      codegenBefore = CODEGEN_KEYS.stream().map(k -> spark.conf().get(k)).toList();
      spark.conf().set(CODEGEN_KEYS.get(0), "true");
      spark.conf().set(CODEGEN_KEYS.get(1), "FALLBACK");
    } else if (codegenBefore != null) {
      for (int i = 0; i < CODEGEN_KEYS.size(); i++) spark.conf().set(CODEGEN_KEYS.get(i), codegenBefore.get(i));
      codegenBefore = null;
    }
  }

  /** Same rows in any order (and the same schema). */
  protected static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    COMPARE.assertDataFrameNoOrderEquals(expected, actual);
  }
}
