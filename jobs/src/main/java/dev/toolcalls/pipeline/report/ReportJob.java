package dev.toolcalls.pipeline.report;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.stats.DriftThresholds;
import dev.toolcalls.pipeline.stats.StatsJob;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code report}: a static HTML page ({@code index.html}) with PNG charts beside it, drawn from the
 * statistics tables that {@code stats} writes. It computes nothing itself: without those tables it
 * stops (exit 2) and says to run {@code stats} first. The same tables give the same files, byte
 * for byte (no time stamp anywhere; the page names the table versions it read).
 */
public final class ReportJob {
  /** Options; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    /** A local folder (created if missing); index.html and the charts are written into it, replacing those of an earlier report. */
    public String outDir;
    /** How many tags and tools (most examples / calls first) the charts and tables show. */
    public int top = 15;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (outDir == null || outDir.isBlank()) throw new BadInputException("--out is required");
      if (Files.exists(Path.of(outDir)) && !Files.isDirectory(Path.of(outDir))) throw new BadInputException("--out must be a folder, not the file " + outDir);
      if (top < 1 || top > 100) throw new BadInputException("--top must be between 1 and 100, not " + top);
      return this;
    }
  }

  /** What a run wrote (file names, in page order), the rows read from each table, the charts drawn, the table versions read. */
  public record Result(String outDir, List<String> files, Map<String, Long> rowsRead, int charts, Map<String, Long> tableVersions, boolean statsCurrent) {
    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append("report: ").append(Path.of(outDir).resolve("index.html")).append(" with ").append(charts).append(" charts\n");
      sb.append("  read ").append(rowsRead).append(" rows, tables at ").append(tableVersions).append('\n');
      sb.append("  files: ").append(String.join(", ", files)).append('\n');
      if (!statsCurrent) sb.append("  note: the lake changed after the statistics were computed; run `bin/pipeline stats` to refresh them\n");
      return sb.toString();
    }
  }

  private final SparkSession spark;
  private final DriftThresholds thresholds;
  private final Options options;

  public ReportJob(SparkSession spark, PipelineConfig config, Options options) {
    this.spark = spark;
    this.options = options.validate();
    this.thresholds = DriftThresholds.from(config);
  }

  public Result execute() {
    Lake lake = new Lake(spark, options.lakeDir);
    lake.require(TableNames.EXAMPLES);
    for (String t : TableNames.STATISTICS) {
      if (!lake.exists(t)) throw new BadInputException("no " + t + " table in " + lake.root() + ": run `bin/pipeline stats --lake " + options.lakeDir + "` first");
    }
    // Charts are drawn off screen; a machine without a display must not try to open one.
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("report", "report " + options.lakeDir, false);
    try {
      Map<String, Long> versions = new LinkedHashMap<>();
      for (String t : TableNames.STATISTICS) versions.put(t, lake.version(t));
      StatsJob.Computed computed = StatsJob.lastComputed(spark, lake);
      Map<String, Long> current = StatsJob.inputVersions(lake);
      Map<String, Long> from = computed == null ? Map.of() : computed.inputVersions();
      ReportData data = ReportData.read(spark, lake, versions, options.top);
      List<ReportCharts.Figure> figures = ReportCharts.all(data, thresholds);
      String html = ReportPage.render(new ReportPage.Header(options.lakeDir, versions, from, current), data, figures, thresholds);

      Path out = Path.of(options.outDir);
      List<String> files = new ArrayList<>();
      Files.createDirectories(out);
      for (ReportCharts.Figure f : figures) {
        Files.write(out.resolve(f.file()), f.png());
        files.add(f.file());
      }
      Files.writeString(out.resolve("index.html"), html, StandardCharsets.UTF_8);
      files.add(0, "index.html");
      return new Result(out.toString(), List.copyOf(files), data.rowsRead(), figures.size(), versions, from.equals(current));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + options.outDir + ": " + e.getMessage(), e);
    } finally {
      jsc.clearJobGroup();
    }
  }
}
