package dev.toolcalls.pipeline.report;

import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.schemas.StatsSchemas;
import dev.toolcalls.schemas.TableNames;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the report shows, read from the statistics tables at fixed versions. Those tables hold one
 * row per group (a day, a tag, a tool; never one per example), and every query below aggregates
 * them further to at most one row per day and series, so bringing the results to the driver is
 * bounded by the number of days, tags and tools, not by the number of examples.
 */
public record ReportData(
    List<SourceHistogram> histograms,
    List<Day> days,
    List<DayType> dayTypes,
    List<Tag> tags,
    List<Tool> tools,
    List<Coverage> coverage,
    List<Drift> drift,
    Map<String, Long> rowsRead) {

  /** Examples of a source per quality bucket ({@link StatsSchemas#HISTOGRAM_BUCKETS} of 0.1). */
  public record SourceHistogram(String source, List<Long> counts) {
    public long total() {
      return counts.stream().mapToLong(Long::longValue).sum();
    }
  }

  public record Day(LocalDate day, long examples, long errors, Double mean, Double p10, Double p50, Double p90) {}

  public record DayType(LocalDate day, String exampleType, long examples) {}

  public record Tag(String tag, long examples, long errors, Double mean) {
    public double errorRate() {
      return examples == 0 ? 0 : (double) errors / examples;
    }
  }

  public record Tool(String tool, long calls, long turns, long errors, double errorRate, long retries) {}

  public record Coverage(LocalDate day, long examples, long reviewed, long changed, long markedNegative, long added, Double meanBefore, Double meanAfter) {}

  public record Drift(LocalDate day, long examples, long baselineDays, Double meanQuality, Double meanQualityChange, Double errorRate, Double errorRateChange, Double tagTvd,
      boolean drift, List<String> reasons) {}

  /**
   * Reads the four statistics tables, each at the version given (so a stats run committing
   * meanwhile cannot mix two computations into one page); {@code top} tags and tools.
   */
  public static ReportData read(SparkSession spark, Lake lake, Map<String, Long> versions, int top) {
    for (String t : TableNames.STATISTICS) {
      spark.read().format("delta").option("versionAsOf", versions.get(t)).load(lake.path(t)).createOrReplaceTempView("report_" + t);
    }
    Map<String, Long> rowsRead = new LinkedHashMap<>();
    String q = "report_" + TableNames.QUALITY_STATS;
    List<SourceHistogram> histograms = histograms(query(spark, rowsRead, TableNames.QUALITY_STATS,
        "SELECT source, pos, sum(n) FROM " + q + " LATERAL VIEW posexplode(histogram) h AS pos, n WHERE grouping = '" + StatsSchemas.LEVEL_DAY_SOURCE_TYPE_TASK
            + "' GROUP BY source, pos ORDER BY source, pos", r -> r));
    List<Day> days = query(spark, rowsRead, TableNames.QUALITY_STATS,
        "SELECT day, examples, errors, mean, p10, p50, p90 FROM " + q + " WHERE grouping = '" + StatsSchemas.LEVEL_DAY + "' ORDER BY day",
        r -> new Day(date(r, 0), r.getLong(1), r.getLong(2), dbl(r, 3), dbl(r, 4), dbl(r, 5), dbl(r, 6)));
    List<DayType> dayTypes = query(spark, rowsRead, TableNames.QUALITY_STATS,
        "SELECT day, example_type, sum(examples) FROM " + q + " WHERE grouping = '" + StatsSchemas.LEVEL_DAY_SOURCE_TYPE_TASK
            + "' GROUP BY day, example_type ORDER BY day, example_type",
        r -> new DayType(date(r, 0), r.getString(1), r.getLong(2)));
    List<Tag> tags = query(spark, rowsRead, TableNames.QUALITY_STATS,
        "SELECT tag, examples, errors, mean FROM " + q + " WHERE grouping = '" + StatsSchemas.LEVEL_TAG + "' ORDER BY examples DESC, tag LIMIT " + top,
        r -> new Tag(r.getString(0), r.getLong(1), r.getLong(2), dbl(r, 3)));
    List<Tool> tools = query(spark, rowsRead, TableNames.TOOL_STATS,
        "SELECT tool, calls, turns, errors, error_rate, retries FROM report_" + TableNames.TOOL_STATS + " WHERE grouping = '" + StatsSchemas.LEVEL_TOOL
            + "' ORDER BY calls DESC, tool LIMIT " + top,
        r -> new Tool(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), r.isNullAt(4) ? 0 : r.getDouble(4), r.getLong(5)));
    List<Coverage> coverage = query(spark, rowsRead, TableNames.ENRICHMENT_COVERAGE,
        "SELECT day, examples, reviewed, changed, marked_negative, added, mean_quality_before, mean_quality_after FROM report_" + TableNames.ENRICHMENT_COVERAGE + " ORDER BY day",
        r -> new Coverage(date(r, 0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), dbl(r, 6), dbl(r, 7)));
    List<Drift> drift = query(spark, rowsRead, TableNames.QUALITY_DRIFT,
        "SELECT day, examples, baseline_days, mean_quality, mean_quality_change, error_rate, error_rate_change, tag_tvd, drift, drift_reasons FROM report_"
            + TableNames.QUALITY_DRIFT + " ORDER BY day",
        r -> new Drift(date(r, 0), r.getLong(1), r.getLong(2), dbl(r, 3), dbl(r, 4), dbl(r, 5), dbl(r, 6), dbl(r, 7), r.getBoolean(8), List.copyOf(r.<String>getList(9))));
    return new ReportData(histograms, days, dayTypes, tags, tools, coverage, drift, java.util.Collections.unmodifiableMap(rowsRead));
  }

  /** Runs one small query (see the class comment: its result is bounded by days, tags and tools) and maps its rows. */
  private static <T> List<T> query(SparkSession spark, Map<String, Long> rowsRead, String table, String sql, Function<Row, T> map) {
    List<Row> rows = spark.sql(sql).collectAsList();
    rowsRead.merge(table, (long) rows.size(), Long::sum);
    List<T> out = new ArrayList<>(rows.size());
    for (Row r : rows) out.add(map.apply(r));
    return List.copyOf(out);
  }

  private static List<SourceHistogram> histograms(List<Row> rows) {
    Map<String, Long[]> bySource = new LinkedHashMap<>();
    for (Row r : rows) {
      Long[] counts = bySource.computeIfAbsent(r.getString(0), s -> {
        Long[] zero = new Long[StatsSchemas.HISTOGRAM_BUCKETS];
        java.util.Arrays.fill(zero, 0L);
        return zero;
      });
      counts[r.getInt(1)] = r.getLong(2);
    }
    List<SourceHistogram> out = new ArrayList<>();
    bySource.forEach((s, c) -> out.add(new SourceHistogram(s, List.of(c))));
    return List.copyOf(out);
  }

  private static LocalDate date(Row r, int i) {
    return r.getDate(i).toLocalDate();
  }

  private static Double dbl(Row r, int i) {
    return r.isNullAt(i) ? null : r.getDouble(i);
  }
}
