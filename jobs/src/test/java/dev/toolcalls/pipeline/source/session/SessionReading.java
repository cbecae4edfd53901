package dev.toolcalls.pipeline.source.session;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import dev.toolcalls.schemas.Sources;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;

/** Reads a transcript with {@link SessionFileReader}, without Spark, into rows the tests can look at. */
final class SessionReading {
  static final SessionSettings SETTINGS = SessionSettings.from(PipelineConfig.defaults());

  /** Everything one file gave. */
  static final class Output {
    final List<Row> examples = new ArrayList<>();
    final List<Row> quarantine = new ArrayList<>();
    FileReport report;
    SessionCounts counts;

    /** One line per example: where, id, type, reasoning, then each game call with its outcome. */
    List<String> turns() {
      List<String> out = new ArrayList<>();
      for (Row r : examples) out.add(turn(r));
      return out;
    }

    long count(String key) {
      return counts.get(key);
    }
  }

  private SessionReading() {}

  static Output read(String relativePath, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return read(relativePath, new ByteArrayInputStream(bytes), bytes.length);
  }

  static Output read(String relativePath, byte[] bytes) {
    return read(relativePath, new ByteArrayInputStream(bytes), bytes.length);
  }

  static Output read(String relativePath, InputStream in, long size) {
    FileReport report = new FileReport(Sources.CLAUDE_SESSION, new InputFile("file:/sessions/" + relativePath, relativePath, size, 0L, null));
    Output out = new Output();
    SessionFileReader reader = new SessionFileReader(in, report, SETTINGS);
    reader.forEachRemaining(r -> {
      switch (r.kind) {
        case EXAMPLE -> out.examples.add(example(r.row));
        case QUARANTINE -> out.quarantine.add(quarantined(r.row));
        case REPORT -> out.report = r.report;
        case HAND_OVER -> throw new AssertionError("sessions hand nothing over");
      }
    });
    out.counts = reader.counts();
    return out;
  }

  static Row example(InternalRow r) {
    return (Row) CatalystTypeConverters.createToScalaConverter(ExamplesSchema.PARSED).apply(r);
  }

  static Row quarantined(InternalRow r) {
    return (Row) CatalystTypeConverters.createToScalaConverter(QuarantineSchema.TABLE).apply(r);
  }

  static Object ex(Row r, String column) {
    return r.get(ExamplesSchema.PARSED.fieldIndex(column));
  }

  static Object qr(Row r, String column) {
    return r.get(QuarantineSchema.TABLE.fieldIndex(column));
  }

  static List<Row> calls(Row r) {
    return r.getList(ExamplesSchema.PARSED.fieldIndex(ExamplesSchema.TOOL_CALLS));
  }

  /** "tool arguments -> ok|error|no result" for each call. */
  static List<String> callOutcomes(Row r) {
    List<String> out = new ArrayList<>();
    for (Row c : calls(r)) out.add(c.getString(0) + " " + c.getString(1) + " -> " + (c.isNullAt(3) ? "no result" : c.getBoolean(3) ? "error" : "ok"));
    return out;
  }

  static String turn(Row r) {
    return "L" + ex(r, ExamplesSchema.SOURCE_LINE) + " " + ex(r, ExamplesSchema.REQUEST_ID) + " " + ex(r, ExamplesSchema.EXAMPLE_TYPE)
        + (ex(r, ExamplesSchema.REASONING) == null ? "" : " reasoning") + " | " + String.join(" | ", callOutcomes(r));
  }
}
