package dev.toolcalls.pipeline.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.Enrichments;
import dev.toolcalls.pipeline.job.StageTimer;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.privacy.Scrubber;
import dev.toolcalls.pipeline.spark.GeneratedCode;
import dev.toolcalls.schemas.StatsSchemas;
import dev.toolcalls.schemas.TableNames;
import io.delta.tables.DeltaTable;
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
import org.apache.spark.sql.SaveMode;
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
 * <p>Every statistic comes from one pass over the view: each example is turned into one row per
 * level it counts at (its day/source/type/task group, its day, all days, each of its tags, each
 * tool it called) and a single GROUP BY aggregates them. The result has one row per group (days x
 * groups, never examples) and everything after it works on that. Only review coverage reads more:
 * the values reviewed examples had before review, joined by id to the (few) reviewed rows.
 */
public final class StatsJob {
  /** Options; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    /**
     * Rewrite only the day rows from this day on (the rollups are rewritten too, recomputed from
     * every day: percentiles cannot be merged from stored ones). Null: every row.
     */
    public String since;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (since != null) since = dev.toolcalls.pipeline.config.OptionValues.day("--since", since);
      return this;
    }
  }

  /** What a run wrote: rows per table, the input versions read, the flagged days, time per stage. */
  public record Result(String lake, String since, Map<String, Long> inputVersions, Map<String, Long> rowsWritten, List<String> driftDays, Map<String, Double> stageSeconds) {
    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append("stats of ").append(lake).append(" (read ").append(inputVersions).append(since == null ? "" : "; day rows from " + since).append(")\n");
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

  public Result execute() {
    return GeneratedCode.forWork(spark, GeneratedCode.examplesWork(new Lake(spark, options.lakeDir)), codegenFromBytes, this::compute);
  }

  private Result compute() {
    Lake lake = new Lake(spark, options.lakeDir);
    lake.require(TableNames.EXAMPLES);
    String runId = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + UUID.randomUUID().toString().substring(0, 8);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup(runId, "stats " + options.lakeDir, false);
    StageTimer timer = new StageTimer(spark.sparkContext());
    Dataset<Row> levels = null;
    try {
      Map<String, Long> inputs = inputVersions(lake);
      boolean enrichments = inputs.containsKey(TableNames.ENRICHMENTS);
      // Registered at the versions just read, so every stage below sees the same rows.
      lake.registerTables();
      Enrichments.registerTrainingView(spark, Lake.asOf(TableNames.EXAMPLES, inputs.get(TableNames.EXAMPLES)),
          enrichments ? Lake.asOf(TableNames.ENRICHMENTS, inputs.get(TableNames.ENRICHMENTS)) : null);

      registerPrivacy(scrubber);
      levels = spark.sql(StatsSql.levels()).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> cached = levels;
      long groups = timer.time("one pass over training_examples", () -> cached.count());
      levels.createOrReplaceTempView("stats_levels");
      Dataset<Row> reviewed = enrichments
          ? timer.time("reviewed: before and after", () -> spark.sql(StatsSql.reviewedByDay(inputs.get(TableNames.EXAMPLES))).persist(StorageLevel.MEMORY_AND_DISK()))
          : spark.sql(StatsSql.NO_REVIEWS);
      reviewed.createOrReplaceTempView("stats_reviewed");

      String note = "{\"run_id\":\"" + runId + "\",\"command\":\"stats\",\"since\":" + (options.since == null ? "null" : "\"" + options.since + "\"")
          + ",\"input_versions\":{" + inputs.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(",")) + "}}";
      Dataset<Row> drift = spark.sql(StatsSql.drift(thresholds)).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        // Three tables side by side (each write is small: its planning and Delta commit are most of
        // its time), then quality_stats alone: its commit note is what marks the statistics as
        // computed from these input versions (isCurrent), so it goes in only once the others are in.
        Map<String, Long> written = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Runnable> writes = new LinkedHashMap<>();
        writes.put("write " + TableNames.TOOL_STATS, () -> written.put(TableNames.TOOL_STATS, write(lake, TableNames.TOOL_STATS, spark.sql(StatsSql.TOOL_STATS), StatsSchemas.TOOL_STATS, true, note)));
        writes.put("write " + TableNames.ENRICHMENT_COVERAGE,
            () -> written.put(TableNames.ENRICHMENT_COVERAGE, write(lake, TableNames.ENRICHMENT_COVERAGE, spark.sql(StatsSql.COVERAGE), StatsSchemas.ENRICHMENT_COVERAGE, false, note)));
        writes.put("write " + TableNames.QUALITY_DRIFT, () -> written.put(TableNames.QUALITY_DRIFT, write(lake, TableNames.QUALITY_DRIFT, drift, StatsSchemas.QUALITY_DRIFT, false, note)));
        timer.timeSideBySide(writes);
        written.put(TableNames.QUALITY_STATS, timer.time("write " + TableNames.QUALITY_STATS, () -> write(lake, TableNames.QUALITY_STATS, spark.sql(StatsSql.QUALITY_STATS), StatsSchemas.QUALITY_STATS, true, note)));
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String t : TableNames.STATISTICS) rows.put(t, written.get(t));
        // One row per flagged day: a handful of dates for the summary.
        List<String> flagged = sinceFilter(drift, false).where(col("drift")).orderBy("day").select(col("day").cast("string")).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        if (enrichments) reviewed.unpersist();
        return new Result(lake.root(), options.since, inputs, rows, flagged, timer.seconds());
      } finally {
        drift.unpersist();
      }
    } finally {
      if (levels != null) levels.unpersist();
      jsc.clearJobGroup();
    }
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
    Row last = DeltaTable.forPath(spark, lake.path(TableNames.QUALITY_STATS)).history(1).select("userMetadata").first();
    if (last.isNullAt(0)) return null;
    try {
      com.fasterxml.jackson.databind.JsonNode note = new com.fasterxml.jackson.databind.ObjectMapper().readTree(last.getString(0));
      Map<String, Long> read = new LinkedHashMap<>();
      note.path("input_versions").fields().forEachRemaining(f -> read.put(f.getKey(), f.getValue().asLong()));
      return new Computed(java.util.Collections.unmodifiableMap(read), !note.path("since").isNull());
    } catch (java.io.IOException e) {
      return null; // not our note
    }
  }

  /**
   * Writes {@code rows}, in the column order and types of {@code schema}, in one Delta commit: the
   * whole table, or with {@code --since} only the day rows from that day on ({@code replaceWhere};
   * with {@code rollups}, the rows of no day too).
   */
  private long write(Lake lake, String table, Dataset<Row> rows, StructType schema, boolean rollups, String note) {
    Column[] columns = new Column[schema.size()];
    for (int i = 0; i < columns.length; i++) {
      StructField f = schema.fields()[i];
      columns[i] = col(f.name()).cast(f.dataType()).as(f.name());
    }
    Dataset<Row> out = sinceFilter(rows.select(columns), rollups).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = out.count();
      // mergeSchema: a table written before a column was added (quality_stats' redaction and token columns) gains it.
      var writer = out.coalesce(1).write().format("delta").mode(SaveMode.Overwrite).option("userMetadata", note).option("mergeSchema", "true");
      if (options.since != null && lake.exists(table)) writer = writer.option("replaceWhere", sincePredicate(rollups));
      writer.save(lake.path(table));
      return n;
    } finally {
      out.unpersist();
    }
  }

  private Dataset<Row> sinceFilter(Dataset<Row> rows, boolean rollups) {
    return options.since == null ? rows : rows.where(expr(sincePredicate(rollups)));
  }

  private String sincePredicate(boolean rollups) {
    return "day >= DATE'" + options.since + "'" + (rollups ? " OR day IS NULL" : "");
  }
}
