package dev.toolcalls.pipeline.spark;

import dev.toolcalls.pipeline.config.PipelineConfig;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;

/**
 * Whether a job's Spark expressions run as generated code or interpreted, by how much the job has
 * to do. Spark generates Java source for each query's projections and compiles it with Janino: in
 * a cold JVM that costs tens of milliseconds per class, dozens of classes per job, whatever the
 * number of rows. On a small input the compiling is most of the job (a 1.3 MB extract: 1.3-1.9 s
 * less without it, in turn); on a large one the generated code earns it back (997 MB: about 5 %
 * slower without; the statistics' pass over 24,600 examples: 4-5 s slower). So below conf
 * {@code codegen.from_mb} of work a job runs interpreted: Spark's own evaluators for most of its
 * expressions (reading a cached Dataset still compiles its column accessor), the same results by
 * Spark's design. What the user set for either setting (conf/, --conf, spark-submit) is left alone.
 * For jobs that run one after another on a session (a nightly run's), not side by side: the
 * settings are the session's, and the first job to finish would unset them under the other.
 */
public final class GeneratedCode {
  static final String WHOLE_STAGE = SQLConf.WHOLESTAGE_CODEGEN_ENABLED().key();
  static final String FACTORY_MODE = SQLConf.CODEGEN_FACTORY_MODE().key();
  /** The interpreted settings: no whole-stage code, and Spark's interpreted projections and predicates. */
  public static final Map<String, String> INTERPRETED = Map.of(WHOLE_STAGE, "false", FACTORY_MODE, "NO_CODEGEN");
  /**
   * Log bytes per byte of the examples table: its compressed Parquet holds about a tenth of the logs
   * it came from. The launcher's estimate of a run's work (bin/lib/jit.sh, JitChoice) uses it too.
   */
  public static final int LOG_BYTES_PER_EXAMPLES_BYTE = 10;

  private GeneratedCode() {}

  /** The work (bytes) from which a job runs generated code: conf {@code codegen.from_mb} (default 8; 0: always). */
  public static long fromBytes(PipelineConfig config) {
    long mb = config.longValue("codegen.from_mb", 8);
    if (mb < 0) throw new dev.toolcalls.pipeline.config.BadInputException("codegen.from_mb must be 0 or more, not " + mb);
    return Math.multiplyExact(mb, 1024L * 1024L);
  }

  /**
   * Runs {@code job} interpreted when {@code workBytes} is below {@code fromBytes} and the session
   * has neither setting set explicitly; they are unset again afterwards, also on failure, so
   * the next job of the same session (a nightly run's export after its extract) decides anew.
   */
  public static <T> T forWork(SparkSession spark, long workBytes, long fromBytes, Supplier<T> job) {
    if (workBytes >= fromBytes || !userLeftAlone(spark)) return job.get();
    INTERPRETED.forEach((k, v) -> spark.conf().set(k, v));
    try {
      return job.get();
    } finally {
      INTERPRETED.keySet().forEach(k -> spark.conf().unset(k)); // unset before: back to Spark's defaults
    }
  }

  /** The work of a job that reads the whole examples table (export, stats), about as bin/lib/jit.sh counts it. */
  public static long examplesWork(dev.toolcalls.pipeline.lake.Lake lake) {
    return lake.exists(dev.toolcalls.schemas.TableNames.EXAMPLES) ? LOG_BYTES_PER_EXAMPLES_BYTE * lake.sizeBytes(dev.toolcalls.schemas.TableNames.EXAMPLES) : 0;
  }

  /** Neither setting was given (so each holds Spark's default): ours to choose. */
  static boolean userLeftAlone(SparkSession spark) {
    SQLConf conf = spark.sessionState().conf();
    return INTERPRETED.keySet().stream().noneMatch(conf::contains);
  }
}
