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
 * Spark's design. Such a job also runs without adaptive query execution: it re-plans the query after
 * each stage and sends the whole plan as text to Spark's listeners every time (plans of 100-190
 * operators in the statistics and the export, 36 MB of plan text for a nightly run of 1 MB, most of
 * it made by the driver while the job waits), and on a few MB there is nothing for it to coalesce or
 * re-join (a nightly run of one 1 MB day over 4: 71.3-73.1 s -> 58.6-65.4 s with that and
 * conf's {@code spark.sql.ui.explainMode: simple}, in turn). What the user set for any of these
 * settings (conf/, --conf, spark-submit) is left alone.
 * For jobs that run one after another on a session (a nightly run's), not side by side: the
 * settings are the session's, and the first job to finish would unset them under the other.
 */
public final class GeneratedCode {
  static final String WHOLE_STAGE = SQLConf.WHOLESTAGE_CODEGEN_ENABLED().key();
  static final String FACTORY_MODE = SQLConf.CODEGEN_FACTORY_MODE().key();
  static final String ADAPTIVE = SQLConf.ADAPTIVE_EXECUTION_ENABLED().key();
  /** A small job's settings: no whole-stage code, Spark's interpreted projections and predicates, no adaptive re-planning. */
  public static final Map<String, String> SMALL_JOB = Map.of(WHOLE_STAGE, "false", FACTORY_MODE, "NO_CODEGEN", ADAPTIVE, "false");
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
   * Runs {@code job} with {@link #SMALL_JOB}'s settings when {@code workBytes} is below
   * {@code fromBytes} and the session has none of them set explicitly; they are unset again afterwards, also on failure, so
   * the next job of the same session (a nightly run's export after its extract) decides anew.
   */
  public static <T> T forWork(SparkSession spark, long workBytes, long fromBytes, Supplier<T> job) {
    if (workBytes >= fromBytes || !userLeftAlone(spark)) return job.get();
    SMALL_JOB.forEach((k, v) -> spark.conf().set(k, v));
    try {
      return job.get();
    } finally {
      SMALL_JOB.keySet().forEach(k -> spark.conf().unset(k)); // unset before: back to Spark's defaults
    }
  }

  /** The work of a job that reads the whole examples table (export, stats), about as bin/lib/jit.sh counts it. */
  public static long examplesWork(dev.toolcalls.pipeline.lake.Lake lake) {
    return lake.exists(dev.toolcalls.schemas.TableNames.EXAMPLES) ? LOG_BYTES_PER_EXAMPLES_BYTE * lake.sizeBytes(dev.toolcalls.schemas.TableNames.EXAMPLES) : 0;
  }

  /** None of the settings was given (so each holds Spark's default): ours to choose. */
  static boolean userLeftAlone(SparkSession spark) {
    SQLConf conf = spark.sessionState().conf();
    return SMALL_JOB.keySet().stream().noneMatch(conf::contains);
  }
}
