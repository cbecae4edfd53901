package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.generate.DiscordLogGenerator;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.job.ExtractResult;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Generates a sample month of bot logs (if absent) and runs the pipeline on it: DIR/logs -> DIR/lake.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "sample-data", description = "Where the sample logs and lake go (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "Days of sample logs (default ${DEFAULT-VALUE}).")
  int days;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    Path logs = dir.resolve("logs");
    if (!hasLogs(logs)) {
      DiscordLogGenerator.Options o = new DiscordLogGenerator.Options();
      o.outDir = logs;
      o.days = days;
      o.start = LocalDate.parse("2026-01-01");
      o.seed = 42;
      o.requestsPerDay = 400;
      DiscordLogGenerator.Result g = new DiscordLogGenerator(o).generate();
      System.out.printf("generated %d days of sample logs (%.1f MB) in %s%n", g.files().size(), g.bytes() / 1e6, logs);
    } else {
      System.out.println("using the sample logs already in " + logs);
    }
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline demo");
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = dir.resolve("lake").toString();
    ExtractResult result = new ExtractJob(spark, config, o).execute();
    System.out.print(result.toText());

    new Lake(spark, o.lakeDir).registerTables();
    String query = "SELECT task_type, example_type, count(*) AS examples, round(avg(quality_score), 3) AS mean_quality FROM examples GROUP BY task_type, example_type ORDER BY examples DESC";
    System.out.println("\n" + query);
    List<Row> rows = SqlCommand.flatten(spark.sql(query)).collectAsList();
    TablePrinter p = new TablePrinter(List.of("task_type", "example_type", "examples", "mean_quality"), 0);
    for (Row r : rows) p.add(List.of(r.getString(0), r.getString(1), r.getString(2), r.getString(3)));
    p.print(System.out);
    System.out.printf("%nTry: bin/pipeline sql --lake %s \"SELECT reason, count(*) FROM quarantine GROUP BY reason\"%n", o.lakeDir);
    return result.hasFailedFiles() ? 1 : 0;
  }

  private static boolean hasLogs(Path logs) throws java.io.IOException {
    if (!Files.isDirectory(logs)) return false;
    try (Stream<Path> s = Files.list(logs)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith("conversations_"));
    }
  }
}
