package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.spark.SparkSessions;
import dev.toolcalls.pipeline.stats.StatsJob;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Statistics of training_examples (reviews applied) into quality_stats, tool_stats, enrichment_coverage and quality_drift,",
      "one pass over the examples, one Delta commit per table; drift thresholds in conf (stats.drift)."
    })
public final class StatsCommand implements Callable<Integer> {
  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Option(names = "--since", paramLabel = "YYYY-MM-DD", description = "Rewrite only the day rows from this day on (rollups are recomputed from every day all the same).")
  String since;

  @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the run summary as JSON to FILE (with the JVM's peak heap).")
  Path summaryJson;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    StatsJob.Options o = new StatsJob.Options();
    o.lakeDir = lake;
    o.since = since;
    o.validate();
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline stats");
    double startup = Summaries.secondsSinceJvmStart();
    StatsJob.Result result = new StatsJob(spark, config, o).execute();
    System.out.print(result.toText());
    System.out.printf("  start-up (JVM start to Spark session ready): %.2f s%n", startup);
    if (summaryJson != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("startup_seconds", startup);
      s.put("stats", result);
      s.put("peak_heap_bytes", dev.toolcalls.pipeline.spark.StageMetricsListener.peakHeapBytes());
      s.put("max_heap_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
      Summaries.writeJson(summaryJson, s);
    }
    return 0;
  }
}
