package dev.toolcalls.pipeline.stats;

import static dev.toolcalls.schemas.StatsSchemas.HISTOGRAM_BUCKETS;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_SOURCE_TYPE_TASK;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_REDACTION;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_TAG;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_TOOL;
import static dev.toolcalls.schemas.StatsSchemas.LEVEL_DAY_REVIEWS;

import dev.toolcalls.schemas.StatsSchemas;
import dev.toolcalls.schemas.TableNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The statistics as Spark SQL. {@link #daySummaries} is the one pass over {@code training_examples}
 * (for the days to recompute); {@link #levels()} merges the stored day summaries into every level;
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

  /** The group columns of every level (a level sets some, the others are null). */
  private static final String KEYS = "grouping, day, source, example_type, task_type, tag, tool, redaction_type";

  /**
   * The day summary rows ({@code StatsSchemas.DAY_SUMMARIES}) of the examples whose
   * {@code event_date} meets {@code days} (SQL over {@code event_date}), from one scan of
   * training_examples. Each example becomes a row at each day level it counts at (like GROUPING
   * SETS, whose Expand would copy every tag and tool row into every set, most of which it does
   * not belong to), then one GROUP BY per group and value. Retries: calls of a tool repeating an
   * earlier call's arguments in the same turn (arguments compared by their 64-bit hash, which
   * keeps the rows small).
   */
  static String daySummaries(String days) {
    String[] example = {"q", "failed", "reviewed", "added", "tokens=tokens_total"};
    String[] tag = {"tag=tg", "q", "failed", "tokens=tokens_total"};
    String[] tool = {"tool=t.tool", "calls=size(t.calls)", "call_errors=size(filter(t.calls, c -> c.is_error))",
        "retries=size(t.calls) - size(array_distinct(transform(t.calls, c -> c.args)))"};
    String[] redaction = {"redaction_type=r.key", "hits=r.value", "q", "failed"};
    String rows = "SELECT inline(concat(array("
        + level(LEVEL_DAY_SOURCE_TYPE_TASK, with(example, "day", "source", "example_type", "task_type")) + ", "
        + level(LEVEL_DAY, with(example, "day")) + "), "
        + "transform(tags, tg -> " + level(LEVEL_DAY_TAG, with(tag, "day")) + "), "
        + "transform(tools, t -> " + level(LEVEL_DAY_TOOL, with(tool, "day")) + "), "
        + "transform(redactions, r -> " + level(LEVEL_DAY_REDACTION, with(redaction, "day")) + ")))"
        + " FROM (SELECT *, transform(array_distinct(transform(calls, c -> c.tool)), name -> named_struct('tool', name, 'calls', filter(calls, c -> c.tool <=> name))) AS tools"
        + " FROM (SELECT event_date AS day, source, example_type, " + SCRUB + "(task_type) AS task_type, quality_score AS q, outcome = 'error' AS failed,"
        + " reviewed AND source <> 'review' AS reviewed, source = 'review' AS added, transform(coalesce(tags, array()), x -> " + SCRUB + "(x)) AS tags, CAST(tokens.total AS BIGINT) AS tokens_total,"
        + " transform(coalesce(tool_calls, array()), c -> named_struct('tool', " + SCRUB + "(c.tool), 'args', xxhash64(c.arguments), 'is_error', coalesce(c.is_error, false))) AS calls,"
        + " map_entries(" + REDACTIONS + "(concat(array(user_message, game_state, context, response_text, reasoning, problem, root_cause, bad_code, good_code, error),"
        + " flatten(transform(coalesce(tool_calls, array()), c -> array(c.arguments, c.result)))))) AS redactions"
        + " FROM " + TableNames.TRAINING_EXAMPLES + " WHERE " + days + "))";
    return "SELECT " + KEYS + ", q AS quality, calls, count(q) AS examples, count_if(failed) AS errors, sum(tokens) AS tokens_sum, count(tokens) AS tokens_counted,"
        + " count_if(reviewed) AS reviewed, count_if(added) AS added, count(calls) AS turns, sum(call_errors) AS call_errors, sum(retries) AS retries,"
        + " sum(hits) AS redactions, CAST(NULL AS BIGINT) AS changed, CAST(NULL AS BIGINT) AS marked_negative,"
        + " CAST(NULL AS DOUBLE) AS quality_before_sum, CAST(NULL AS DOUBLE) AS quality_after_sum"
        + " FROM (" + rows + ") GROUP BY " + KEYS + ", q, calls";
  }

  /**
   * The {@code day_reviews} summary rows of the days {@code days} (SQL over {@code event_date})
   * meets: per day, the reviewed examples (added ones apart), how many a review changed (quality,
   * type or tags differ from the example's: what selection and statistics see; a review that only
   * adds text is reviewed, not changed), how many it made negative, and their quality before (the
   * {@code examples} row) and after. The reviewed rows are few (one per review), so they are
   * broadcast and {@code examples} is streamed past them once, read at the same version.
   */
  static String dayReviewSummaries(long examplesVersion, String days) {
    return "SELECT /*+ BROADCAST(a) */ '" + LEVEL_DAY_REVIEWS + "' AS grouping, a.day, CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS example_type,"
        + " CAST(NULL AS STRING) AS task_type, CAST(NULL AS STRING) AS tag, CAST(NULL AS STRING) AS tool, CAST(NULL AS STRING) AS redaction_type,"
        + " CAST(NULL AS DOUBLE) AS quality, CAST(NULL AS INT) AS calls, 0L AS examples, 0L AS errors, CAST(NULL AS BIGINT) AS tokens_sum, 0L AS tokens_counted,"
        + " count(*) AS reviewed, 0L AS added, 0L AS turns, CAST(NULL AS BIGINT) AS call_errors, CAST(NULL AS BIGINT) AS retries, CAST(NULL AS BIGINT) AS redactions,"
        + " count_if(NOT (a.q <=> b.q) OR NOT (a.example_type <=> b.example_type) OR NOT (a.tags <=> array_sort(array_distinct(b.tags)))) AS changed,"
        + " count_if(a.example_type = 'negative' AND NOT (b.example_type <=> 'negative')) AS marked_negative,"
        + " sum(b.q) AS quality_before_sum, sum(a.q) AS quality_after_sum"
        + " FROM (SELECT id, event_date AS day, quality_score AS q, example_type, tags FROM " + TableNames.TRAINING_EXAMPLES
        + " WHERE reviewed AND source <> 'review' AND (" + days + ")) a"
        + " JOIN (SELECT id, quality_score AS q, example_type, tags FROM " + dev.toolcalls.pipeline.lake.Lake.asOf(TableNames.EXAMPLES, examplesVersion)
        + " WHERE " + days + ") b ON a.id = b.id GROUP BY a.day";
  }

  /** Registered name of the day summaries the statistics are computed from (read at one version). */
  static final String SUMMARIES_VIEW = "stats_day_summaries_read";

  /**
   * One row per group of every level, merged from the day summaries: a day level's rows as they
   * are, a rollup's ({@code ROLLUP_OF_DAY_LEVEL}) summed over every day. Percentiles are exact:
   * the ceil(p x n)-th smallest value (n the group's examples; the median of calls per turn over
   * turns), read off the cumulative value counts.
   */
  static String levels() {
    String rollups = StatsSchemas.ROLLUP_OF_DAY_LEVEL.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> "WHEN '" + e.getKey() + "' THEN '" + e.getValue() + "'").collect(Collectors.joining(" "));
    String measures = "examples, errors, tokens_sum, tokens_counted, reviewed, added, turns, call_errors, retries, redactions";
    String summed = java.util.Arrays.stream(measures.split(", ")).map(m -> "sum(" + m + ") AS " + m).collect(Collectors.joining(", "));
    String group = "PARTITION BY " + KEYS;
    String[] p = {"0.1", "0.25", "0.5", "0.75", "0.9"};
    String percentiles = java.util.Arrays.stream(p).map(StatsSql::qualityPercentile).collect(Collectors.joining(", "));
    String histogram = IntStream.range(0, HISTOGRAM_BUCKETS).mapToObj(b -> "coalesce(sum(CASE WHEN bucket = " + b + " THEN examples END), 0L)").collect(Collectors.joining(", "));
    return "WITH s AS (SELECT * FROM " + SUMMARIES_VIEW + " WHERE grouping IN (" + quoted(StatsSchemas.DAY_LEVELS) + ")"
        + " UNION ALL SELECT CASE grouping " + rollups + " END AS grouping, CAST(NULL AS DATE) AS day, source, example_type, task_type, tag, tool, redaction_type, quality, calls, "
        + measures + ", changed, marked_negative, quality_before_sum, quality_after_sum"
        + " FROM " + SUMMARIES_VIEW + " WHERE grouping IN (" + quoted(List.copyOf(StatsSchemas.ROLLUP_OF_DAY_LEVEL.keySet())) + ")),"
        + " v AS (SELECT " + KEYS + ", quality AS q, calls, " + summed + " FROM s GROUP BY " + KEYS + ", quality, calls),"
        + " w AS (SELECT *, sum(examples) OVER (" + group + " ORDER BY q ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS q_upto,"
        + " sum(examples) OVER (" + group + ") AS q_n, sum(q * examples) OVER (" + group + ") AS q_sum,"
        + " sum(turns) OVER (" + group + " ORDER BY calls ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c_upto, sum(turns) OVER (" + group + ") AS c_n,"
        // bucket b holds [b/10, (b+1)/10); the last also 1.0
        + " CAST(least(" + (HISTOGRAM_BUCKETS - 1) + ", greatest(0, floor(q * " + HISTOGRAM_BUCKETS + "))) AS INT) AS bucket FROM v)"
        + " SELECT " + KEYS + ", sum(redactions) AS redactions, sum(examples) AS examples, sum(errors) AS errors,"
        + " sum(tokens_sum) AS tokens_sum, sum(tokens_sum) / sum(tokens_counted) AS tokens_mean,"
        + " first(q_sum) AS quality_sum, first(q_sum) / first(q_n) AS mean,"
        + " CASE WHEN first(q_n) > 1 THEN sqrt(sum(examples * pow(q - q_sum / q_n, 2)) / (first(q_n) - 1)) END AS stddev,"
        + " min(CASE WHEN examples > 0 THEN q END) AS min, max(CASE WHEN examples > 0 THEN q END) AS max,"
        + " array(" + percentiles + ") AS percentiles, array(" + histogram + ") AS histogram,"
        + " sum(reviewed) AS reviewed, sum(added) AS added, sum((examples - added) * q) AS kept_quality_sum,"
        + " sum(turns) AS turns, sum(turns * calls) AS calls, sum(call_errors) AS call_errors, sum(retries) AS retries,"
        + " min(CASE WHEN turns > 0 AND c_upto >= " + rank("0.5", "c_n") + " THEN calls END) AS median_calls"
        + " FROM w GROUP BY " + KEYS;
  }

  /** The ceil(p x n)-th smallest quality of the group (null when it has none). */
  private static String qualityPercentile(String p) {
    return "min(CASE WHEN examples > 0 AND q_upto >= " + rank(p, "q_n") + " THEN q END)";
  }

  /** ceil(p x n), with p x n landing a hair above a whole number (0.1 x 30 = 3.0000000000000004) taken as that number. */
  private static String rank(String p, String n) {
    return "ceil(" + p + " * " + n + " - 1e-9)";
  }

  /** Per day, what reviews did (see dayReviewSummaries), summed from the day summaries. */
  static final String REVIEWED =
      "SELECT day, sum(reviewed) AS reviewed, sum(changed) AS changed, sum(marked_negative) AS marked_negative,"
          + " sum(quality_before_sum) AS before_sum, sum(quality_after_sum) AS after_sum FROM " + SUMMARIES_VIEW
          + " WHERE grouping = '" + LEVEL_DAY_REVIEWS + "' GROUP BY day";

  static final String QUALITY_STATS =
      "SELECT grouping, day, source, example_type, task_type, tag, examples, errors, mean, stddev, min, max,"
          + " percentiles[0] AS p10, percentiles[1] AS p25, percentiles[2] AS p50, percentiles[3] AS p75, percentiles[4] AS p90, histogram,"
          + " redaction_type, redactions, tokens_sum, tokens_mean"
          + " FROM stats_levels WHERE grouping IN (" + quoted(StatsSchemas.QUALITY_LEVELS) + ")";

  static final String TOOL_STATS =
      "SELECT grouping, day, tool, calls, turns, call_errors AS errors, call_errors / calls AS error_rate, retries, median_calls AS median_calls_per_turn"
          + " FROM stats_levels WHERE grouping IN (" + quoted(StatsSchemas.TOOL_LEVELS) + ")";

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
