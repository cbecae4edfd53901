package dev.toolcalls.pipeline.export;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/** One row of {@code training_examples} as the renderers see it: plain Java, built from a Row. */
public record ExportExample(
    String id,
    String source,
    String exampleType,
    String userMessage,
    String gameState,
    String context,
    List<Call> toolCalls,
    String responseText,
    String reasoning,
    String problem,
    String rootCause,
    String badCode,
    String goodCode,
    String taskType,
    List<String> tags,
    double qualityScore,
    String outcome,
    String error)
    implements Serializable {

  /** A tool call; arguments and result are JSON text as stored (a plain string from older bots too). */
  public record Call(String tool, String arguments, String result, Boolean isError) implements Serializable {}

  public static ExportExample of(Row r) {
    List<Call> calls = new ArrayList<>();
    List<Row> rows = r.getList(r.fieldIndex("tool_calls"));
    if (rows != null) {
      for (Row c : rows) calls.add(new Call(c.getString(0), c.getString(1), c.getString(2), c.isNullAt(3) ? null : c.getBoolean(3)));
    }
    List<String> tags = r.isNullAt(r.fieldIndex("tags")) ? List.of() : r.getList(r.fieldIndex("tags"));
    return new ExportExample(
        r.getAs("id"), r.getAs("source"), r.getAs("example_type"), r.getAs("user_message"), r.getAs("game_state"), r.getAs("context"),
        calls, r.getAs("response_text"), r.getAs("reasoning"), r.getAs("problem"), r.getAs("root_cause"), r.getAs("bad_code"),
        r.getAs("good_code"), r.getAs("task_type"), List.copyOf(tags), r.<Double>getAs("quality_score"), r.getAs("outcome"), r.getAs("error"));
  }

  public boolean isNegative() {
    return "negative".equals(exampleType);
  }
}
