package dev.toolcalls.pipeline.stats;

import static dev.toolcalls.schemas.StatsSchemas.HISTOGRAM_BUCKETS;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_ALL_DAYS;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_SOURCE_TYPE_TASK;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_REDACTION;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_TAG;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_TOOL;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_REDACTION;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_TAG;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_TOOL;
import static dev.toolcalls.schemas.StatsSchemas.PERCENTILE_ACCURACY;

import dev.toolcalls.schemas.StatsSchemas;
import dev.toolcalls.schemas.TableNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The statistics as Spark SQL. {@link #levels()} is the one pass over {@code training_examples};
 * the other statements read its (small) result, registered as {@code stats_levels}, and the
 * per-day review figures, {@code stats_reviewed}.
 */
final class StatsSql {
  private StatsSql() {}

  /**
   * UDFs (registered by StatsJob): a label with secrets and people scrubbed as in exports (tags,
   * tools and task types come from the logs, so a statistic never holds what an export would not),
   * and the hits per type in an example's texts (see Scrubber).
   */
  static final String SCRUB = "privacy_scrub";
  static final String REDACTIONS = "privacy_redactions";

  /** The fields of a level row, and their types (a level sets some, the others are typed nulls). */
  private static final Map<String, String> LEVEL_FIELDS = new LinkedHashMap<>();

  static {
    for (String f : new String[] {"grouping", "day:DATE", "source", "example_type", "task_type", "tag", "tool", "q:DOUBLE", "failed:BOOLEAN",
        "reviewed:BOOLEAN", "added:BOOLEAN", "calls:INT", "call_errors:INT", "retries:INT", "tokens:BIGINT", "redaction_type", "hits:BIGINT"}) {
      String[] p = f.split(":");
      LEVEL_FIELDS.put(p[0], p.length > 1 ? p[1] : "STRING");
    }
  }

  /** A {@code named_struct} of every level field: those given, the others null. */
  private static String level(String grouping, String... given) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("grouping", "'" + grouping + "'");
    for (String g : given) values.put(g.contains("=") ? g.substring(0, g.indexOf('=')) : g, g.contains("=") ? g.substring(g.indexOf('=') + 1) : g);
    return "named_struct(" + LEVEL_FIELDS.entrySet().stream()
        .map(f -> "'" + f.getKey() + "', " + values.getOrDefault(f.getKey(), "CAST(NULL AS " + f.getValue() + ")"))
        .collect(Collectors.joining(", ")) + ")";
  }

  /**
   * One row per group of every level, from one scan of training_examples. Each example becomes a
   * row at each level it counts at (like GROUPING SETS, whose Expand would copy every tag and tool
   * row into every set, most of which it does not belong to), then one GROUP BY. Retries: calls
   * of a tool repeating an earlier call's arguments in the same turn (arguments compared by their
   * 64-bit hash, which keeps the rows small).
   */
  static String levels() {
    String[] example = {"q", "failed", "reviewed", "added", "tokens=tokens_total"};
    String[] tag = {"tag=tg", "q", "failed", "tokens=tokens_total"};
    String[] tool = {"tool=t.tool", "calls=size(t.calls)", "call_errors=size(filter(t.calls, c -> c.is_error))",
        "retries=size(t.calls) - size(array_distinct(transform(t.calls, c -> c.args)))"};
    String[] redaction = {"redaction_type=r.key", "hits=r.value", "q", "failed"};
    String rows = "SELECT inline(concat(array("
        + level(LEVEL_DAY_SOURCE_TYPE_TASK, with(example, "day", "source", "example_type", "task_type")) + ", "
        + level(LEVEL_DAY, with(example, "day")) + ", "
        + level(LEVEL_ALL_DAYS, example) + "), "
        + "transform(tags, tg -> " + level(LEVEL_TAG, tag) + "), "
        + "transform(tags, tg -> " + level(LEVEL_DAY_TAG, with(tag, "day")) + "), "
        + "transform(tools, t -> " + level(LEVEL_DAY_TOOL, with(tool, "day")) + "), "
        + "transform(tools, t -> " + level(LEVEL_TOOL, tool) + "), "
        + "transform(redactions, r -> " + level(LEVEL_REDACTION, redaction) + "), "
        + "transform(redactions, r -> " + level(LEVEL_DAY_REDACTION, with(redaction, "day")) + ")))"
        + " FROM (SELECT *, transform(array_distinct(transform(calls, c -> c.tool)), name -> named_struct('tool', name, 'calls', filter(calls, c -> c.tool <=> name))) AS tools"
        + " FROM (SELECT event_date AS day, source, example_type, " + SCRUB + "(task_type) AS task_type, quality_score AS q, outcome = 'error' AS failed,"
        + " reviewed AND source <> 'review' AS reviewed, source = 'review' AS added, transform(coalesce(tags, array()), x -> " + SCRUB + "(x)) AS tags, CAST(tokens.total AS BIGINT) AS tokens_total,"
        + " transform(coalesce(tool_calls, array()), c -> named_struct('tool', " + SCRUB + "(c.tool), 'args', xxhash64(c.arguments), 'is_error', coalesce(c.is_error, false))) AS calls,"
        + " map_entries(" + REDACTIONS + "(concat(array(user_message, game_state, context, response_text, reasoning, problem, root_cause, bad_code, good_code, error),"
        + " flatten(transform(coalesce(tool_calls, array()), c -> array(c.arguments, c.result)))))) AS redactions"
        + " FROM " + TableNames.TRAINING_EXAMPLES + "))";
    String histogram = IntStream.range(0, HISTOGRAM_BUCKETS).mapToObj(b -> "count_if(bucket = " + b + ")").collect(Collectors.joining(", "));
    return "SELECT grouping, day, source, example_type, task_type, tag, tool, redaction_type, sum(hits) AS redactions,"
        + " count(q) AS examples, count_if(failed) AS errors, sum(tokens) AS tokens_sum, avg(tokens) AS tokens_mean, sum(q) AS quality_sum, avg(q) AS mean, stddev_samp(q) AS stddev, min(q) AS min, max(q) AS max,"
        + " percentile_approx(q, array(0.1, 0.25, 0.5, 0.75, 0.9), " + PERCENTILE_ACCURACY + ") AS percentiles,"
        + " array(" + histogram + ") AS histogram,"
        + " count_if(reviewed) AS reviewed, count_if(added) AS added, sum(CASE WHEN NOT added THEN q END) AS kept_quality_sum,"
        + " count(calls) AS turns, sum(calls) AS calls, sum(call_errors) AS call_errors, sum(retries) AS retries,"
        + " percentile_approx(calls, 0.5, " + PERCENTILE_ACCURACY + ") AS median_calls"
        // bucket b holds [b/10, (b+1)/10); the last also 1.0
        + " FROM (SELECT *, CAST(least(" + (HISTOGRAM_BUCKETS - 1) + ", greatest(0, floor(q * " + HISTOGRAM_BUCKETS + "))) AS INT) AS bucket FROM (" + rows + "))"
        + " GROUP BY grouping, day, source, example_type, task_type, tag, tool, redaction_type";
  }

  static final String QUALITY_STATS =
      "SELECT grouping, day, source, example_type, task_type, tag, examples, errors, mean, stddev, min, max,"
          + " percentiles[0] AS p10, percentiles[1] AS p25, percentiles[2] AS p50, percentiles[3] AS p75, percentiles[4] AS p90, histogram,"
          + " redaction_type, redactions, tokens_sum, tokens_mean"
          + " FROM stats_levels WHERE grouping IN (" + quoted(StatsSchemas.QUALITY_LEVELS) + ")";

  static final String TOOL_STATS =
      "SELECT grouping, day, tool, calls, turns, call_errors AS errors, call_errors / calls AS error_rate, retries, median_calls AS median_calls_per_turn"
          + " FROM stats_levels WHERE grouping IN (" + quoted(StatsSchemas.TOOL_LEVELS) + ")";

  /**
   * Per day of the reviewed examples (added ones apart): how many, how many a review changed
   * (quality, type or tags differ from the example's: what selection and statistics see; a review
   * that only adds text is reviewed, not changed), how many it made negative, and their quality
   * before (the {@code examples} row) and after. The reviewed rows are few (one per review), so
   * they are broadcast and {@code examples} is streamed past them once, read at the same version.
   */
  static String reviewedByDay(long examplesVersion) {
    return "SELECT /*+ BROADCAST(a) */ a.day, count(*) AS reviewed,"
        + " count_if(NOT (a.q <=> b.q) OR NOT (a.example_type <=> b.example_type) OR NOT (a.tags <=> array_sort(array_distinct(b.tags)))) AS changed,"
        + " count_if(a.example_type = 'negative' AND NOT (b.example_type <=> 'negative')) AS marked_negative,"
        + " sum(b.q) AS before_sum, sum(a.q) AS after_sum"
        + " FROM (SELECT id, event_date AS day, quality_score AS q, example_type, tags FROM " + TableNames.TRAINING_EXAMPLES + " WHERE reviewed AND source <> 'review') a"
        + " JOIN (SELECT id, quality_score AS q, example_type, tags FROM " + dev.toolcalls.pipeline.lake.Lake.asOf(TableNames.EXAMPLES, examplesVersion) + ") b"
        + " ON a.id = b.id GROUP BY a.day";
  }

  static final String NO_REVIEWS =
      "SELECT CAST(NULL AS DATE) AS day, 0L AS reviewed, 0L AS changed, 0L AS marked_negative, CAST(NULL AS DOUBLE) AS before_sum, CAST(NULL AS DOUBLE) AS after_sum WHERE false";

  /** Means over the day's examples (added ones apart); "before" puts back the reviewed ones' original scores. */
  static final String COVERAGE =
      "SELECT l.day, l.examples - l.added AS examples, l.reviewed, coalesce(r.changed, 0) AS changed, coalesce(r.marked_negative, 0) AS marked_negative, l.added,"
          + " (l.kept_quality_sum - coalesce(r.after_sum, 0) + coalesce(r.before_sum, 0)) / (l.examples - l.added) AS mean_quality_before,"
          + " l.kept_quality_sum / (l.examples - l.added) AS mean_quality_after,"
          + " r.before_sum / r.reviewed AS reviewed_mean_quality_before, r.after_sum / r.reviewed AS reviewed_mean_quality_after"
          + " FROM stats_levels l LEFT JOIN stats_reviewed r ON l.day = r.day WHERE l.grouping = '" + LEVEL_DAY + "'";

  /**
   * Each day against the {@code baselineDays} calendar days before it, pooled (the baseline mean is
   * over all their examples): the change of the mean quality and of the error rate (share of
   * examples whose outcome is {@code error}), and the total variation distance between the day's tag
   * mix and the baseline's (each a distribution over tag occurrences: half the sum of the absolute
   * differences of the shares, 0 same mix, 1 no tag in common). A day with no baseline day gets
   * nulls and no flag.
   */
  static String drift(DriftThresholds t) {
    String window = "p.day >= date_sub(d.day, " + t.baselineDays() + ") AND p.day < d.day";
    return "WITH d AS (SELECT day, examples, errors, quality_sum FROM stats_levels WHERE grouping = '" + LEVEL_DAY + "'),"
        + " b AS (SELECT d.day, count(p.day) AS baseline_days, coalesce(sum(p.examples), 0) AS baseline_examples, sum(p.errors) AS baseline_errors,"
        + "   sum(p.quality_sum) AS baseline_quality_sum FROM d LEFT JOIN d p ON " + window + " GROUP BY d.day),"
        + " tags AS (SELECT day, tag, examples AS n FROM stats_levels WHERE grouping = '" + LEVEL_DAY_TAG + "'),"
        + " base_tags AS (SELECT d.day, p.tag, sum(p.n) AS n FROM d JOIN tags p ON " + window + " GROUP BY d.day, p.tag),"
        + " share AS (SELECT day, tag, n / sum(n) OVER (PARTITION BY day) AS p FROM tags),"
        + " base_share AS (SELECT day, tag, n / sum(n) OVER (PARTITION BY day) AS p FROM base_tags),"
        + " tvd AS (SELECT coalesce(s.day, b.day) AS day, 0.5 * sum(abs(coalesce(s.p, 0) - coalesce(b.p, 0))) AS tag_tvd"
        + "   FROM share s FULL OUTER JOIN base_share b ON s.day = b.day AND s.tag = b.tag GROUP BY 1 HAVING count(b.tag) > 0),"
        + " m AS (SELECT d.day, d.examples, b.baseline_days, b.baseline_examples, d.quality_sum / d.examples AS mean_quality,"
        + "   b.baseline_quality_sum / b.baseline_examples AS baseline_mean_quality, d.errors / d.examples AS error_rate,"
        + "   b.baseline_errors / b.baseline_examples AS baseline_error_rate, tvd.tag_tvd"
        + "   FROM d JOIN b ON d.day = b.day LEFT JOIN tvd ON tvd.day = d.day),"
        + " c AS (SELECT *, mean_quality - baseline_mean_quality AS mean_quality_change, error_rate - baseline_error_rate AS error_rate_change FROM m),"
        + " r AS (SELECT *, filter(array("
        + "   IF(abs(mean_quality_change) > " + t.meanQualityChange() + ", 'mean_quality', NULL),"
        + "   IF(abs(error_rate_change) > " + t.errorRateChange() + ", 'error_rate', NULL),"
        + "   IF(tag_tvd > " + t.tagTvd() + ", 'tag_mix', NULL)), x -> x IS NOT NULL) AS drift_reasons FROM c)"
        + " SELECT *, size(drift_reasons) > 0 AS drift FROM r";
  }

  private static String[] with(String[] fields, String... more) {
    String[] out = java.util.Arrays.copyOf(more, more.length + fields.length);
    System.arraycopy(fields, 0, out, more.length, fields.length);
    return out;
  }

  private static String quoted(java.util.List<String> values) {
    return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
  }
}
