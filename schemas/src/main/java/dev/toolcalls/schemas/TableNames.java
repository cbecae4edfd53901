package dev.toolcalls.schemas;

import java.util.List;

/** The name of every table and view under a lake folder; each table lives in {@code <lake>/<name>}. */
public final class TableNames {
  public static final String EXAMPLES = "examples";
  public static final String QUARANTINE = "quarantine";
  public static final String INGEST_LOG = "ingest_log";
  public static final String ENRICHMENTS = "enrichments";
  public static final String QUALITY_STATS = "quality_stats";
  public static final String TOOL_STATS = "tool_stats";
  public static final String ENRICHMENT_COVERAGE = "enrichment_coverage";
  public static final String QUALITY_DRIFT = "quality_drift";
  /**
   * The raw Discord user ids and names (and home-folder user names) behind the pseudonyms, for the
   * bot's owners. Not in {@link #ALL}: export, stats and serve-sql never register or read it; only
   * {@code sql}, {@code maintain} and {@code forget} name it.
   */
  public static final String IDENTITIES = "identities";

  /**
   * Mergeable per-day counts the statistics tables are computed from (see StatsSchemas): internal,
   * not in {@link #ALL}; kept by {@code maintain} like every table.
   */
  public static final String STATS_DAY_SUMMARIES = "stats_day_summaries";

  /** The view: examples with every enrichment applied, plus the examples reviews added. */
  public static final String TRAINING_EXAMPLES = "training_examples";

  /** Tables in the order the SQL command registers them. */
  public static final List<String> ALL = List.of(EXAMPLES, QUARANTINE, INGEST_LOG, ENRICHMENTS, QUALITY_STATS, TOOL_STATS, ENRICHMENT_COVERAGE, QUALITY_DRIFT);

  /**
   * Tables computed from the others by {@code stats}: an export does not read them, so their
   * versions are not part of what an export was made from.
   */
  public static final List<String> STATISTICS = List.of(QUALITY_STATS, TOOL_STATS, ENRICHMENT_COVERAGE, QUALITY_DRIFT);

  /** Every table, the owners-only {@link #IDENTITIES} and the internal {@link #STATS_DAY_SUMMARIES} included (table upkeep, deletion on request). */
  public static final List<String> ALL_WITH_IDENTITIES = java.util.stream.Stream.concat(ALL.stream(), java.util.stream.Stream.of(IDENTITIES, STATS_DAY_SUMMARIES)).toList();

  private TableNames() {}
}
