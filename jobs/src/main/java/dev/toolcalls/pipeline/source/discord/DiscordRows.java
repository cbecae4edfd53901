package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.util.StableIds;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.IdentitiesSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import dev.toolcalls.schemas.Sources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Rows of the examples, quarantine and hand-over schemas, built from turns and lines in Spark's
 * internal (UnsafeRow) form: JSON slices go from the input bytes to the Parquet writer without ever
 * being decoded to Java strings, and a cached row is one byte array, cheap to size and to keep.
 * One instance per task (projections are not thread-safe).
 */
final class DiscordRows {
  static final String OUTCOME_OK = "ok";
  static final String OUTCOME_ERROR = "error";
  private static final UTF8String SOURCE = UTF8String.fromString(Sources.DISCORD);
  private static final UTF8String OK = UTF8String.fromString(OUTCOME_OK);
  private static final UTF8String ERROR = UTF8String.fromString(OUTCOME_ERROR);

  /** A line handed from the first pass to the cross-file pass. */
  static final StructType HAND_OVER =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("request_id", DataTypes.StringType, true),
              DataTypes.createStructField("source_file", DataTypes.StringType, false),
              DataTypes.createStructField("line_number", DataTypes.LongType, false),
              DataTypes.createStructField("sort_micros", DataTypes.LongType, false),
              DataTypes.createStructField("raw_text", DataTypes.StringType, false)));

  private final DiscordSettings settings;
  private final UnsafeProjection exampleProjection = UnsafeProjection.create(ExamplesSchema.EXTRACTED);
  private final UnsafeProjection quarantineProjection = UnsafeProjection.create(QuarantineSchema.TABLE);
  private final UnsafeProjection handOverProjection = UnsafeProjection.create(HAND_OVER);
  private final UnsafeProjection identityProjection = UnsafeProjection.create(IdentitiesSchema.SEEN);
  /**
   * The names of the people seen so far in this task (lower case) and their pseudonyms: an
   * {@code @name} mention of one of them in a later turn becomes {@code @u-...}.
   */
  private final Map<String, String> keyByName = new HashMap<>();
  private static final UTF8String AT = UTF8String.fromString("@");

  DiscordRows(DiscordSettings settings) {
    this.settings = settings;
  }

  /** A finished turn as a row of {@code ExamplesSchema.EXTRACTED}. */
  InternalRow example(Turn t) {
    DiscordEvent req = t.request;
    String userKey = req.userId == null ? null : settings.pseudonyms.discordUser(req.userId);
    if (userKey != null && req.username != null && !req.username.isEmpty()) keyByName.put(req.username.toLowerCase(Locale.ROOT), userKey);
    List<InternalRow> calls = new ArrayList<>();
    String response = null;
    UTF8String context = null;
    UTF8String gameState = null;
    List<String> errors = new ArrayList<>(0);
    for (DiscordEvent e : t.events) {
      switch (e.type) {
        case DiscordEvent.TOOL_CALL:
          calls.add(new GenericInternalRow(new Object[] {utf8(e.tool), hidePeople(e.argumentsJson, req.userId), hidePeople(e.resultJson, req.userId), e.resultIsError}));
          if (e.resultStateJson != null && settings.tools.isStateTool(e.tool)) gameState = hidePeople(e.resultStateJson, req.userId);
          break;
        case DiscordEvent.RESPONSE:
          response = hidePeople(e.response, req.userId);
          if (e.error != null) errors.add(hidePeople(e.error, req.userId));
          break;
        case DiscordEvent.ERROR:
          errors.add(e.error != null ? hidePeople(e.error, req.userId) : "(error event without text)");
          if (e.contextJson != null) context = hidePeople(e.contextJson, req.userId);
          break;
        case DiscordEvent.CONTEXT:
          if (e.contextJson != null) context = hidePeople(e.contextJson, req.userId);
          break;
        default:
          throw new IllegalStateException("unexpected event type in a turn: " + e.type);
      }
    }
    Object[] v = {
      utf8(StableIds.discord(req.accountId, req.requestId, req.timestamp)),
      SOURCE,
      utf8(t.requestLine.sourceFile),
      t.requestLine.lineNumber,
      utf8(hidePeople(req.message, req.userId)),
      gameState,
      context,
      new GenericArrayData(calls.toArray()),
      utf8(response),
      utf8(req.taskType),
      errors.isEmpty() ? OK : ERROR,
      errors.isEmpty() ? null : utf8(String.join("\n", errors)),
      utf8(req.requestId),
      utf8(req.accountId),
      req.timeMicros,
      (int) Math.floorDiv(req.timeMicros, 86_400_000_000L),
      utf8(userKey)
    };
    return exampleProjection.apply(new GenericInternalRow(v)).copy();
  }

  /** A finished turn's records: its example and (when the request names its user) the identity behind it. */
  void records(Turn t, java.util.function.Consumer<ExtractRecord> out) {
    out.accept(ExtractRecord.example(t.requestLine.sourceFile, example(t)));
    InternalRow who = identity(t);
    if (who != null) out.accept(ExtractRecord.identity(t.requestLine.sourceFile, who));
  }

  /** The requester of a finished turn as a row of {@code IdentitiesSchema.SEEN}; null when the line names no user. */
  InternalRow identity(Turn t) {
    DiscordEvent req = t.request;
    if (req.userId == null) return null;
    Object[] v = {SOURCE, utf8(t.requestLine.sourceFile), utf8(settings.pseudonyms.discordUser(req.userId)), utf8(req.userId), utf8(req.username), req.timeMicros};
    return identityProjection.apply(new GenericInternalRow(v)).copy();
  }

  /** Mentions of people (by id, by a name seen in this task) and the requester's own id, as pseudonyms. */
  private String hidePeople(String text, String userId) {
    return settings.pseudonyms.discordText(text, userId, keyByName);
  }

  /** The same for JSON text, decoded only when it holds an '@' (a mention needs one): most of the volume is not. */
  private UTF8String hidePeople(UTF8String json, String userId) {
    if (json == null || !json.contains(AT)) return json;
    String s = json.toString();
    String hidden = hidePeople(s, userId);
    return hidden.equals(s) ? json : UTF8String.fromString(hidden);
  }

  /** A row of {@code QuarantineSchema.TABLE}; raw_bytes keeps the exact bytes, raw_text is readable. */
  InternalRow quarantine(String sourceFile, long lineNumber, String reason, String detail, String requestId, byte[] bytes) {
    Object[] v = {
      SOURCE, utf8(sourceFile), lineNumber, utf8(reason), utf8(detail), utf8(requestId),
      UTF8String.fromString(new String(bytes, StandardCharsets.UTF_8)), bytes
    };
    return quarantineProjection.apply(new GenericInternalRow(v)).copy();
  }

  InternalRow handOver(RawLine line, String requestId) {
    Object[] v = {utf8(requestId), utf8(line.sourceFile), line.lineNumber, line.sortMicros, UTF8String.fromBytes(line.bytes)};
    return handOverProjection.apply(new GenericInternalRow(v)).copy();
  }

  private static UTF8String utf8(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }
}
