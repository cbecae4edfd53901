package dev.toolcalls.pipeline.job;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.rules.RuleColumns;
import dev.toolcalls.pipeline.rules.Rules;
import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.source.SourceFiles;
import dev.toolcalls.pipeline.source.discord.CrossFileTurns;
import dev.toolcalls.pipeline.source.discord.DiscordReadFunction;
import dev.toolcalls.pipeline.source.discord.DiscordSettings;
import dev.toolcalls.pipeline.spark.HadoopConf;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.IngestLogSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import dev.toolcalls.schemas.Sources;
import dev.toolcalls.schemas.TableNames;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Extraction: reads the input folders, assembles examples and writes the {@code examples},
 * {@code quarantine} and {@code ingest_log} tables. Each input file is read once, in one task; only
 * the lines still open at a file's end are shuffled, to a small cross-file pass. The rows of the
 * files read replace, in one commit per table, exactly the rows those files gave before.
 */
public final class ExtractJob {
  /** What to extract; validated before any Spark work. */
  public static final class Options {
    public String logsDir;
    public String lakeDir;
    public SourceFiles.DaySelection days = SourceFiles.DaySelection.all();

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (logsDir == null) throw new BadInputException("nothing to extract: give --logs DIR");
      SourceFiles.checkLocalFolder(logsDir);
      return this;
    }
  }

  private final SparkSession spark;
  private final PipelineConfig config;
  private final Options options;

  public ExtractJob(SparkSession spark, PipelineConfig config, Options options) {
    this.spark = spark;
    this.config = config;
    this.options = options.validate();
  }

  public ExtractResult execute() {
    String runId = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + UUID.randomUUID().toString().substring(0, 8);
    Rules rules = Rules.from(config);
    DiscordSettings settings = DiscordSettings.from(config, rules.tools);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<InputFile> files = SourceFiles.daily(hadoop, options.logsDir, settings.filePattern, options.days);
    StageTimer timer = new StageTimer(spark.sparkContext());

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup(runId, "extract " + options.logsDir, false);
    RuleColumns.register(spark, rules);
    Lake lake = new Lake(spark, options.lakeDir);
    String note = "{\"run_id\":\"" + runId + "\",\"command\":\"extract\",\"rules_version\":\"" + rules.version + "\"}";
    try {
      ExtractResult.SourceSummary discord = extractDiscord(jsc, lake, files, settings, rules, runId, note, timer);
      Map<String, Long> versions = timer.time("versions", () -> {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String t : lake.existingTables()) v.put(t, lake.version(t));
        return v;
      });
      return new ExtractResult(runId, lake.root(), rules.version, List.of(discord), timer.seconds(), versions);
    } finally {
      jsc.clearJobGroup();
    }
  }

  private ExtractResult.SourceSummary extractDiscord(
      JavaSparkContext jsc, Lake lake, List<InputFile> files, DiscordSettings settings, Rules rules, String runId, String note, StageTimer timer) {
    // First pass: one task per file, every byte read once; the result is kept for the writes below.
    JavaRDD<ExtractRecord> firstPass =
        jsc.parallelize(files, files.size()).flatMap(new DiscordReadFunction(settings, new HadoopConf(jsc.hadoopConfiguration())))
            .persist(StorageLevel.fromString(config.string("extract.cache_level", "MEMORY_AND_DISK")));
    try {
      List<FileReport> reports = timer.time("read+assemble", () -> firstPass.filter(r -> r.kind == ExtractRecord.Kind.REPORT).map(r -> r.report).collect());
      Set<String> failed = new HashSet<>();
      for (FileReport r : reports) if (r.error != null) failed.add(r.file.relativePath);
      List<String> written = new ArrayList<>();
      for (InputFile f : files) if (!failed.contains(f.relativePath)) written.add(f.relativePath);

      JavaRDD<ExtractRecord> kept = failed.isEmpty() ? firstPass : firstPass.filter(r -> !failed.contains(r.sourceFile));
      int crossPartitions = Math.max(1, Math.min(files.size(), jsc.defaultParallelism()));
      JavaRDD<ExtractRecord> crossFile =
          kept.filter(r -> r.kind == ExtractRecord.Kind.HAND_OVER)
              .mapToPair(r -> new Tuple2<>(r.row.getUTF8String(0).toString(), r.row))
              .groupByKey(crossPartitions)
              .flatMap(new CrossFileTurns(settings))
              .persist(StorageLevel.MEMORY_AND_DISK());
      Map<String, Long> examplesPerFile = new TreeMap<>();
      Map<String, Map<String, Long>> quarantinePerFile = new TreeMap<>();
      Map<String, Long> quarantineByReason = new TreeMap<>();
      try {
        if (!written.isEmpty()) {
          JavaRDD<ExtractRecord> all = kept.union(crossFile);
          Dataset<Row> examples = RuleColumns.apply(internalDataFrame(all.filter(r -> r.kind == ExtractRecord.Kind.EXAMPLE).map(r -> r.row), ExamplesSchema.EXTRACTED));
          Dataset<Row> quarantine = internalDataFrame(all.filter(r -> r.kind == ExtractRecord.Kind.QUARANTINE).map(r -> r.row), QuarantineSchema.TABLE);
          // The two writes are independent: run them side by side, so that the small one and the
          // counts overlap the large one (and their cold-JVM planning and code generation too).
          // A thread of this run's own: it inherits the run's Spark job group (a pooled one would not).
          ExecutorService writer = Executors.newSingleThreadExecutor();
          try {
            CompletableFuture<Void> examplesWrite = CompletableFuture.runAsync(() -> timer.time("write examples",
                () -> lake.replaceFileRows(TableNames.EXAMPLES, examples, ExamplesSchema.PARTITION_COLUMNS, ExamplesSchema.STATS_COLUMNS, Sources.DISCORD, written, note)), writer);
            try {
              timer.time("write quarantine", () -> lake.replaceFileRows(TableNames.QUARANTINE, quarantine, QuarantineSchema.PARTITION_COLUMNS, QuarantineSchema.STATS_COLUMNS, Sources.DISCORD, written, note));
            } finally {
              join(examplesWrite);
            }
          } finally {
            writer.shutdown();
          }

          // Counted from the same cached records that were written: no re-read of any table.
          timer.time("count", () -> {
            all.filter(r -> r.kind == ExtractRecord.Kind.EXAMPLE).map(r -> r.row.getUTF8String(2).toString()).countByValue().forEach(examplesPerFile::put);
            all.filter(r -> r.kind == ExtractRecord.Kind.QUARANTINE).map(r -> r.row.getUTF8String(1) + "\u0000" + r.row.getUTF8String(3)).countByValue().forEach((k, n) -> {
              String[] fileReason = k.split("\u0000", 2);
              quarantinePerFile.computeIfAbsent(fileReason[0], f -> new TreeMap<>()).put(fileReason[1], n);
              quarantineByReason.merge(fileReason[1], n, Long::sum);
            });
          });
        }
      } finally {
        crossFile.unpersist(true);
      }
      timer.time("ingest_log", () -> recordIngest(lake, reports, examplesPerFile, quarantinePerFile, rules.version, runId, note));

      long bytes = 0, lines = 0, blank = 0, dups = 0, unknown = 0;
      for (FileReport r : reports) {
        bytes += r.bytesRead;
        lines += r.lines;
        blank += r.blankLines;
        dups += r.duplicateLines;
        unknown += r.unknownFields;
      }
      List<String> failedList = new ArrayList<>();
      for (FileReport r : reports) if (r.error != null) failedList.add(r.file.relativePath + ": " + r.error);
      long examplesWritten = examplesPerFile.values().stream().mapToLong(Long::longValue).sum();
      return new ExtractResult.SourceSummary(Sources.DISCORD, options.logsDir, files.size(), failedList, bytes, lines, blank, dups, unknown, examplesWritten, quarantineByReason);
    } finally {
      firstPass.unpersist(true);
    }
  }

  /** Waits for a write; its failure becomes this thread's, unwrapped, so exit codes stay right. */
  private static void join(CompletableFuture<Void> write) {
    try {
      write.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
      if (e.getCause() instanceof Error) throw (Error) e.getCause();
      throw e;
    }
  }

  /**
   * A DataFrame over rows already in Spark's internal form, skipping the per-field conversion that
   * createDataFrame(Row) pays. internalCreateDataFrame is Scala package-private, hence public to Java.
   */
  private Dataset<Row> internalDataFrame(JavaRDD<org.apache.spark.sql.catalyst.InternalRow> rows, org.apache.spark.sql.types.StructType schema) {
    return spark.internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /** One ingest_log row per file read, replacing that file's previous row. */
  private void recordIngest(Lake lake, List<FileReport> reports, Map<String, Long> examples, Map<String, Map<String, Long>> quarantine, String rulesVersion, String runId, String note) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (FileReport r : reports) {
      String f = r.file.relativePath;
      long q = quarantine.getOrDefault(f, Map.of()).values().stream().mapToLong(Long::longValue).sum();
      rows.add(RowFactory.create(
          r.source, f, r.file.sizeBytes, new Timestamp(r.file.modifiedMillis), r.lines,
          r.error == null ? examples.getOrDefault(f, 0L) : 0L, r.error == null ? q : 0L,
          r.error == null ? "ok" : "failed", r.error, rulesVersion, runId, now));
    }
    List<String> files = reports.stream().map(r -> r.file.relativePath).toList();
    lake.replaceFileRows(TableNames.INGEST_LOG, spark.createDataFrame(rows, IngestLogSchema.TABLE), IngestLogSchema.PARTITION_COLUMNS, IngestLogSchema.STATS_COLUMNS, Sources.DISCORD, files, note);
  }
}
