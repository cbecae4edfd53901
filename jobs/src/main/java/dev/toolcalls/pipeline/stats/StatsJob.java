package dev.toolcalls.pipeline.stats;

import static org.apache.spark.sql.functions.col;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.Enrichments;
import dev.toolcalls.pipeline.job.StageTimer;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.privacy.Scrubber;
import dev.toolcalls.pipeline.spark.GeneratedCode;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.StatsSchemas;
import dev.toolcalls.schemas.TableNames;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code stats}: quality, tool, review-coverage and drift statistics of {@code training_examples}
 * (reviews applied: what training uses), written to {@code quality_stats}, {@code tool_stats},
 * {@code enrichment_coverage} and {@code quality_drift}, one Delta commit each.
 *
 * <p>Every statistic comes from the day summaries ({@code stats_day_summaries}): per day, group and
 * value, counts and sums that add up across days, computed in one pass over the view (each example
 * turned into one row per day level it counts at: its day/source/type/task group, its day, each of
 * its tags, each tool it called, each kind of secret found) and one GROUP BY. A run computes again
 * only the days whose examples or reviews changed since the stored summaries ({@link
 * RecomputedDays}: every day the first time), then merges all stored days into every level, rollups
 * over all days included, and rewrites the four tables (days x groups rows, never examples). Only
 * review coverage reads more: the values reviewed examples had before review, joined by id.
 */
