package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.job.StatusJob;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Per day: whether its log file is extracted (and unchanged since), how many examples and quarantined lines it gave, and which days are pending.")
public final class StatusCommand implements Callable<Integer> {
  @Option(names = "--logs", paramLabel = "DIR", required = true, description = "Folder of daily log files.")
  String logs;

  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline status");
    StatusJob.Result r = new StatusJob(spark, config, logs, lake).execute();
    TablePrinter p = new TablePrinter(List.of("day", "file", "size_mb", "state", "examples", "quarantined", "processed_at"), 0);
    for (StatusJob.DayStatus d : r.days()) {
      p.add(List.of(String.valueOf(d.day()), d.file(), String.format("%.2f", d.sizeBytes() / 1e6), d.state(),
          d.examples() == null ? "" : String.valueOf(d.examples()), d.quarantined() == null ? "" : String.valueOf(d.quarantined()),
          d.processedAt() == null ? "" : d.processedAt()));
    }
    p.print(System.out);
    System.out.printf("%d days: %d extracted, %d pending%s%n", r.days().size(), r.days().size() - r.pending().size(), r.pending().size(),
        r.pending().isEmpty() ? "" : " (" + String.join(", ", r.pending()) + ")");
    dev.toolcalls.pipeline.lake.Lake l = new dev.toolcalls.pipeline.lake.Lake(spark, lake);
    if (l.exists(dev.toolcalls.schemas.TableNames.ENRICHMENTS) && l.exists(dev.toolcalls.schemas.TableNames.EXAMPLES)) {
      long reviews = l.read(dev.toolcalls.schemas.TableNames.ENRICHMENTS).count();
      long orphans = dev.toolcalls.pipeline.enrich.Enrichments.orphans(l).count();
      System.out.printf("enrichments: %d rows, %d orphaned reviews (their example is gone; `enrich orphans` lists them)%n", reviews, orphans);
    }
    return 0;
  }
}
