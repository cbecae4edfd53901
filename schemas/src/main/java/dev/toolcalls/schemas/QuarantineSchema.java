package dev.toolcalls.schemas;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code quarantine} table: every raw line that could not become part of an example, with
 * where it came from and why. {@code raw_bytes} keeps the exact bytes (invalid UTF-8 included);
 * {@code raw_text} is the same line decoded for reading.
 */
public final class QuarantineSchema {
  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String LINE_NUMBER = "line_number";
  public static final String REASON = "reason";
  public static final String DETAIL = "detail";
  public static final String REQUEST_ID = "request_id";
  public static final String RAW_TEXT = "raw_text";
  public static final String RAW_BYTES = "raw_bytes";

  public static final List<String> PARTITION_COLUMNS = List.of(SOURCE);

  /** Columns Delta keeps min/max statistics for (file skipping); long text columns are left out. */
  public static final List<String> STATS_COLUMNS = List.of(SOURCE_FILE, LINE_NUMBER, REASON, REQUEST_ID);

  public static final StructType TABLE =
      createStructType(
          List.of(
              createStructField(SOURCE, StringType, false),
              createStructField(SOURCE_FILE, StringType, false),
              createStructField(LINE_NUMBER, LongType, false),
              createStructField(REASON, StringType, false),
              createStructField(DETAIL, StringType, true),
              createStructField(REQUEST_ID, StringType, true),
              createStructField(RAW_TEXT, StringType, true),
              createStructField(RAW_BYTES, BinaryType, true)));

  private QuarantineSchema() {}
}
