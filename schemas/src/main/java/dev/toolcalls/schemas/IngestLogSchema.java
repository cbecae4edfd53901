package dev.toolcalls.schemas;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** The {@code ingest_log} table: one row per input file, as of the last run that read it. */
public final class IngestLogSchema {
  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String SIZE_BYTES = "size_bytes";
  public static final String MODIFIED_TIME = "modified_time";
  public static final String LINES = "lines";
  public static final String EXAMPLES = "examples";
  public static final String QUARANTINED = "quarantined";
  public static final String STATUS = "status";
  public static final String DETAIL = "detail";
  public static final String RULES_VERSION = "rules_version";
  public static final String RUN_ID = "run_id";
  public static final String PROCESSED_AT = "processed_at";
  /** XXH64 of the file's bytes as stored; null for a file that could not be read to its end. Added after the first release: last. */
  public static final String CONTENT_HASH = "content_hash";

  /**
   * The file holds the request of a turn answered in a later file / lines of a turn begun in an
   * earlier file: a nightly run that reads it reads that neighbour too. Added later: last; null
   * (a lake from before) reads as false.
   */
  public static final String JOINED_WITH_NEXT = "joined_with_next";
  public static final String JOINED_WITH_PREVIOUS = "joined_with_previous";

  public static final List<String> PARTITION_COLUMNS = List.of(SOURCE);

  /** Columns Delta keeps min/max statistics for (file skipping); long text columns are left out. */
  public static final List<String> STATS_COLUMNS = List.of(SOURCE_FILE, STATUS, PROCESSED_AT);

  public static final StructType TABLE =
      createStructType(
          List.of(
              createStructField(SOURCE, StringType, false),
              createStructField(SOURCE_FILE, StringType, false),
              createStructField(SIZE_BYTES, LongType, false),
              createStructField(MODIFIED_TIME, TimestampType, false),
              createStructField(LINES, LongType, false),
              createStructField(EXAMPLES, LongType, false),
              createStructField(QUARANTINED, LongType, false),
              createStructField(STATUS, StringType, false),
              createStructField(DETAIL, StringType, true),
              createStructField(RULES_VERSION, StringType, false),
              createStructField(RUN_ID, StringType, false),
              createStructField(PROCESSED_AT, TimestampType, false),
              createStructField(CONTENT_HASH, StringType, true),
              createStructField(JOINED_WITH_NEXT, BooleanType, true),
              createStructField(JOINED_WITH_PREVIOUS, BooleanType, true)));

  private IngestLogSchema() {}
}
