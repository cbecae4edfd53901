package dev.toolcalls.schemas;

/** Values of {@code quarantine.reason}. */
public final class QuarantineReasons {
  /** The line is not valid JSON (or not a JSON object). */
  public static final String INVALID_JSON = "invalid_json";
  /** The last line of a file has no newline and does not parse: a crash mid-write. */
  public static final String TRUNCATED_LINE = "truncated_line";
  /** The line's bytes are not valid UTF-8. */
  public static final String INVALID_UTF8 = "invalid_utf8";
  public static final String MISSING_TYPE = "missing_type";
  public static final String MISSING_REQUEST_ID = "missing_request_id";
  /** A request line without a timestamp: its turn cannot be identified. */
  public static final String MISSING_TIMESTAMP = "missing_timestamp";
  /** A tool_call event that does not name its tool. */
  public static final String MISSING_TOOL = "missing_tool";
  /** An event type this version does not know. */
  public static final String UNKNOWN_TYPE = "unknown_type";
  /** An event whose request never appears in any file read. */
  public static final String ORPHAN_EVENT = "orphan_event";
  /** A request (and its events) with neither response nor error. */
  public static final String INCOMPLETE_TURN = "incomplete_turn";

  private QuarantineReasons() {}
}
