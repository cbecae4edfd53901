package dev.toolcalls.schemas;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The statistics tables written by {@code stats} from {@code training_examples}: small, rewritten
 * whole (or from a day on) by each run, never read by exports. Rollup rows have a null {@code day}.
 */
public final class StatsSchemas {
  /** Which level a row of quality_stats / tool_stats aggregates (the {@code grouping} column). */
  public static final String GROUPING = "grouping";
  public static final String DAY = "day";

  // quality_stats levels
  public static final String LEVEL_DAY_SOURCE_TYPE_TASK = "day_source_type_task";
  public static final String LEVEL_DAY = "day";
  public static final String LEVEL_ALL_DAYS = "all_days";
  public static final String LEVEL_TAG = "tag";
  public static final String LEVEL_DAY_TAG = "day_tag";
  /** Secrets and personal data found (and replaced in exports), per type: over all days, and per day. */
  public static final String LEVEL_REDACTION = "redaction";
  public static final String LEVEL_DAY_REDACTION = "day_redaction";
  // tool_stats levels
  public static final String LEVEL_DAY_TOOL = "day_tool";
  public static final String LEVEL_TOOL = "tool";

  public static final List<String> QUALITY_LEVELS = List.of(LEVEL_DAY_SOURCE_TYPE_TASK, LEVEL_DAY, LEVEL_ALL_DAYS, LEVEL_TAG, LEVEL_DAY_TAG, LEVEL_REDACTION, LEVEL_DAY_REDACTION);
  public static final List<String> TOOL_LEVELS = List.of(LEVEL_DAY_TOOL, LEVEL_TOOL);

  /** Buckets of the quality histogram: [0, 0.1), ..., [0.8, 0.9), [0.9, 1.0] (the last one holds 1.0). */
  public static final int HISTOGRAM_BUCKETS = 10;

  /** The day levels a day summary row belongs to, and the reviews of a day (coverage's "before"). */
  public static final List<String> DAY_LEVELS = List.of(LEVEL_DAY_SOURCE_TYPE_TASK, LEVEL_DAY, LEVEL_DAY_TAG, LEVEL_DAY_TOOL, LEVEL_DAY_REDACTION);
  public static final String LEVEL_DAY_REVIEWS = "day_reviews";

  /**
   * What each rollup level (day null) merges: the rows of one day level over every day. Every
   * statistic of a rollup is computed from the day summaries, never from the examples again.
   */
  public static final java.util.Map<String, String> ROLLUP_OF_DAY_LEVEL = java.util.Map.of(
      LEVEL_DAY, LEVEL_ALL_DAYS, LEVEL_DAY_TAG, LEVEL_TAG, LEVEL_DAY_TOOL, LEVEL_TOOL, LEVEL_DAY_REDACTION, LEVEL_REDACTION);

  /**
   * How the day summaries are computed; a summary table noted with another format (an older
   * release) is recomputed whole. Raise it with any change to what a summary row holds or means,
   * or to what their commit note says (2: the Delta ids of every table read, enrichments too).
   */
  public static final int DAY_SUMMARIES_FORMAT = 2;

  /**
   * {@code stats_day_summaries} (internal; the statistics tables are computed from it): per day
   * level, day, group and value ({@code quality} for quality levels, {@code calls} per turn for
   * tool levels), counts and sums that add up across days. Percentiles, minimum, maximum, standard
   * deviation and histogram come exactly from the value counts, so a rollup over all days merges
   * stored day rows and a nightly run recomputes only the days whose examples or reviews changed.
   * {@code day_reviews} rows hold a day's reviewed examples before and after review.
   */
  public static final StructType DAY_SUMMARIES =
      createStructType(
          withLevelKeys(
              createStructField("tool", StringType, true),
              createStructField("redaction_type", StringType, true),
              createStructField("quality", DoubleType, true),
              createStructField("calls", org.apache.spark.sql.types.DataTypes.IntegerType, true),
              createStructField("examples", LongType, false),
              createStructField("errors", LongType, false),
              createStructField("tokens_sum", LongType, true),
              createStructField("tokens_counted", LongType, false),
              createStructField("reviewed", LongType, false),
              createStructField("added", LongType, false),
              createStructField("turns", LongType, false),
              createStructField("call_errors", LongType, true),
              createStructField("retries", LongType, true),
              createStructField("redactions", LongType, true),
              createStructField("changed", LongType, true),
              createStructField("marked_negative", LongType, true),
              createStructField("quality_before_sum", DoubleType, true),
              createStructField("quality_after_sum", DoubleType, true)));