public final class StatsJob {
  /** Options; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    /**
     * Also compute again the day summaries of every day from this one on (besides the days that
     * changed, always recomputed). Null: only those.
     */
    public String since;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (since != null) since = dev.toolcalls.pipeline.config.OptionValues.day("--since", since);
      return this;
    }
  }

  /**
   * What a run wrote: the input versions read, which days' summaries it computed again and why,
   * rows per table, the flagged days, time per stage.
   */
  public record Result(String lake, String since, Map<String, Long> inputVersions, String recomputed, Map<String, Long> rowsWritten, List<String> driftDays, Map<String, Double> stageSeconds) {
    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append("stats of ").append(lake).append(" (read ").append(inputVersions).append(")\n");
      sb.append("  day summaries computed again: ").append(recomputed).append('\n');
      rowsWritten.forEach((t, n) -> sb.append(String.format("  %-20s %d rows%n", t, n)));
      sb.append("  drift flagged on ").append(driftDays.isEmpty() ? "no day" : String.join(", ", driftDays)).append('\n');
      sb.append("  stages (s):");
      stageSeconds.forEach((k, v) -> sb.append(String.format(" %s %.2f;", k, v)));
      return sb.append('\n').toString();
    }
  }

  private final SparkSession spark;
  private final DriftThresholds thresholds;
  /** The pseudonym key is read on the driver here and shipped inside the UDFs. */
  private final Scrubber scrubber;
  private final Options options;
  private final long codegenFromBytes;

  public StatsJob(SparkSession spark, PipelineConfig config, Options options) {
    this.spark = spark;
    this.options = options.validate();
    this.thresholds = DriftThresholds.from(config);
    this.scrubber = Scrubber.from(config);
    this.codegenFromBytes = GeneratedCode.fromBytes(config);
  }

  /** The two UDFs of StatsSql: scrubbed labels, and the redaction hits per type in an example's texts. */
  private void registerPrivacy(Scrubber s) {
    spark.udf().register(StatsSql.SCRUB, (UDF1<String, String>) v -> s.text(v, false, null), DataTypes.StringType);
    spark.udf().register(StatsSql.REDACTIONS, (UDF1<scala.collection.Seq<String>, scala.collection.Map<String, Long>>) texts -> {
      Map<String, Long> counts = new java.util.TreeMap<>();
      for (String t : scala.collection.JavaConverters.seqAsJavaList(texts)) s.text(t, false, counts);
      return scala.collection.JavaConverters.mapAsScalaMap(counts);
    }, DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));
  }

  /** The work of the pass: about the log bytes behind the examples of the days it recomputes (see GeneratedCode). */
  private static long passWork(Lake lake, RecomputedDays days) {
    if (days.all()) return GeneratedCode.examplesWork(lake);
    return GeneratedCode.LOG_BYTES_PER_EXAMPLES_BYTE * lake.sizeBytesWhere(TableNames.EXAMPLES, ExamplesSchema.EVENT_DATE, days::covers);
  }

  public Result execute() {
    Lake lake = new Lake(spark, options.lakeDir);
    lake.require(TableNames.EXAMPLES);
    String runId = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + UUID.randomUUID().toString().substring(0, 8);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup(runId, "stats " + options.lakeDir, false);
    StageTimer timer = new StageTimer(spark.sparkContext());
    try {
      Map<String, Long> inputs = inputVersions(lake);
      boolean enrichments = inputs.containsKey(TableNames.ENRICHMENTS);
      // Registered at the versions just read, so every stage below sees the same rows.
      lake.registerTables();
      Enrichments.registerTrainingView(spark, Lake.asOf(TableNames.EXAMPLES, inputs.get(TableNames.EXAMPLES)),
          enrichments ? Lake.asOf(TableNames.ENRICHMENTS, inputs.get(TableNames.ENRICHMENTS)) : null);
      registerPrivacy(scrubber);
      // What the stored summaries must have been computed under to be reused, and what a new commit of them notes.
      String privacy = scrubber.fingerprint();
      // The Delta ids of the tables read: a table deleted and made again starts its versions anew.
      Map<String, String> tableIds = new LinkedHashMap<>();
      for (String t : inputs.keySet()) tableIds.put(t, lake.tableId(t));

      // Generated code or interpreted (see GeneratedCode): the pass by the bytes of the days it
      // reads; all else reads only day summaries (a few rows per day and group), always small
      // work: dozens of small Spark jobs that would otherwise each compile their code (a month's
      // merge and writes in a fresh JVM: 27 -> 20 s).
      RecomputedDays days = timer.time("which days changed",
          () -> GeneratedCode.forWork(spark, 0, codegenFromBytes, () -> RecomputedDays.plan(spark, lake, inputs, privacy, tableIds, options.since)));
      if (!days.none()) {
        timer.time("one pass over training_examples (days to recompute)",
            () -> GeneratedCode.forWork(spark, passWork(lake, days), codegenFromBytes, () -> writeDaySummaries(lake, days, inputs, RecomputedDays.note(runId, inputs, privacy, tableIds))));
      }
      return GeneratedCode.forWork(spark, 0, codegenFromBytes, () -> statistics(lake, inputs, days, runId, timer));
    } finally {
      jsc.clearJobGroup();
    }
  }

  /** Merges the day summaries into every level and writes the four statistics tables from them. */
  private Result statistics(Lake lake, Map<String, Long> inputs, RecomputedDays days, String runId, StageTimer timer) {
    Dataset<Row> levels = null;
    try {
      long summariesVersion = lake.version(TableNames.STATS_DAY_SUMMARIES);
      spark.read().format("delta").option("versionAsOf", summariesVersion).load(lake.path(TableNames.STATS_DAY_SUMMARIES)).createOrReplaceTempView(StatsSql.SUMMARIES_VIEW);
      levels = spark.sql(StatsSql.levels()).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> cached = levels;
      timer.time("merge the day summaries", () -> cached.count());
      levels.createOrReplaceTempView("stats_levels");
      spark.sql(StatsSql.REVIEWED).createOrReplaceTempView("stats_reviewed");

      String note = "{\"run_id\":\"" + runId + "\",\"command\":\"stats\",\"since\":" + (options.since == null ? "null" : "\"" + options.since + "\"")
          + ",\"day_summaries\":" + summariesVersion
          + ",\"input_versions\":{" + inputs.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(",")) + "}}";
      Dataset<Row> drift = spark.sql(StatsSql.drift(thresholds)).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        // Three tables side by side (each write is small: its planning and Delta commit are most of
        // its time), then quality_stats alone: its commit note is what marks the statistics as
        // computed from these input versions (isCurrent), so it goes in only once the others are in.
        Map<String, Long> written = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Runnable> writes = new LinkedHashMap<>();
        writes.put("write " + TableNames.TOOL_STATS, () -> written.put(TableNames.TOOL_STATS, write(lake, TableNames.TOOL_STATS, spark.sql(StatsSql.TOOL_STATS), StatsSchemas.TOOL_STATS, note)));
        writes.put("write " + TableNames.ENRICHMENT_COVERAGE,
            () -> written.put(TableNames.ENRICHMENT_COVERAGE, write(lake, TableNames.ENRICHMENT_COVERAGE, spark.sql(StatsSql.COVERAGE), StatsSchemas.ENRICHMENT_COVERAGE, note)));
        writes.put("write " + TableNames.QUALITY_DRIFT, () -> written.put(TableNames.QUALITY_DRIFT, write(lake, TableNames.QUALITY_DRIFT, drift, StatsSchemas.QUALITY_DRIFT, note)));
        timer.timeSideBySide(writes);
        written.put(TableNames.QUALITY_STATS, timer.time("write " + TableNames.QUALITY_STATS, () -> write(lake, TableNames.QUALITY_STATS, spark.sql(StatsSql.QUALITY_STATS), StatsSchemas.QUALITY_STATS, note)));
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String t : TableNames.STATISTICS) rows.put(t, written.get(t));
        // One row per flagged day: a handful of dates for the summary.
        List<String> flagged = drift.where(col("drift")).orderBy("day").select(col("day").cast("string")).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        return new Result(lake.root(), options.since, inputs, days.toText(), rows, flagged, timer.seconds());
      } finally {
        drift.unpersist();
      }
    } finally {
      if (levels != null) levels.unpersist();
    }
  }

  /**
   * Computes the summaries of the days to recompute from training_examples (and the reviews of
   * those days) and writes them in one commit: the whole table, or in place of those days' rows.
   */
  private Void writeDaySummaries(Lake lake, RecomputedDays days, Map<String, Long> inputs, String note) {
    String which = days.predicate(ExamplesSchema.EVENT_DATE);
    Dataset<Row> rows = spark.sql(StatsSql.daySummaries(which));
    if (inputs.containsKey(TableNames.ENRICHMENTS)) rows = rows.unionByName(spark.sql(StatsSql.dayReviewSummaries(inputs.get(TableNames.EXAMPLES), which)));
    // A few rows per day and group: one file per commit.
    var writer = conform(rows, StatsSchemas.DAY_SUMMARIES).coalesce(1).write().format("delta").mode(lake.replacingMode(TableNames.STATS_DAY_SUMMARIES)).option("userMetadata", note);
    writer = days.all() ? writer.option("overwriteSchema", "true") : writer.option("replaceWhere", days.predicate(StatsSchemas.DAY));
    writer.save(lake.path(TableNames.STATS_DAY_SUMMARIES));
    return null;
  }

  /** The versions of the tables the statistics are computed from (enrichments only when present). */
  public static Map<String, Long> inputVersions(Lake lake) {
    Map<String, Long> v = new LinkedHashMap<>();
    v.put(TableNames.EXAMPLES, lake.version(TableNames.EXAMPLES));
    if (lake.exists(TableNames.ENRICHMENTS)) v.put(TableNames.ENRICHMENTS, lake.version(TableNames.ENRICHMENTS));
    return v;
  }

  /**
   * Whether the statistics tables were last computed, whole, from exactly the current versions of
   * their inputs (read from the commit note of quality_stats, which a run writes last): then a
   * nightly run has nothing to do. A run stopped before quality_stats leaves the note of the run
   * before, whose versions no longer match.
   */
  public static boolean isCurrent(SparkSession spark, Lake lake) {
    for (String t : TableNames.STATISTICS) if (!lake.exists(t)) return false;
    Computed c = lastComputed(spark, lake);
    return c != null && !c.partial() && c.inputVersions().equals(inputVersions(lake));
  }

  /** What the last stats run noted: the input versions it read, and whether it rewrote only days from a {@code --since} day. */
  public record Computed(Map<String, Long> inputVersions, boolean partial) {}

  /** The last stats run's commit note on quality_stats (which must exist), or null when it is not one of ours. */
  public static Computed lastComputed(SparkSession spark, Lake lake) {
    String last = lake.lastNote(TableNames.QUALITY_STATS);
    if (last == null) return null;
    try {
      com.fasterxml.jackson.databind.JsonNode note = new com.fasterxml.jackson.databind.ObjectMapper().readTree(last);
      Map<String, Long> read = new LinkedHashMap<>();
      note.path("input_versions").fields().forEachRemaining(f -> read.put(f.getKey(), f.getValue().asLong()));
      // An older release's --since run rewrote only some days; now every run leaves them all current.
      return new Computed(java.util.Collections.unmodifiableMap(read), !note.path("since").isNull() && !note.has("day_summaries"));
    } catch (java.io.IOException e) {
      return null; // not our note
    }
  }

  /** Writes {@code rows}, in the column order and types of {@code schema}, as the whole table in one Delta commit. */
  private long write(Lake lake, String table, Dataset<Row> rows, StructType schema, String note) {
    Dataset<Row> out = conform(rows, schema).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = out.count();
      // mergeSchema: a table written before a column was added (quality_stats' redaction and token columns) gains it.
      out.coalesce(1).write().format("delta").mode(lake.replacingMode(table)).option("userMetadata", note).option("mergeSchema", "true").save(lake.path(table));
      return n;
    } finally {
      out.unpersist();
    }
  }

  /** The columns of {@code schema}, in its order and types. */
  private static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
    Column[] columns = new Column[schema.size()];
    for (int i = 0; i < columns.length; i++) {
      StructField f = schema.fields()[i];
      columns[i] = col(f.name()).cast(f.dataType()).as(f.name());
    }
    return rows.select(columns);
  }
}
