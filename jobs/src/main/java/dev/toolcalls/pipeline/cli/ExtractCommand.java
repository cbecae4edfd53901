package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.job.ExtractResult;
import dev.toolcalls.pipeline.source.SourceFiles;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Reads the daily bot logs (conversations_YYYY-MM-DD.jsonl, plain or .gz), the markdown lesson journals and the Claude Code session transcripts given, in one job, and writes the examples, quarantine and ingest_log tables.",
      "Re-running replaces exactly the rows of the files read; example ids stay the same."
    })
public final class ExtractCommand implements Callable<Integer> {
  @Mixin InputOptions inputs;

  @ArgGroup(exclusive = true)
  Days days = new Days();

  static final class Days {
    @Option(names = "--all", description = "Every day in the --logs folder (the default). Journals and sessions are always read whole.")
    boolean all;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Only this day's file.")
    String date;

    @Option(names = "--since", paramLabel = "YYYY-MM-DD", description = "This day's file and every later one.")
    String since;
  }

  @Option(names = "--changed", description = "Only files that are new or changed since the last run (size or time differ, or the last read failed), with the neighbouring days of logs; unchanged files are not read at all. Without it every selected file is read again.")
  boolean changed;

  @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the run summary as JSON to FILE.")
  Path summaryJson;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    ExtractJob.Options o = new ExtractJob.Options();
    inputs.applyTo(o);
    o.changedOnly = changed;
    o.days = selection();
    o.validate();
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline extract");
    double startup = Summaries.secondsSinceJvmStart();
    ExtractResult result = new ExtractJob(spark, config, o).execute();
    System.out.print(result.toText());
    System.out.printf("  start-up (JVM start to Spark session ready): %.2f s%n", startup);
    if (summaryJson != null) Summaries.writeJson(summaryJson, java.util.Map.of("startup_seconds", startup, "extract", result));
    if (result.hasFailedFiles()) {
      System.err.println("error: some files could not be read; every other file was processed (see FAILED above)");
      return 1;
    }
    return 0;
  }

  private SourceFiles.DaySelection selection() {
    if (days.date != null) return SourceFiles.DaySelection.date(day(days.date, "--date"));
    if (days.since != null) return SourceFiles.DaySelection.since(day(days.since, "--since"));
    return SourceFiles.DaySelection.all();
  }

  static String day(String value, String option) {
    return dev.toolcalls.pipeline.config.OptionValues.day(option, value);
  }
}
