package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.pipeline.util.StableIds;
import dev.toolcalls.pipeline.util.Timestamps;
import dev.toolcalls.schemas.Sources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Rows of the examples, quarantine and hand-over schemas, built from turns and lines. */
public final class DiscordRows {
  public static final String OUTCOME_OK = "ok";
  public static final String OUTCOME_ERROR = "error";

  /** A line handed from the first pass to the cross-file pass. */
  public static final StructType HAND_OVER =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("request_id", DataTypes.StringType, true),
              DataTypes.createStructField("source_file", DataTypes.StringType, false),
              DataTypes.createStructField("line_number", DataTypes.LongType, false),
              DataTypes.createStructField("sort_micros", DataTypes.LongType, false),
              DataTypes.createStructField("raw_text", DataTypes.StringType, false)));

  private DiscordRows() {}

  /** A finished turn as a row of {@code ExamplesSchema.EXTRACTED}. */
  static Row example(Turn t, DiscordSettings settings) {
    DiscordEvent req = t.request;
    List<Row> calls = new ArrayList<>();
    String response = null;
    String context = null;
    String gameState = null;
    List<String> errors = new ArrayList<>(0);
    for (DiscordEvent e : t.events) {
      switch (e.type) {
        case DiscordEvent.TOOL_CALL:
          calls.add(RowFactory.create(e.tool, e.argumentsJson, e.resultJson, e.resultIsError));
          if (e.resultStateJson != null && settings.tools.isStateTool(e.tool)) gameState = e.resultStateJson;
          break;
        case DiscordEvent.RESPONSE:
          response = e.response;
          if (e.error != null) errors.add(e.error);
          break;
        case DiscordEvent.ERROR:
          errors.add(e.error != null ? e.error : "(error event without text)");
          if (e.contextJson != null) context = e.contextJson;
          break;
        case DiscordEvent.CONTEXT:
          if (e.contextJson != null) context = e.contextJson;
          break;
        default:
          throw new IllegalStateException("unexpected event type in a turn: " + e.type);
      }
    }
    return RowFactory.create(
        StableIds.discord(req.accountId, req.requestId, req.timestamp),
        Sources.DISCORD,
        t.requestLine.sourceFile,
        t.requestLine.lineNumber,
        req.message,
        gameState,
        context,
        calls.toArray(new Row[0]), // Spark's row encoder takes arrays or Scala Seqs, not Java lists
        response,
        req.taskType,
        errors.isEmpty() ? OUTCOME_OK : OUTCOME_ERROR,
        errors.isEmpty() ? null : String.join("\n", errors),
        req.requestId,
        req.accountId,
        Timestamps.toSqlTimestamp(req.timeMicros),
        java.sql.Date.valueOf(Timestamps.dateOf(req.timeMicros)));
  }

  /** A row of {@code QuarantineSchema.TABLE}. */
  static Row quarantine(String sourceFile, long lineNumber, String reason, String detail, String requestId, byte[] bytes) {
    return RowFactory.create(
        Sources.DISCORD, sourceFile, lineNumber, reason, detail, requestId, new String(bytes, StandardCharsets.UTF_8), bytes);
  }

  static Row handOver(RawLine line, String requestId) {
    return RowFactory.create(requestId, line.sourceFile, line.lineNumber, line.sortMicros, line.text());
  }
}
