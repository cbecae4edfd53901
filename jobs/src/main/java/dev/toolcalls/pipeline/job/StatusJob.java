package dev.toolcalls.pipeline.job;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.source.SourceFiles;
import dev.toolcalls.schemas.IngestLogSchema;
import dev.toolcalls.schemas.Sources;
import dev.toolcalls.schemas.TableNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Compares the log folder with ingest_log: one status per daily file (a list of files, not rows). */
public final class StatusJob {
  public static final String EXTRACTED = "extracted";
  public static final String PENDING = "pending";
  public static final String CHANGED = "changed since extracted";
  public static final String FAILED = "failed";
  public static final String SETTLING = "being written (read again next run)";
  public static final String GONE = "deleted from input (rows kept)";

  /** One day's state. Counts are null when the file was never extracted. */
  public record DayStatus(String day, String file, long sizeBytes, String state, Long examples, Long quarantined, String processedAt) {}

  public record Result(List<DayStatus> days, List<String> pending) {}

  private final SparkSession spark;
  private final PipelineConfig config;
  private final String logsDir;
  private final String lakeDir;

  public StatusJob(SparkSession spark, PipelineConfig config, String logsDir, String lakeDir) {
    this.spark = spark;
    this.config = config;
    this.logsDir = logsDir;
    this.lakeDir = lakeDir;
  }

  public Result execute() {
    String pattern = config.string("discord.file_pattern", "conversations_(\\d{4}-\\d{2}-\\d{2})\\.jsonl(\\.gz)?");
    List<InputFile> files = SourceFiles.daily(spark.sparkContext().hadoopConfiguration(), logsDir, pattern, SourceFiles.DaySelection.all());
    Lake lake = new Lake(spark, lakeDir);
    Map<String, Row> ingested = new HashMap<>();
    if (lake.exists(TableNames.INGEST_LOG)) {
      for (Row r : lake.readSmall(TableNames.INGEST_LOG, IngestLogSchema.TABLE)) {
        if (Sources.DISCORD.equals(r.getAs(IngestLogSchema.SOURCE))) ingested.put(r.getAs(IngestLogSchema.SOURCE_FILE), r);
      }
    }
    List<DayStatus> days = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    for (InputFile f : files) {
      Row r = ingested.get(f.relativePath);
      String state;
      if (r == null) {
        state = PENDING;
      } else if (ExtractJob.SETTLING.equals(r.getAs(IngestLogSchema.STATUS))) {
        state = SETTLING;
      } else if (!"ok".equals(r.getAs(IngestLogSchema.STATUS))) {
        state = FAILED;
      } else if ((long) r.getAs(IngestLogSchema.SIZE_BYTES) != f.sizeBytes
          || ((java.sql.Timestamp) r.getAs(IngestLogSchema.MODIFIED_TIME)).getTime() != f.modifiedMillis) {
        state = CHANGED;
      } else {
        state = EXTRACTED;
      }
      if (!EXTRACTED.equals(state)) pending.add(f.day);
      days.add(new DayStatus(f.day, f.relativePath, f.sizeBytes, state,
          r == null ? null : r.getAs(IngestLogSchema.EXAMPLES), r == null ? null : r.getAs(IngestLogSchema.QUARANTINED),
          r == null ? null : String.valueOf(r.<Object>getAs(IngestLogSchema.PROCESSED_AT))));
    }
    // Files extracted before and now gone (in either form): history stays in the tables, flagged here.
    java.util.Set<String> present = new java.util.HashSet<>();
    for (InputFile f : files) present.addAll(SourceFiles.bothForms(f.relativePath));
    ingested.values().stream()
        .filter(r -> !present.contains(r.<String>getAs(IngestLogSchema.SOURCE_FILE)))
        .sorted(java.util.Comparator.comparing(r -> r.<String>getAs(IngestLogSchema.SOURCE_FILE)))
        .forEach(r -> days.add(new DayStatus(SourceFiles.dayOf(r.getAs(IngestLogSchema.SOURCE_FILE), pattern), r.getAs(IngestLogSchema.SOURCE_FILE),
            r.<Long>getAs(IngestLogSchema.SIZE_BYTES), GONE, r.getAs(IngestLogSchema.EXAMPLES), r.getAs(IngestLogSchema.QUARANTINED),
            String.valueOf(r.<Object>getAs(IngestLogSchema.PROCESSED_AT)))));
    days.sort(java.util.Comparator.comparing((DayStatus d) -> String.valueOf(d.day())).thenComparing(DayStatus::file));
    return new Result(days, pending);
  }
}