  /** {@code quality_stats}: quality_score of training_examples per level. */
  public static final StructType QUALITY_STATS =
      createStructType(
          withLevelKeys(
              createStructField("examples", LongType, false),
              createStructField("errors", LongType, false),
              createStructField("mean", DoubleType, true),
              createStructField("stddev", DoubleType, true),
              createStructField("min", DoubleType, true),
              createStructField("max", DoubleType, true),
              createStructField("p10", DoubleType, true),
              createStructField("p25", DoubleType, true),
              createStructField("p50", DoubleType, true),
              createStructField("p75", DoubleType, true),
              createStructField("p90", DoubleType, true),
              createStructField("histogram", createArrayType(LongType, false), false),
              // Added with the redaction levels (last, so older tables gain them): the type found
              // (conf/privacy.yaml) and how many hits; examples counts those with at least one.
              createStructField("redaction_type", StringType, true),
              createStructField("redactions", LongType, true),
              // examples.tokens.total summed and averaged over the group's examples (null: none counted)
              createStructField("tokens_sum", LongType, true),
              createStructField("tokens_mean", DoubleType, true)));

  /** {@code tool_stats}: tool calls per day and tool, and per tool over all days. */
  public static final StructType TOOL_STATS =
      createStructType(
          List.of(
              createStructField(GROUPING, StringType, false),
              createStructField(DAY, DateType, true),
              createStructField("tool", StringType, true),
              createStructField("calls", LongType, false),
              createStructField("turns", LongType, false),
              createStructField("errors", LongType, false),
              createStructField("error_rate", DoubleType, true),
              createStructField("retries", LongType, false),
              createStructField("median_calls_per_turn", DoubleType, true)));

  /** {@code enrichment_coverage}: per day, what reviews did to the day's examples. */
  public static final StructType ENRICHMENT_COVERAGE =
      createStructType(
          List.of(
              createStructField(DAY, DateType, false),
              createStructField("examples", LongType, false),
              createStructField("reviewed", LongType, false),
              createStructField("changed", LongType, false),
              createStructField("marked_negative", LongType, false),
              createStructField("added", LongType, false),
              createStructField("mean_quality_before", DoubleType, true),
              createStructField("mean_quality_after", DoubleType, true),
              createStructField("reviewed_mean_quality_before", DoubleType, true),
              createStructField("reviewed_mean_quality_after", DoubleType, true)));

  /** {@code quality_drift}: per day, against the 7 days before it. */
  public static final StructType QUALITY_DRIFT =
      createStructType(
          List.of(
              createStructField(DAY, DateType, false),
              createStructField("examples", LongType, false),
              createStructField("baseline_days", LongType, false),
              createStructField("baseline_examples", LongType, false),
              createStructField("mean_quality", DoubleType, true),
              createStructField("baseline_mean_quality", DoubleType, true),
              createStructField("mean_quality_change", DoubleType, true),
              createStructField("error_rate", DoubleType, true),
              createStructField("baseline_error_rate", DoubleType, true),
              createStructField("error_rate_change", DoubleType, true),
              createStructField("tag_tvd", DoubleType, true),
              createStructField("drift", BooleanType, false),
              createStructField("drift_reasons", createArrayType(StringType, true), false)));

  /** The level and the group columns quality_stats and the day summaries start with, then {@code more}. */
  private static List<org.apache.spark.sql.types.StructField> withLevelKeys(org.apache.spark.sql.types.StructField... more) {
    List<org.apache.spark.sql.types.StructField> fields = new java.util.ArrayList<>(List.of(
        createStructField(GROUPING, StringType, false),
        createStructField(DAY, DateType, true),
        createStructField("source", StringType, true),
        createStructField("example_type", StringType, true),
        createStructField("task_type", StringType, true),
        createStructField("tag", StringType, true)));
    fields.addAll(List.of(more));
    return fields;
  }

  private StatsSchemas() {}
}
