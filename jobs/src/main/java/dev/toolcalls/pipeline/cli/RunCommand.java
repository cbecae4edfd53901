package dev.toolcalls.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.export.ExportJob;
import dev.toolcalls.pipeline.job.DiffJob;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.job.ExtractResult;
import dev.toolcalls.pipeline.job.StageTimer;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.report.ReportJob;
import dev.toolcalls.pipeline.spark.SparkSessions;
import dev.toolcalls.pipeline.stats.StatsJob;
import dev.toolcalls.schemas.TableNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: the nightly job in one command. Extracts what is new or changed (everything with
 * {@code --full}), then exports the datasets when a table they read has a new version, then
 * recomputes the statistics tables when examples or enrichments changed (and writes the HTML report
 * from them with {@code --report DIR}), and prints one summary: files read, rows added / changed /
 * removed per table, quarantined lines, stages.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
      "The nightly job: extract what is new or changed (with the neighbouring log days), export and stats when a table changed, one summary.",
      "--full reprocesses all history (after a parser or rule change) with the same ids; the summary says what changed, `diff` lists it."
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin InputOptions inputs;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Datasets folder (see export).")
  String out;

  @Option(names = "--full", description = "Reprocess every file, not only what changed.")
  boolean full;

  @Option(names = "--report", paramLabel = "DIR", description = "Also write the HTML report (see report) into DIR, after stats.")
  String report;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    ExtractJob.Options o = new ExtractJob.Options();
    inputs.applyTo(o);
    o.changedOnly = !full;
    o.validate();
    ExportJob.Options e = new ExportJob.Options();
    e.lakeDir = inputs.lake;
    e.outDir = out;
    e.validate();
    StatsJob.Options st = new StatsJob.Options();
    st.lakeDir = inputs.lake;
    st.validate();
    ReportJob.Options rep = null;
    if (report != null) {
      rep = new ReportJob.Options();
      rep.lakeDir = inputs.lake;
      rep.outDir = report;
      rep.validate();
    }
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline run");
    double startup = Summaries.secondsSinceJvmStart();
    Lake l = new Lake(spark, inputs.lake);
    Map<String, Long> before = versions(l);
    ExtractResult extract = new ExtractJob(spark, config, o).execute();
    System.out.print(extract.toText());
    Map<String, Long> after = versions(l);
    System.out.println("  rows per table (against the previous version):");
    // Each table's line needs a table snapshot or two and a small Spark job: side by side, printed in order.
    Map<String, String> lines = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Runnable> counts = new LinkedHashMap<>();
    for (Map.Entry<String, Long> t : after.entrySet()) {
      String table = t.getKey();
      long now = t.getValue();
      Long was = before.get(table);
      if (was != null && was.equals(now)) {
        lines.put(table, String.format("    %-12s unchanged (version %d)", table, now));
      } else if (was == null) {
        // A table created by this run in one commit: its rows are in that commit's file statistics (no Spark job).
        java.util.OptionalLong logged = now == 0 ? l.rowsAddedBy(table, 0) : java.util.OptionalLong.empty();
        if (logged.isPresent()) lines.put(table, created(table, logged.getAsLong(), now));
        else counts.put("count " + table, () -> lines.put(table, created(table, l.read(table).count(), now)));
      } else {
        counts.put("diff " + table, () -> {
          DiffJob.Result d = new DiffJob(spark, inputs.lake, table, was, now, 0).execute();
          lines.put(table, String.format("    %-12s %d added, %d changed, %d removed (version %d -> %d; `diff` lists them)", table, d.added(), d.changed(), d.removed(), was, now));
        });
      }
    }
    new StageTimer(spark.sparkContext()).timeSideBySide(counts);
    for (String t : after.keySet()) System.out.println(lines.get(t));
    Map<String, Long> exported = new LinkedHashMap<>(after);
    exported.keySet().removeAll(TableNames.STATISTICS);
    if (exportIsCurrent(spark, out, exported)) {
      System.out.println("export: up to date with these table versions, not rewritten");
    } else {
      System.out.print(new ExportJob(spark, config, e).execute().toText());
    }
    // Like the export: only when examples or enrichments have a version the statistics were not computed from.
    if (!config.bool("run.stats", true)) {
      System.out.println("stats: not computed (run.stats is false)");
    } else if (StatsJob.isCurrent(spark, l)) {
      System.out.println("stats: up to date with these table versions, not recomputed");
    } else {
      System.out.print(new StatsJob(spark, config, st).execute().toText());
    }
    // Written every time it is asked for (a few seconds, the same bytes when nothing changed), from the statistics as they now are.
    if (rep != null) System.out.print(new ReportJob(spark, config, rep).execute().toText());
    System.out.printf("  start-up (JVM start to Spark session ready): %.2f s%n", startup);
    if (extract.hasFailedFiles()) {
      System.err.println("error: some files could not be read; every other file was processed (see FAILED above)");
      return PipelineCli.EXIT_FAILED;
    }
    return PipelineCli.EXIT_OK;
  }

  private static String created(String table, long rows, long version) {
    return String.format("    %-12s created: %d rows (version %d)", table, rows, version);
  }

  private static Map<String, Long> versions(Lake l) {
    Map<String, Long> v = new LinkedHashMap<>();
    for (String t : l.existingTables()) v.put(t, l.version(t));
    return v;
  }

  /** Whether the datasets under {@code out} were exported from exactly these table versions (default options). */
  private static boolean exportIsCurrent(SparkSession spark, String out, Map<String, Long> versions) {
    // Through Hadoop's FileSystem: the datasets may be on an object store (s3a://...).
    org.apache.hadoop.fs.Path manifest = new org.apache.hadoop.fs.Path(out, "manifest.json");
    try {
      org.apache.hadoop.fs.FileSystem fs = manifest.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.isFile(manifest)) return false;
      JsonNode m;
      try (java.io.InputStream in = fs.open(manifest)) {
        m = new ObjectMapper().readTree(in);
      }
      Map<String, Long> read = new LinkedHashMap<>();
      m.path("table_versions").fields().forEachRemaining(f -> read.put(f.getKey(), f.getValue().asLong()));
      return read.equals(versions) && m.path("options").path("types").isEmpty() && m.path("options").path("sources").isEmpty()
          && !m.path("options").path("include_negatives").asBoolean() && !m.path("options").path("with_reasoning").asBoolean();
    } catch (java.io.IOException ex) {
      return false; // unreadable manifest: export again
    }
  }
}
