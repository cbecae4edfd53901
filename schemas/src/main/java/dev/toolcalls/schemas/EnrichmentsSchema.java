package dev.toolcalls.schemas;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code enrichments} table: what reviews (people or LLMs) said, kept apart from {@code
 * examples} so that no re-parse ever loses it. One row per key {@code id}, holding the latest
 * review (MERGE by id; a later {@code reviewed_at} wins and the earlier stays in the table's
 * history):
 *
 * <ul>
 *   <li>{@code kind = review}: {@code id} is the reviewed example's id; the other columns are
 *       overrides and additions applied to it by the {@code training_examples} view;
 *   <li>{@code kind = added}: a new example a review wrote ({@code reasoning_chain}, {@code
 *       code_correction}), with its own stable id and {@code derived_from} the examples it came
 *       from.
 * </ul>
 *
 * One row per example rather than per changed field: a review is read and replaced as a whole, and
 * the view needs one join, not a pivot.
 */
public final class EnrichmentsSchema {
  public static final String ID = "id";
  public static final String KIND = "kind";
  public static final String DERIVED_FROM = "derived_from";
  public static final String EXAMPLE_TYPE = "example_type";
  public static final String USER_MESSAGE = "user_message";
  public static final String RESPONSE_TEXT = "response_text";
  public static final String REASONING = "reasoning";
  public static final String PROBLEM = "problem";
  public static final String ROOT_CAUSE = "root_cause";
  public static final String BAD_CODE = "bad_code";
  public static final String GOOD_CODE = "good_code";
  public static final String QUALITY_SCORE = "quality_score";
  public static final String TAGS_ADD = "tags_add";
  public static final String TAGS_REMOVE = "tags_remove";
  public static final String REVIEWER = "reviewer";
  public static final String REVIEWED_AT = "reviewed_at";
  public static final String NOTE = "note";
  /** The review file the row came from (its name), for provenance. */
  public static final String REVIEW_FILE = "review_file";

  public static final String KIND_REVIEW = "review";
  public static final String KIND_ADDED = "added";

  /** Example types a review may add as new examples. */
  public static final List<String> ADDED_TYPES = List.of("reasoning_chain", "code_correction");

  public static final List<String> STATS_COLUMNS = List.of(ID, KIND, EXAMPLE_TYPE, QUALITY_SCORE, REVIEWER, REVIEWED_AT);

  public static final StructType TABLE =
      createStructType(
          List.of(
              createStructField(ID, StringType, false),
              createStructField(KIND, StringType, false),
              createStructField(DERIVED_FROM, createArrayType(StringType, true), true),
              createStructField(EXAMPLE_TYPE, StringType, true),
              createStructField(USER_MESSAGE, StringType, true),
              createStructField(RESPONSE_TEXT, StringType, true),
              createStructField(REASONING, StringType, true),
              createStructField(PROBLEM, StringType, true),
              createStructField(ROOT_CAUSE, StringType, true),
              createStructField(BAD_CODE, StringType, true),
              createStructField(GOOD_CODE, StringType, true),
              createStructField(QUALITY_SCORE, DoubleType, true),
              createStructField(TAGS_ADD, createArrayType(StringType, true), true),
              createStructField(TAGS_REMOVE, createArrayType(StringType, true), true),
              createStructField(REVIEWER, StringType, false),
              createStructField(REVIEWED_AT, TimestampType, false),
              createStructField(NOTE, StringType, true),
              createStructField(REVIEW_FILE, StringType, true)));

  private EnrichmentsSchema() {}
}
