package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.report.ReportJob;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "A static HTML report (index.html and its PNG charts) from the statistics tables: quality per source and per day, examples per day,",
      "top tags and tools with error rates, review coverage, drift flags. Run `stats` first."
    })
public final class ReportCommand implements Callable<Integer> {
  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for index.html and the charts (created if missing; an earlier report's files are replaced).")
  String out;

  @Option(names = "--top", paramLabel = "N", defaultValue = "15", description = "Tags and tools shown (most used first; default ${DEFAULT-VALUE}).")
  int top;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    ReportJob.Options o = new ReportJob.Options();
    o.lakeDir = lake;
    o.outDir = out;
    o.top = top;
    o.validate();
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline report");
    System.out.print(new ReportJob(spark, config, o).execute().toText());
    return PipelineCli.EXIT_OK;
  }
}
