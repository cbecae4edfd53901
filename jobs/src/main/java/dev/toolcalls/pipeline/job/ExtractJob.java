package dev.toolcalls.pipeline.job;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.Enrichments;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.lake.LakeLock;
import dev.toolcalls.pipeline.privacy.Pseudonyms;
import dev.toolcalls.pipeline.rules.RuleColumns;
import dev.toolcalls.pipeline.rules.Rules;
import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.source.SourceFiles;
import dev.toolcalls.pipeline.source.SourceRead;
import dev.toolcalls.pipeline.source.SmallRecords;
import dev.toolcalls.pipeline.source.discord.CrossFileTurns;
import dev.toolcalls.pipeline.source.discord.DiscordReadFunction;
import dev.toolcalls.pipeline.source.discord.DiscordSettings;
import dev.toolcalls.pipeline.source.journal.JournalFiles;
import dev.toolcalls.pipeline.source.journal.JournalParser;
import dev.toolcalls.pipeline.source.journal.JournalReadFunction;
import dev.toolcalls.pipeline.source.session.SessionFiles;
import dev.toolcalls.pipeline.source.session.SessionReadFunction;
import dev.toolcalls.pipeline.source.session.SessionSettings;
import dev.toolcalls.pipeline.spark.GeneratedCode;
import dev.toolcalls.pipeline.spark.HadoopConf;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.IdentitiesSchema;
import dev.toolcalls.schemas.IngestLogSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import dev.toolcalls.schemas.Sources;
import dev.toolcalls.schemas.TableNames;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
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
 * Extraction: reads the input folders (bot logs, journals, Claude sessions), assembles examples
 * and writes the {@code examples}, {@code quarantine} and {@code ingest_log} tables. Each input
 * file is read once, in one task; only the log lines still open at a file's end are shuffled, to
 * a small cross-file pass. The rows of the files read replace, in one commit per table for every
 * source together, exactly the rows those files gave before.
 */
