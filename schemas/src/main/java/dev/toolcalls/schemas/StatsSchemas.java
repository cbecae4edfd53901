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

  /**
   * Accuracy passed to {@code percentile_approx}: the rank of a returned percentile is within
   * n / ACCURACY of the exact one (relative error 1/10000); a group of fewer than 10000 examples
   * gets the exact value (an element of the group).
   */
  public static final int PERCENTILE_ACCURACY = 10_000;

  /** {@code quality_stats}: quality_score of training_examples per level. */
  public static final StructType QUALITY_STATS =
      createStructType(
          List.of(
              createStructField(GROUPING, StringType, false),
              createStructField(DAY, DateType, true),
              createStructField("source", StringType, true),
              createStructField("example_type", StringType, true),
              createStructField("task_type", StringType, true),
              createStructField("tag", StringType, true),
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

  private StatsSchemas() {}
}
