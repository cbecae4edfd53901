package dev.toolcalls.pipeline.enrich;

import static org.apache.spark.sql.functions.col;

import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.util.Timestamps;
import dev.toolcalls.schemas.EnrichmentsSchema;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.TableNames;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code enrichments} table and the {@code training_examples} view over it: how reviews are
 * merged in (by id, a later {@code reviewed_at} wins) and how they are applied to the examples.
 */
public final class Enrichments {
  private Enrichments() {}

  /** What a merge did. */
  public record MergeCounts(long inserted, long updated, long unchanged) {}

  /** A review as a row of {@code EnrichmentsSchema.TABLE}. */
  public static Row toRow(Review r, String reviewFile) {
    return RowFactory.create(
        r.id(), r.kind(), array(r.derivedFrom()), r.exampleType(), r.userMessage(), r.responseText(), r.reasoning(), r.problem(), r.rootCause(),
        r.badCode(), r.goodCode(), r.qualityScore(), array(r.tagsAdd()), array(r.tagsRemove()), r.reviewer(), Timestamps.toSqlTimestamp(r.reviewedAtMicros()),
        r.note(), reviewFile);
  }

  /** Arrays, not Java lists: what Spark's row encoder takes for an array column. */
  private static String[] array(java.util.List<String> list) {
    return list == null ? null : list.toArray(new String[0]);
  }

  /**
   * MERGEs reviews (one row per id, {@code EnrichmentsSchema.TABLE}) into the table, in one Delta
   * transaction: new ids are inserted, an id whose new {@code reviewed_at} is later than the
   * stored one and that says something else is updated (the earlier row stays in the table's
   * history), anything else is left alone. When nothing would change no commit is made, so applying a file twice leaves the table
   * exactly as it was, version included.
   */
  public static MergeCounts merge(SparkSession spark, Lake lake, Dataset<Row> reviews, String commitNote) {
    String path = lake.path(TableNames.ENRICHMENTS);
    if (!lake.exists(TableNames.ENRICHMENTS)) {
      DeltaTable.createIfNotExists(spark)
          .location(path)
          .addColumns(EnrichmentsSchema.TABLE)
          .property("delta.dataSkippingStatsColumns", String.join(",", EnrichmentsSchema.STATS_COLUMNS))
          .execute();
    }
    Dataset<Row> current = lake.read(TableNames.ENRICHMENTS);
    Row counts =
        reviews.as("s").join(current.as("t"), col("s.id").equalTo(col("t.id")), "left")
            .selectExpr(
                "count_if(t.id IS NULL) AS inserted",
                "count_if(t.id IS NOT NULL AND " + UPDATES + ") AS updated",
                "count_if(t.id IS NOT NULL AND NOT (" + UPDATES + ")) AS unchanged")
            .first();
    MergeCounts result = new MergeCounts(counts.getLong(0), counts.getLong(1), counts.getLong(2));
    if (result.inserted() + result.updated() == 0) return result;
    spark.conf().set("spark.databricks.delta.commitInfo.userMetadata", commitNote);
    try {
      DeltaTable.forPath(spark, path)
          .as("t")
          .merge(reviews.as("s"), "t.id = s.id")
          .whenMatched(UPDATES)
          .updateAll()
          .whenNotMatched()
          .insertAll()
          .execute();
    } finally {
      spark.conf().unset("spark.databricks.delta.commitInfo.userMetadata");
    }
    return result;
  }

  /**
   * A stored review is replaced by a later one that says something else: the same review applied
   * again (even from a copy of the file, whose time is later) changes nothing.
   */
  static final String UPDATES =
      "s.reviewed_at > t.reviewed_at AND NOT ("
          + java.util.Arrays.stream(EnrichmentsSchema.TABLE.fieldNames())
              .filter(c -> !c.equals(EnrichmentsSchema.REVIEWED_AT) && !c.equals(EnrichmentsSchema.REVIEW_FILE) && !c.equals(EnrichmentsSchema.REVIEWER))
              .map(c -> "s." + c + " <=> t." + c)
              .collect(java.util.stream.Collectors.joining(" AND "))
          + ")";

  /** Ids a review may name: every example, and every example a review added. */
  public static Dataset<Row> knownIds(Lake lake) {
    Dataset<Row> ids = lake.read(TableNames.EXAMPLES).select(col("id"));
    if (lake.exists(TableNames.ENRICHMENTS)) {
      ids = ids.union(lake.read(TableNames.ENRICHMENTS).where(col(EnrichmentsSchema.KIND).equalTo(EnrichmentsSchema.KIND_ADDED)).select(col("id")));
    }
    return ids;
  }

  /** Reviews whose example no longer exists (after a re-parse dropped it): kept, never deleted. */
  public static Dataset<Row> orphans(Lake lake) {
    Dataset<Row> reviews = lake.read(TableNames.ENRICHMENTS).where(col(EnrichmentsSchema.KIND).equalTo(EnrichmentsSchema.KIND_REVIEW));
    Dataset<Row> examples = lake.read(TableNames.EXAMPLES).select(col("id").as("example_id"));
    return reviews.join(examples, reviews.col("id").equalTo(examples.col("example_id")), "left_anti");
  }

  /**
   * Registers {@code training_examples}: every example with its review applied (overrides win,
   * tags added and removed), plus the examples reviews added (source {@code review}). Exports and
   * statistics read this view. Needs {@code examples} (and, if present, {@code enrichments})
   * registered under their names.
   */
  public static void registerTrainingView(SparkSession spark, boolean enrichmentsExist) {
    registerTrainingView(spark, TableNames.EXAMPLES, enrichmentsExist ? TableNames.ENRICHMENTS : null);
  }

