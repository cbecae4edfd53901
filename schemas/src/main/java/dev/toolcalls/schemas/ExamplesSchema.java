package dev.toolcalls.schemas;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code examples} table: one training example per row, partitioned by {@code source} and
 * {@code event_date}. JSON-valued columns hold JSON text so that any shape the bot wrote survives.
 */
public final class ExamplesSchema {
  public static final String ID = "id";
  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String SOURCE_LINE = "source_line";
  public static final String EXAMPLE_TYPE = "example_type";
  public static final String USER_MESSAGE = "user_message";
  public static final String GAME_STATE = "game_state";
  public static final String CONTEXT = "context";
  public static final String TOOL_CALLS = "tool_calls";
  public static final String RESPONSE_TEXT = "response_text";
  public static final String REASONING = "reasoning";
  public static final String PROBLEM = "problem";
  public static final String ROOT_CAUSE = "root_cause";
  public static final String BAD_CODE = "bad_code";
  public static final String GOOD_CODE = "good_code";
  public static final String TASK_TYPE = "task_type";
  public static final String LOGGED_TASK_TYPE = "logged_task_type";
  public static final String TAGS = "tags";
  public static final String QUALITY_SCORE = "quality_score";
  public static final String OUTCOME = "outcome";
  public static final String ERROR = "error";
  public static final String REQUEST_ID = "request_id";
  public static final String ACCOUNT_ID = "account_id";
  public static final String EVENT_TIME = "event_time";
  public static final String EVENT_DATE = "event_date";
  /**
   * The pseudonym of the person behind the example (HMAC of the Discord user id, or of the home
   * folder's user name in a Claude session's path); null when unknown. Added after the first
   * release, so it is the last column and older lakes gain it on their next extract.
   */
  public static final String USER_KEY = "user_key";
  public static final String VALIDATION = "validation";
  public static final String TOKENS = "tokens";

  /** Partition columns, in order. */
  public static final List<String> PARTITION_COLUMNS = List.of(SOURCE, EVENT_DATE);

  /** Columns Delta keeps min/max statistics for (file skipping); long text columns are left out. */
  public static final List<String> STATS_COLUMNS = List.of(ID, SOURCE_FILE, SOURCE_LINE, EXAMPLE_TYPE, TASK_TYPE, QUALITY_SCORE, OUTCOME, REQUEST_ID, ACCOUNT_ID, EVENT_TIME, USER_KEY);

  /**
   * One element of {@code tool_calls}. {@code arguments}/{@code result} are JSON text as written.
   * Nested fields are nullable: Delta cannot enforce NOT NULL inside arrays.
   */
  public static final StructType TOOL_CALL =
      createStructType(
          List.of(
              createStructField("tool", StringType, true),
              createStructField("arguments", StringType, true),
              createStructField("result", StringType, true),
              createStructField("is_error", BooleanType, true)));

  /**
   * One element of {@code validation}: a problem the tool registry found in the call at position
   * {@code call} of {@code tool_calls}; {@code code} is {@code unknown_tool}, {@code schema} or
   * {@code unknown_command}.
   */
  public static final StructType VALIDATION_PROBLEM =
      createStructType(
          List.of(
              createStructField("call", IntegerType, true),
              createStructField("tool", StringType, true),
              createStructField("code", StringType, true),
              createStructField("message", StringType, true)));

  /** {@code tokens}: the example's token count per role (conf tokens.encoding), and their sum. */
  public static final StructType TOKEN_COUNTS =
      createStructType(
          List.of(
              createStructField("system", IntegerType, true),
              createStructField("user", IntegerType, true),
              createStructField("assistant", IntegerType, true),
              createStructField("tool", IntegerType, true),
              createStructField("total", IntegerType, true)));

  /** The table as analysts see it. Columns added after the first release come last (older lakes gain them on their next run). */
  public static final StructType TABLE =
      createStructType(
          List.of(
              createStructField(ID, StringType, false),
              createStructField(SOURCE, StringType, false),
              createStructField(SOURCE_FILE, StringType, false),
              createStructField(SOURCE_LINE, LongType, true),
              createStructField(EXAMPLE_TYPE, StringType, false),
              createStructField(USER_MESSAGE, StringType, true),
              createStructField(GAME_STATE, StringType, true),
              createStructField(CONTEXT, StringType, true),
              createStructField(TOOL_CALLS, createArrayType(TOOL_CALL, true), false),
              createStructField(RESPONSE_TEXT, StringType, true),
              createStructField(REASONING, StringType, true),
              createStructField(PROBLEM, StringType, true),
              createStructField(ROOT_CAUSE, StringType, true),
              createStructField(BAD_CODE, StringType, true),
              createStructField(GOOD_CODE, StringType, true),
              createStructField(TASK_TYPE, StringType, true),
              createStructField(LOGGED_TASK_TYPE, StringType, true),
              createStructField(TAGS, createArrayType(StringType, true), false),
              createStructField(QUALITY_SCORE, DoubleType, false),
              createStructField(OUTCOME, StringType, false),
              createStructField(ERROR, StringType, true),
              createStructField(REQUEST_ID, StringType, true),
              createStructField(ACCOUNT_ID, StringType, true),
              createStructField(EVENT_TIME, TimestampType, true),
              createStructField(EVENT_DATE, DateType, false),
              createStructField(USER_KEY, StringType, true),
              createStructField(VALIDATION, createArrayType(VALIDATION_PROBLEM, true), true),
              createStructField(TOKENS, TOKEN_COUNTS, true)));

  /**
   * What the Discord reader produces: the table without the rule-derived columns ({@code
   * example_type}, {@code task_type}, {@code tags}, {@code quality_score}, {@code validation}), which the conf-driven
   * UDFs add afterwards, and without the columns other sources and reviews fill.
   */
  public static final StructType EXTRACTED =
      new StructType(
          java.util.Arrays.stream(TABLE.fields())
              .filter(f -> !List.of(EXAMPLE_TYPE, TASK_TYPE, TAGS, QUALITY_SCORE, VALIDATION, TOKENS, REASONING, PROBLEM, ROOT_CAUSE, BAD_CODE, GOOD_CODE).contains(f.name()))
              .toArray(org.apache.spark.sql.types.StructField[]::new));

  /**
   * What the journal and Claude-session readers produce: the table without the rule-derived
   * columns ({@code task_type}, {@code tags}, {@code quality_score}, {@code validation}); {@code example_type} is
   * nullable here: null lets the rules decide from the tool calls.
   */
  public static final StructType PARSED =
      new StructType(
          java.util.Arrays.stream(TABLE.fields())
              .filter(f -> !List.of(TASK_TYPE, TAGS, QUALITY_SCORE, VALIDATION, TOKENS).contains(f.name()))
              .map(f -> f.name().equals(EXAMPLE_TYPE) ? createStructField(EXAMPLE_TYPE, StringType, true) : f)
              .toArray(org.apache.spark.sql.types.StructField[]::new));

  private ExamplesSchema() {}
}
