package dev.toolcalls.pipeline.source;

import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.IdentitiesSchema;
import dev.toolcalls.schemas.QuarantineSchema;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Rows of {@code ExamplesSchema.PARSED} and {@code QuarantineSchema.TABLE} from plain Java values,
 * for the readers whose volume does not call for the Discord reader's byte-slice rows. One
 * instance per task (projections are not thread-safe).
 */
public final class SourceRows {
  private final UnsafeProjection exampleProjection = UnsafeProjection.create(ExamplesSchema.PARSED);
  private final UnsafeProjection quarantineProjection = UnsafeProjection.create(QuarantineSchema.TABLE);
  private final UnsafeProjection identityProjection = UnsafeProjection.create(IdentitiesSchema.SEEN);

  public InternalRow example(ExampleDraft d) {
    Objects.requireNonNull(d.id, "id");
    Objects.requireNonNull(d.source, "source");
    Objects.requireNonNull(d.sourceFile, "sourceFile");
    Objects.requireNonNull(d.eventDate, "eventDate");
    Object[] calls = new Object[d.toolCalls.size()];
    for (int i = 0; i < calls.length; i++) {
      ExampleDraft.ToolCall c = d.toolCalls.get(i);
      calls[i] = new GenericInternalRow(new Object[] {utf8(c.tool()), utf8(c.arguments()), utf8(c.result()), c.isError()});
    }
    Object[] v = new Object[ExamplesSchema.PARSED.size()];
    set(v, ExamplesSchema.ID, utf8(d.id));
    set(v, ExamplesSchema.SOURCE, utf8(d.source));
    set(v, ExamplesSchema.SOURCE_FILE, utf8(d.sourceFile));
    set(v, ExamplesSchema.SOURCE_LINE, d.sourceLine);
    set(v, ExamplesSchema.EXAMPLE_TYPE, utf8(d.exampleType));
    set(v, ExamplesSchema.USER_MESSAGE, utf8(d.userMessage));
    set(v, ExamplesSchema.GAME_STATE, utf8(d.gameState));
    set(v, ExamplesSchema.CONTEXT, utf8(d.context));
    set(v, ExamplesSchema.TOOL_CALLS, new GenericArrayData(calls));
    set(v, ExamplesSchema.RESPONSE_TEXT, utf8(d.responseText));
    set(v, ExamplesSchema.REASONING, utf8(d.reasoning));
    set(v, ExamplesSchema.PROBLEM, utf8(d.problem));
    set(v, ExamplesSchema.ROOT_CAUSE, utf8(d.rootCause));
    set(v, ExamplesSchema.BAD_CODE, utf8(d.badCode));
    set(v, ExamplesSchema.GOOD_CODE, utf8(d.goodCode));
    set(v, ExamplesSchema.LOGGED_TASK_TYPE, utf8(d.loggedTaskType));
    set(v, ExamplesSchema.OUTCOME, utf8(d.outcome));
    set(v, ExamplesSchema.ERROR, utf8(d.error));
    set(v, ExamplesSchema.REQUEST_ID, utf8(d.requestId));
    set(v, ExamplesSchema.ACCOUNT_ID, utf8(d.accountId));
    set(v, ExamplesSchema.EVENT_TIME, d.eventTimeMicros);
    set(v, ExamplesSchema.EVENT_DATE, d.eventDate);
    set(v, ExamplesSchema.USER_KEY, utf8(d.userKey));
    return exampleProjection.apply(new GenericInternalRow(v)).copy();
  }

  /** A quarantine row; {@code raw} keeps the exact bytes, raw_text is the same decoded for reading. */
  public InternalRow quarantine(String source, String sourceFile, long lineNumber, String reason, String detail, byte[] raw) {
    Object[] v = {
      utf8(source), utf8(sourceFile), lineNumber, utf8(reason), utf8(detail), null,
      raw == null ? null : UTF8String.fromString(new String(raw, StandardCharsets.UTF_8)), raw
    };
    return quarantineProjection.apply(new GenericInternalRow(v)).copy();
  }

  /** A row of {@code IdentitiesSchema.SEEN}: who is behind an example. */
  public InternalRow identity(String source, String sourceFile, String userKey, String userId, String username, Long eventTimeMicros) {
    Object[] v = {utf8(source), utf8(sourceFile), utf8(userKey), utf8(userId), utf8(username), eventTimeMicros};
    return identityProjection.apply(new GenericInternalRow(v)).copy();
  }

  private static void set(Object[] v, String column, Object value) {
    v[ExamplesSchema.PARSED.fieldIndex(column)] = value;
  }

  private static UTF8String utf8(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }
}
