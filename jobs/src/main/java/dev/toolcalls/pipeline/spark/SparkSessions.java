package dev.toolcalls.pipeline.spark;

import dev.toolcalls.pipeline.config.PipelineConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds the one SparkSession of a run from the configuration's spark: section. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * The session for a command. An already running session (spark-submit's, or the tests' shared
   * one) is reused, and then only settings that may change at runtime are applied.
   */
  public static SparkSession getOrCreate(PipelineConfig config, String appName) {
    SparkSession active = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get() : null;
    if (active == null && SparkSession.getDefaultSession().isDefined()) active = SparkSession.getDefaultSession().get();
    if (active != null) return active;
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    for (Map.Entry<String, String> e : config.sparkSettings().entrySet()) {
      // What spark-submit was given (--conf, --driver-memory, spark-defaults.conf: system
      // properties by the time main runs) wins over conf/, as on any cluster.
      if (System.getProperty(e.getKey()) == null) b.config(e.getKey(), e.getValue());
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