  /**
   * The same view over the given relations: table names, or tables at a version ({@code `examples`
   * VERSION AS OF 3}, see {@code Lake.asOf}); {@code enrichments} null when there are none.
   */
  public static void registerTrainingView(SparkSession spark, String examples, String enrichments) {
    spark.sql("CREATE OR REPLACE TEMP VIEW " + TableNames.TRAINING_EXAMPLES + " AS " + trainingViewQuery(withLaterColumns(spark, examples), enrichments));
  }

  /**
   * The examples relation with the columns added since the first release that it lacks (an older
   * lake not extracted since, or an export rebuilt from a version older than the column) as nulls.
   */
  static String withLaterColumns(SparkSession spark, String examples) {
    java.util.List<String> has = java.util.List.of(spark.sql("SELECT * FROM " + examples).columns());
    StringBuilder missing = new StringBuilder();
    for (String c : java.util.List.of(ExamplesSchema.USER_KEY, ExamplesSchema.VALIDATION, ExamplesSchema.TOKENS)) { // in table order: all last
      if (!has.contains(c)) missing.append(", CAST(NULL AS ").append(ExamplesSchema.TABLE.apply(c).dataType().sql()).append(") AS ").append(c);
    }
    return missing.length() == 0 ? examples : "(SELECT *" + missing + " FROM " + examples + ")";
  }

  /** The view's query alone, for a catalog view (serve-sql, whose JDBC sessions see no temp view). */
  public static String trainingViewQuery(String examples, String enrichments) {
    return enrichments != null ? (REVIEWED_SQL + ADDED_SQL).formatted(examples, enrichments) : EXAMPLES_ONLY_SQL.formatted(examples);
  }

  // %1$s: the examples relation, %2$s: the enrichments relation.

  private static final String EXAMPLES_ONLY_SQL =
      "SELECT e.*, CAST(NULL AS ARRAY<STRING>) AS derived_from, false AS reviewed, CAST(NULL AS STRING) AS reviewer,"
          + " CAST(NULL AS TIMESTAMP) AS reviewed_at, CAST(NULL AS STRING) AS review_note FROM %1$s e";

  private static final String REVIEWED_SQL =
      "SELECT e.id, e.source, e.source_file, e.source_line,"
          + " coalesce(r.example_type, e.example_type) AS example_type,"
          + " coalesce(r.user_message, e.user_message) AS user_message, e.game_state, e.context, e.tool_calls,"
          + " coalesce(r.response_text, e.response_text) AS response_text,"
          + " coalesce(r.reasoning, e.reasoning) AS reasoning, coalesce(r.problem, e.problem) AS problem,"
          + " coalesce(r.root_cause, e.root_cause) AS root_cause, coalesce(r.bad_code, e.bad_code) AS bad_code,"
          + " coalesce(r.good_code, e.good_code) AS good_code, e.task_type, e.logged_task_type,"
          + " array_sort(array_distinct(array_except(concat(e.tags, coalesce(r.tags_add, array())), coalesce(r.tags_remove, array())))) AS tags,"
          + " coalesce(r.quality_score, e.quality_score) AS quality_score, e.outcome, e.error, e.request_id, e.account_id,"
          + " e.event_time, e.event_date, e.user_key, e.validation, e.tokens, CAST(NULL AS ARRAY<STRING>) AS derived_from, r.id IS NOT NULL AS reviewed,"
          + " r.reviewer, r.reviewed_at, r.note AS review_note"
          + " FROM %1$s e LEFT JOIN (SELECT * FROM %2$s WHERE kind = 'review') r ON e.id = r.id";

  private static final String VALIDATION_SQL_TYPE = ExamplesSchema.TABLE.apply(ExamplesSchema.VALIDATION).dataType().sql();

  /** A reviewer-written lesson has quality 1.0 unless the review says otherwise. */
  private static final String ADDED_SQL =
      " UNION ALL SELECT a.id, 'review' AS source, coalesce(a.review_file, '') AS source_file, CAST(NULL AS BIGINT) AS source_line,"
          + " a.example_type, a.user_message, CAST(NULL AS STRING) AS game_state, CAST(NULL AS STRING) AS context,"
          + " CAST(array() AS ARRAY<STRUCT<tool: STRING, arguments: STRING, result: STRING, is_error: BOOLEAN>>) AS tool_calls,"
          + " a.response_text, a.reasoning, a.problem, a.root_cause, a.bad_code, a.good_code, 'lesson' AS task_type,"
          + " CAST(NULL AS STRING) AS logged_task_type, array_sort(array_distinct(coalesce(a.tags_add, array()))) AS tags,"
          + " coalesce(a.quality_score, 1.0) AS quality_score, 'ok' AS outcome, CAST(NULL AS STRING) AS error,"
          + " CAST(NULL AS STRING) AS request_id, CAST(NULL AS STRING) AS account_id, a.reviewed_at AS event_time,"
          + " CAST(a.reviewed_at AS DATE) AS event_date, CAST(NULL AS STRING) AS user_key, CAST(array() AS " + VALIDATION_SQL_TYPE + ") AS validation, CAST(NULL AS " + ExamplesSchema.TABLE.apply(ExamplesSchema.TOKENS).dataType().sql() + ") AS tokens, a.derived_from, true AS reviewed, a.reviewer, a.reviewed_at,"
          + " a.note AS review_note FROM %2$s a WHERE a.kind = 'added'";
}