public final class ExtractJob {
  /** What to extract; validated before any Spark work. */
  public static final class Options {
    public String logsDir;
    public String journalsDir;
    public String sessionsDir;
    public String lakeDir;
    /** Which daily log files; journals and sessions are read whole. */
    public SourceFiles.DaySelection days = SourceFiles.DaySelection.all();
    /**
     * Only what is new or changed since the last run (and, for logs, the neighbouring days); the
     * nightly mode. Off: every selected file is read again (a full reprocess).
     */
    public boolean changedOnly;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (logsDir == null && journalsDir == null && sessionsDir == null) {
        throw new BadInputException("nothing to extract: give --logs DIR, --journals DIR and/or --sessions DIR");
      }
      for (String dir : new String[] {logsDir, journalsDir, sessionsDir}) if (dir != null) SourceFiles.checkLocalFolder(dir);
      return this;
    }
  }

  private final SparkSession spark;
  private final PipelineConfig config;
  private final Options options;
  private final long codegenFromBytes;

  public ExtractJob(SparkSession spark, PipelineConfig config, Options options) {
    this.spark = spark;
    this.config = config;
    this.options = options.validate();
    this.codegenFromBytes = GeneratedCode.fromBytes(config);
  }

  public ExtractResult execute() {
    String runId = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + UUID.randomUUID().toString().substring(0, 8);
    Rules rules = Rules.from(config);
    // The pseudonym key is read (or created) here on the driver and travels inside the settings.
    Pseudonyms pseudonyms = Pseudonyms.from(config);
    DiscordSettings discordSettings = DiscordSettings.from(config, rules.tools, pseudonyms);
    StageTimer timer = new StageTimer(spark.sparkContext());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Lake lake = new Lake(spark, options.lakeDir);
    // Held from planning on: what counts as changed is read from ingest_log, which a second run would rewrite.
    LakeLock lock = LakeLock.acquire(lake.root(), "extract " + runId);
    try {
      Map<String, List<String>> gone = new TreeMap<>();
      Map<String, Integer> unchanged = new TreeMap<>();
      List<Row> sameContent = new ArrayList<>();
      jsc.setJobGroup(runId, "extract: planning", false);
      Planner planner = new Planner(jsc, new HadoopConf(spark.sparkContext().hadoopConfiguration()), gone, unchanged, sameContent);
      List<SourceRead> reads = timer.time("plan", () -> plan(lake, rules, discordSettings, pseudonyms, planner));
      jsc.setJobGroup(runId, "extract " + reads.stream().map(r -> r.source() + " " + r.input()).collect(Collectors.joining(", ")), false);
      RuleColumns.register(spark, rules);
      String note = "{\"run_id\":\"" + runId + "\",\"command\":\"extract\",\"rules_version\":\"" + rules.version + "\"}";
      // A small input (a night of a small bot) runs interpreted: compiling Spark's code would cost more than running it.
      long inputBytes = reads.stream().flatMap(r -> r.files().stream()).mapToLong(f -> f.sizeBytes).sum();
      List<ExtractResult.SourceSummary> summaries = reads.isEmpty() ? List.of()
          : GeneratedCode.forWork(spark, inputBytes, codegenFromBytes, () -> extract(jsc, lake, reads, discordSettings, rules, runId, note, timer, planner));
      if (reads.isEmpty() && !sameContent.isEmpty()) timer.time("ingest_log", () -> recordIngest(lake, List.of(), Map.of(), Map.of(), sameContent, rules.version, runId, note));
      Map<String, Long> versions = timer.time("versions", () -> {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String t : lake.existingTables()) v.put(t, lake.version(t));
        return v;
      });
      // Only a run that wrote examples can orphan a review; a run with nothing new skips the Spark job.
      Long orphans = !reads.isEmpty() && lake.exists(TableNames.ENRICHMENTS) ? timer.time("orphans", () -> Enrichments.orphans(lake).count()) : null;
      return new ExtractResult(runId, lake.root(), rules.version, summaries, timer.seconds(), versions, orphans, gone, unchanged);
    } finally {
      jsc.clearJobGroup();
      lock.close();
    }
  }

  /**
   * The first pass of each source given, its files listed (on the driver: a list of files, never of
   * rows). Files ingest_log knows that are gone from a whole-folder listing are put in {@code gone};
   * in a nightly run, files whose time moved but whose content hash did not are not read, and their
   * refreshed ingest_log rows are put in {@code sameContent}.
   */
  private List<SourceRead> plan(Lake lake, Rules rules, DiscordSettings discordSettings, Pseudonyms pseudonyms, Planner planner) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    HadoopConf hadoopConf = planner.hadoopConf;
    // ingest_log read once for every source (on the driver, no Spark job).
    planner.seenBySource.putAll(ChangedFiles.lastSeen(lake));
    List<SourceRead> reads = new ArrayList<>();
    if (options.logsDir != null) {
      List<InputFile> files = planner.toRead(Sources.DISCORD, SourceFiles.daily(hadoop, options.logsDir, discordSettings.filePattern, options.days), true, options.days.isAll());
      if (!files.isEmpty()) reads.add(new SourceRead(Sources.DISCORD, options.logsDir, files, new DiscordReadFunction(discordSettings, hadoopConf), ExamplesSchema.EXTRACTED));
    }
    if (options.journalsDir != null) {
      List<InputFile> files = planner.toRead(Sources.JOURNAL, SourceFiles.matching(hadoop, options.journalsDir, JournalFiles::isJournal, "*.md journals"), false, true);
      String commandTool = rules.tools.commandTools().get(0);
      JournalParser.Settings settings = new JournalParser.Settings(commandTool, rules.tools.commandArgument());
      if (!files.isEmpty()) reads.add(new SourceRead(Sources.JOURNAL, options.journalsDir, files, new JournalReadFunction(settings, hadoopConf), ExamplesSchema.PARSED));
    }
    if (options.sessionsDir != null) {
      List<InputFile> files = planner.toRead(Sources.CLAUDE_SESSION, SourceFiles.matching(hadoop, options.sessionsDir, SessionFiles::isSession, "Claude Code transcripts (*.jsonl)"), false, true);
      SessionSettings settings = SessionSettings.from(config, rules.tools, pseudonyms);
      if (!files.isEmpty()) reads.add(new SourceRead(Sources.CLAUDE_SESSION, options.sessionsDir, files, new SessionReadFunction(settings, hadoopConf), ExamplesSchema.PARSED));
    }
    if (reads.isEmpty() && !options.changedOnly) throw new BadInputException("nothing to extract: give --logs DIR, --journals DIR and/or --sessions DIR");
    return reads;
  }

  /** The same planning steps for every source: what is gone, what only moved in time, what to read. */
  private final class Planner {
    private final JavaSparkContext jsc;
    private final HadoopConf hadoopConf;
    private final Map<String, Map<String, ChangedFiles.Seen>> seenBySource = new HashMap<>();
    /** The daily files listed (for the neighbours a nightly run may still need after its first pass). */
    private List<InputFile> dailyListing = List.of();
    private final Map<String, List<String>> gone;
    private final Map<String, Integer> unchanged;
    private final List<Row> sameContent;

    Planner(JavaSparkContext jsc, HadoopConf hadoopConf, Map<String, List<String>> gone, Map<String, Integer> unchanged, List<Row> sameContent) {
      this.jsc = jsc;
      this.hadoopConf = hadoopConf;
      this.gone = gone;
      this.unchanged = unchanged;
      this.sameContent = sameContent;
    }

    /**
     * The listed files this run reads: all of them, or in a nightly run the changed ones (with their
     * neighbour days for daily logs). Files ingest_log knows that a whole listing lacks go to {@code gone}.
     */
    List<InputFile> toRead(String source, List<InputFile> listed, boolean daily, boolean wholeListing) {
      Map<String, ChangedFiles.Seen> seen = new HashMap<>(seenBySource.getOrDefault(source, Map.of()));
      if (wholeListing) {
        List<String> missing = ChangedFiles.gone(listed, seen, daily);
        if (!missing.isEmpty()) gone.put(source, missing);
      }
      if (daily) dailyListing = listed;
      if (!options.changedOnly) return listed;
      sameContent.addAll(ChangedFiles.sameContent(jsc, hadoopConf, ChangedFiles.timeMovedOnly(listed, seen), seen));
      if (daily) seenBySource.put(source, seen); // with the refreshed times, for the neighbours read later
      List<InputFile> files = daily ? ChangedFiles.selectWithJoined(listed, seen) : ChangedFiles.select(listed, seen);
      unchanged.put(source, listed.size() - files.size());
      return files;
    }

    /**
     * Nightly runs, after the first pass over logs: the listed days not read yet that a file read
     * may share a turn with (see ChangedFiles.neighboursNeeded); counted out of the unchanged ones.
     */
    List<InputFile> neighboursNeeded(Set<String> read, List<FileReport> reports) {
      if (!options.changedOnly) return List.of();
      List<InputFile> more = ChangedFiles.neighboursNeeded(dailyListing, read, reports, seenBySource.getOrDefault(Sources.DISCORD, Map.of()));
      if (!more.isEmpty()) unchanged.merge(Sources.DISCORD, -more.size(), Integer::sum);
      return more;
    }
  }


  private List<ExtractResult.SourceSummary> extract(
      JavaSparkContext jsc, Lake lake, List<SourceRead> reads, DiscordSettings discordSettings, Rules rules, String runId, String note, StageTimer timer, Planner planner) {
    List<Row> sameContent = planner.sameContent;
    // First pass: one task per file, every byte read once; the result is kept for the writes below.
    StorageLevel cacheLevel = StorageLevel.fromString(config.string("extract.cache_level", "MEMORY_AND_DISK"));
    Map<String, JavaRDD<ExtractRecord>> firstPass = new LinkedHashMap<>();
    for (SourceRead r : reads) firstPass.put(r.source(), jsc.parallelize(r.files(), r.files().size()).flatMap(r.reader()).persist(cacheLevel));
    List<JavaRDD<ExtractRecord>> cached = new ArrayList<>(firstPass.values());
    try {
      JavaRDD<ExtractRecord> everyFirstPass = cached.size() == 1 ? cached.get(0) : jsc.union(cached.toArray(new JavaRDD[0]));
      List<FileReport> reports = new ArrayList<>(timer.time("read+assemble", () -> everyFirstPass.filter(r -> r.kind == ExtractRecord.Kind.REPORT).map(r -> r.report).collect()));
      reads = readNeighboursNeeded(jsc, reads, firstPass, cached, reports, planner, cacheLevel, timer);

      // A file that could not be read to its end gives nothing: its rows are left as they were.
      Map<String, Set<String>> failed = new HashMap<>();
      for (FileReport r : reports) if (r.error != null) failed.computeIfAbsent(r.source, s -> new HashSet<>()).add(r.file.relativePath);
      Map<String, List<String>> written = new LinkedHashMap<>();
      for (SourceRead r : reads) {
        Set<String> bad = failed.getOrDefault(r.source(), Set.of());
        written.put(r.source(), r.files().stream().map(f -> f.relativePath).filter(f -> !bad.contains(f)).toList());
      }
      Map<String, List<String>> replaced = replacedNames(written);

      Map<String, Long> examplesPerFile = new TreeMap<>();
      Map<String, Long> deferredPerFile = new TreeMap<>();
      Set<String> joined = new HashSet<>(); // kind + separator + file, for the files of cross-file turns
      Map<String, Map<String, Long>> quarantinePerFile = new TreeMap<>();
      List<JavaRDD<?>> alsoCached = new ArrayList<>();
      try {
        List<Dataset<Row>> examplesBySource = new ArrayList<>();
        List<JavaRDD<ExtractRecord>> kept = new ArrayList<>();
        for (SourceRead r : reads) {
          if (written.get(r.source()).isEmpty()) continue;
          Set<String> bad = failed.getOrDefault(r.source(), Set.of());
          JavaRDD<ExtractRecord> records = bad.isEmpty() ? firstPass.get(r.source()) : firstPass.get(r.source()).filter(x -> !bad.contains(x.sourceFile));
          if (Sources.DISCORD.equals(r.source())) {
            java.util.Set<String> settling = r.files().stream().filter(f -> discordSettings.isSettling(f.modifiedMillis)).map(f -> f.relativePath).collect(Collectors.toSet());
            JavaRDD<ExtractRecord> crossFile = crossFileTurns(jsc, records, discordSettings, settling, r.files().size());
            alsoCached.add(crossFile);
            records = records.union(crossFile);
          }
          kept.add(records);
          examplesBySource.add(RuleColumns.apply(internalDataFrame(records.filter(x -> x.kind == ExtractRecord.Kind.EXAMPLE).map(x -> x.row), r.exampleSchema())));
        }
        if (!kept.isEmpty()) {
          JavaRDD<ExtractRecord> all = kept.size() == 1 ? kept.get(0) : jsc.union(kept.toArray(new JavaRDD[0]));
          Dataset<Row> examples = examplesBySource.stream().reduce(Dataset::unionByName).orElseThrow();
          // Everything but the examples, folded small in one pass over the first pass (see SmallRecords).
          JavaRDD<ExtractRecord> small = all.mapPartitions(new SmallRecords()).persist(StorageLevel.MEMORY_AND_DISK());
          alsoCached.add(small);
          Dataset<Row> quarantine = internalDataFrame(small.filter(x -> x.kind == ExtractRecord.Kind.QUARANTINE).map(x -> x.row), QuarantineSchema.TABLE);
          // mergeSchema on examples: a lake from before user_key / validation / tokens existed gets the columns on its next run.
          Map<String, Runnable> writes = new LinkedHashMap<>();
          writes.put("write examples", () -> lake.replaceFileRows(TableNames.EXAMPLES, examples, ExamplesSchema.PARTITION_COLUMNS, ExamplesSchema.STATS_COLUMNS, replaced, note, true));
          writes.put("write quarantine", () -> lake.replaceFileRows(TableNames.QUARANTINE, quarantine, QuarantineSchema.PARTITION_COLUMNS, QuarantineSchema.STATS_COLUMNS, replaced, note));
          writes.put("write identities", () -> lake.replaceFileRows(TableNames.IDENTITIES, identities(small), IdentitiesSchema.PARTITION_COLUMNS, IdentitiesSchema.STATS_COLUMNS, replaced, note));
          // Side by side: the small ones, and each write's cold-JVM planning and Delta commit, overlap
          // the large one (a 1.3 MB extract: about 1 s less than quarantine and identities one after the other).
          timer.timeSideBySide(writes);

          // Counted from the small records the writes above read (no re-read of any table, nor of the
          // large first pass); folded counts are summed across the partitions that hold a file's records.
          timer.time("count", () -> small.filter(x -> x.kind != ExtractRecord.Kind.PEOPLE_SEEN)
              .mapToPair(x -> new Tuple2<>(countKey(x), x.kind == ExtractRecord.Kind.EXAMPLES_COUNTED ? x.row.getLong(2) : 1L))
              .reduceByKey(Long::sum).collectAsMap().forEach((k, n) -> {
                String[] part = k.split(KEY_SEPARATOR, -1);
                switch (ExtractRecord.Kind.valueOf(part[0])) {
                  case EXAMPLES_COUNTED -> examplesPerFile.put(key(part[1], part[2]), n);
                  case QUARANTINE -> quarantinePerFile.computeIfAbsent(key(part[1], part[2]), f -> new TreeMap<>()).put(part[3], n);
                  case DEFERRED -> deferredPerFile.put(part[1], n);
                  default -> joined.add(key(part[0], part[1])); // the cross-file markers
                }
              }));
        }
      } finally {
        for (JavaRDD<?> rdd : alsoCached) rdd.unpersist(true);
      }
      // Lines of turns still open in a file being written: reported, and every file holding such a line
      // is logged as settling, so it is read again next run even if it has itself stopped changing
      // (a turn that started in a finished day and goes on in today's file being written). The files of
      // turns assembled across files are flagged, so a nightly run that reads one reads the other too.
      for (FileReport r : reports) {
        if (!Sources.DISCORD.equals(r.source)) continue;
        r.joinedWithNext = joined.contains(ExtractRecord.Kind.JOINED_WITH_NEXT + KEY_SEPARATOR + r.file.relativePath);
        r.joinedWithPrevious = joined.contains(ExtractRecord.Kind.JOINED_WITH_PREVIOUS + KEY_SEPARATOR + r.file.relativePath);
        Long deferred = deferredPerFile.get(r.file.relativePath);
        if (deferred == null) continue;
        r.details.merge("open_turn_lines_left_for_next_run", deferred, Long::sum);
        r.settling = true;
      }
      timer.time("ingest_log", () -> recordIngest(lake, reports, examplesPerFile, quarantinePerFile, sameContent, rules.version, runId, note));
      return summaries(reads, reports, examplesPerFile, quarantinePerFile);
    } finally {
      for (JavaRDD<ExtractRecord> rdd : cached) rdd.unpersist(true);
    }
  }

  /**
   * A nightly run reads the changed days first, then only the neighbouring days a turn may join them
   * with (until none is left): the day before a file holding lines whose request it lacks, the day
   * after a file with turns still open at its end. A new day with neither costs no neighbour at all.
   */
  private List<SourceRead> readNeighboursNeeded(JavaSparkContext jsc, List<SourceRead> reads, Map<String, JavaRDD<ExtractRecord>> firstPass,
      List<JavaRDD<ExtractRecord>> cached, List<FileReport> reports, Planner planner, StorageLevel cacheLevel, StageTimer timer) {
    List<SourceRead> out = new ArrayList<>(reads);
    for (int i = 0; i < out.size(); i++) {
      SourceRead r = out.get(i);
      if (!Sources.DISCORD.equals(r.source())) continue;
      List<InputFile> files = new ArrayList<>(r.files());
      List<FileReport> newReports = reports.stream().filter(x -> Sources.DISCORD.equals(x.source)).toList();
      for (List<InputFile> more; !(more = planner.neighboursNeeded(files.stream().map(f -> f.relativePath).collect(Collectors.toSet()), newReports)).isEmpty(); ) {
        JavaRDD<ExtractRecord> extra = jsc.parallelize(more, more.size()).flatMap(r.reader()).persist(cacheLevel);
        cached.add(extra);
        newReports = timer.time("read neighbours", () -> extra.filter(x -> x.kind == ExtractRecord.Kind.REPORT).map(x -> x.report).collect());
        reports.addAll(newReports);
        firstPass.put(r.source(), firstPass.get(r.source()).union(extra));
        files.addAll(more);
      }
      out.set(i, new SourceRead(r.source(), r.input(), files, r.reader(), r.exampleSchema()));
    }
    return out;
  }

  /**
   * The identities table's rows of the files read: one per person and file (first and last
   * request, examples), from the readers' IDENTITY records as SmallRecords folded them per person
   * and file in each partition, summed here across partitions (a few rows per file shuffled).
   * Replaced per file like every table, so a re-run never adds them twice.
   */
  private Dataset<Row> identities(JavaRDD<ExtractRecord> small) {
    Dataset<Row> seen = internalDataFrame(small.filter(x -> x.kind == ExtractRecord.Kind.PEOPLE_SEEN).map(x -> x.row), IdentitiesSchema.TABLE);
    return seen.groupBy(IdentitiesSchema.USER_KEY, IdentitiesSchema.SOURCE, IdentitiesSchema.SOURCE_FILE, IdentitiesSchema.USER_ID, IdentitiesSchema.USERNAME)
        .agg(org.apache.spark.sql.functions.min("first_seen").as("first_seen"), org.apache.spark.sql.functions.max("last_seen").as("last_seen"),
            org.apache.spark.sql.functions.coalesce(org.apache.spark.sql.functions.sum("examples"), org.apache.spark.sql.functions.lit(0L)).as("examples"));
  }

  /**
   * The names whose rows a run replaces: the files read, and for daily logs also the other form of
   * each (plain or .gz), so that compressing a day after it was extracted does not keep its rows
   * twice under the same ids.
   */
  private static Map<String, List<String>> replacedNames(Map<String, List<String>> filesBySource) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    filesBySource.forEach((source, files) -> out.put(source, Sources.DISCORD.equals(source)
        ? files.stream().flatMap(f -> SourceFiles.bothForms(f).stream()).distinct().toList()
        : files));
    return out;
  }

  /** The second, small pass: the log lines of turns still open at their file's end, grouped by request id. */
  private static JavaRDD<ExtractRecord> crossFileTurns(JavaSparkContext jsc, JavaRDD<ExtractRecord> records, DiscordSettings settings, Set<String> settlingFiles, int files) {
    int partitions = Math.max(1, Math.min(files, jsc.defaultParallelism()));
    return records
        .filter(r -> r.kind == ExtractRecord.Kind.HAND_OVER)
        .mapToPair(r -> new Tuple2<>(r.row.getUTF8String(0).toString(), r.row))
        .groupByKey(partitions)
        .flatMap(new CrossFileTurns(settings, settlingFiles))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** ingest_log status of a file still being written: not "ok", so the next run reads it again. */
  static final String SETTLING = "settling";

  private static final String KEY_SEPARATOR = "\u0000";

  /**
   * What a small record is counted under: its kind, then examples by source and file, quarantined
   * lines by source, file and reason, and the other kinds by file.
   */
  private static String countKey(ExtractRecord x) {
    return switch (x.kind) {
      case EXAMPLES_COUNTED -> key(x.kind, key(x.row.getUTF8String(0), x.row.getUTF8String(1)));
      case QUARANTINE -> key(x.kind, key(key(x.row.getUTF8String(0), x.row.getUTF8String(1)), x.row.getUTF8String(3)));
      default -> key(x.kind, x.sourceFile);
    };
  }

  private static String key(Object source, Object file) {
    return source + KEY_SEPARATOR + file;
  }

  private static List<ExtractResult.SourceSummary> summaries(List<SourceRead> reads, List<FileReport> reports, Map<String, Long> examplesPerFile, Map<String, Map<String, Long>> quarantinePerFile) {
    List<ExtractResult.SourceSummary> out = new ArrayList<>();
    for (SourceRead read : reads) {
      long bytes = 0, lines = 0, blank = 0, dups = 0, unknown = 0, examples = 0;
      Map<String, Long> details = new TreeMap<>();
      List<String> failedList = new ArrayList<>();
      Map<String, Long> byReason = new TreeMap<>();
      for (FileReport r : reports) {
        if (!r.source.equals(read.source())) continue;
        bytes += r.bytesRead;
        lines += r.lines;
        blank += r.blankLines;
        dups += r.duplicateLines;
        unknown += r.unknownFields;
        r.details.forEach((k, n) -> details.merge(k, n, Long::sum));
        if (r.error != null) {
          failedList.add(r.file.relativePath + ": " + r.error);
          continue;
        }
        String k = key(r.source, r.file.relativePath);
        examples += examplesPerFile.getOrDefault(k, 0L);
        quarantinePerFile.getOrDefault(k, Map.of()).forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
      }
      failedList.sort(null);
      out.add(new ExtractResult.SourceSummary(read.source(), read.input(), read.files().size(), failedList, bytes, lines, blank, dups, unknown, examples, byReason, details));
    }
    return out;
  }

  /**
   * A DataFrame over rows already in Spark's internal form, skipping the per-field conversion that
   * createDataFrame(Row) pays. internalCreateDataFrame is Scala package-private, hence public to Java.
   */
  private Dataset<Row> internalDataFrame(JavaRDD<org.apache.spark.sql.catalyst.InternalRow> rows, org.apache.spark.sql.types.StructType schema) {
    return spark.internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /** One ingest_log row per file read (and per file found unchanged by its hash), replacing that file's previous row. */
  private void recordIngest(Lake lake, List<FileReport> reports, Map<String, Long> examples, Map<String, Map<String, Long>> quarantine, List<Row> sameContent, String rulesVersion, String runId, String note) {
    Timestamp now = Timestamp.from(Instant.now());
    // A same-content file read anyway (as a changed file's neighbour) gets its row from that read only.
    Set<String> read = new HashSet<>();
    for (FileReport r : reports) read.add(key(r.source, r.file.relativePath));
    List<Row> refreshed = sameContent.stream().filter(r -> !read.contains(key(r.getAs(IngestLogSchema.SOURCE), r.getAs(IngestLogSchema.SOURCE_FILE)))).toList();
    List<Row> rows = new ArrayList<>(refreshed);
    Map<String, List<String>> filesBySource = new LinkedHashMap<>();
    for (Row r : refreshed) filesBySource.computeIfAbsent(r.getAs(IngestLogSchema.SOURCE), s -> new ArrayList<>()).add(r.getAs(IngestLogSchema.SOURCE_FILE));
    for (FileReport r : reports) {
      String f = r.file.relativePath;
      String k = key(r.source, f);
      long q = quarantine.getOrDefault(k, Map.of()).values().stream().mapToLong(Long::longValue).sum();
      rows.add(RowFactory.create(
          r.source, f, r.file.sizeBytes, new Timestamp(r.file.modifiedMillis), r.lines,
          r.error == null ? examples.getOrDefault(k, 0L) : 0L, r.error == null ? q : 0L,
          r.error != null ? "failed" : r.settling ? SETTLING : "ok", r.error != null ? r.error : r.settling ? "still being written: read again next run" : null,
          rulesVersion, runId, now, r.error == null ? r.contentHash : null, r.joinedWithNext, r.joinedWithPrevious));
      filesBySource.computeIfAbsent(r.source, s -> new ArrayList<>()).add(f);
    }
    filesBySource = replacedNames(filesBySource);
    // mergeSchema: a lake from before content_hash existed gets the column on its next run.
    lake.replaceFileRows(TableNames.INGEST_LOG, spark.createDataFrame(rows, IngestLogSchema.TABLE), IngestLogSchema.PARTITION_COLUMNS, IngestLogSchema.STATS_COLUMNS, filesBySource, note, true);
  }
}
