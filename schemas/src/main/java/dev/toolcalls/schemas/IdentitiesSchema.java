package dev.toolcalls.schemas;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code identities} table (owners only, partitioned by {@code source}): who is behind each
 * pseudonym, one row per person and input file (so a re-read file replaces its rows, like every
 * other table, and never adds them twice).
 */
public final class IdentitiesSchema {
  public static final String USER_KEY = "user_key";
  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String USER_ID = "user_id";
  public static final String USERNAME = "username";

  public static final List<String> PARTITION_COLUMNS = List.of(SOURCE);
  public static final List<String> STATS_COLUMNS = List.of(USER_KEY, SOURCE_FILE, USER_ID);

  /** What a reader emits: one row per example (aggregated per person and file before the write). */
  public static final StructType SEEN =
      createStructType(
          List.of(
              createStructField(SOURCE, StringType, false),
              createStructField(SOURCE_FILE, StringType, false),
              createStructField(USER_KEY, StringType, false),
              createStructField(USER_ID, StringType, true),
              createStructField(USERNAME, StringType, true),
              createStructField("event_time", TimestampType, true)));

  public static final StructType TABLE =
      createStructType(
          List.of(
              createStructField(USER_KEY, StringType, false),
              createStructField(SOURCE, StringType, false),
              createStructField(SOURCE_FILE, StringType, false),
              createStructField(USER_ID, StringType, true),
              createStructField(USERNAME, StringType, true),
              createStructField("first_seen", TimestampType, true),
              createStructField("last_seen", TimestampType, true),
              createStructField("examples", LongType, false)));

  private IdentitiesSchema() {}
}
