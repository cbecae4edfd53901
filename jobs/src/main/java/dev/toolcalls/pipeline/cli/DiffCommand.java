package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.job.DiffJob;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "What changed in a table between two Delta versions, by key (examples by id): rows added, removed and changed, and the first of them.")
public final class DiffCommand implements Callable<Integer> {
  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Option(names = "--table", paramLabel = "T", defaultValue = "examples", description = "examples (default), quarantine, ingest_log or enrichments.")
  String table;

  @Option(names = "--from", paramLabel = "V1", required = true, description = "The earlier version.")
  long from;

  @Option(names = "--to", paramLabel = "V2", description = "The later version (default: the latest).")
  Long to;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "List at most N changed keys (default 50).")
  int limit;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline diff");
    System.out.print(new DiffJob(spark, lake, table, from, to, limit).execute().toText());
    return 0;
  }
}
