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
          // it (StatsJobTest + ExportJobTest 168-179 s against 209-240 s, in turn). The generated-code
          // path is still tested: by the notebooks' JVM (NotebooksTest) and by StandaloneClusterIT,
          // whose drivers and executors run with it and must give this session's rows and bytes.
          "spark.sql.codegen.wholeStage=false", "spark.sql.codegen.factoryMode=NO_CODEGEN"));
      String extra = System.getProperty("test.spark.conf", "");
      if (!extra.isBlank()) o.addAll(List.of(extra.split(";")));
      s.overrides = o;
      spark = SparkSessions.getOrCreate(PipelineConfig.load(s), "pipeline tests");
    }
    return spark;
  }

  /** Same rows in any order (and the same schema). */
  protected static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    COMPARE.assertDataFrameNoOrderEquals(expected, actual);
  }
}
