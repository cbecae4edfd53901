package dev.toolcalls.pipeline.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.toolcalls.schemas.ExamplesSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * {@code examples} rows made directly from {@code spark.range(n)} for the statistics benchmark
 * (logs of 10 million turns would take far longer to generate and extract than the statistics
 * take to compute): every column is a deterministic expression of the row number, so the same n
 * gives the same rows. Short texts, 0 to 4 tool calls (some failed, some repeated), 1 to 3 tags,
 * quality spread over 0..1.
 */
public final class SyntheticExamples {
  private SyntheticExamples() {}

  public static Dataset<Row> rows(SparkSession spark, long n, int days) {
    String h = "xxhash64(id)";
    Dataset<Row> base = spark.range(n).selectExpr("id AS n", "abs(" + h + ") AS h");
    String call = "named_struct('tool', element_at(array('send_command', 'send_command', 'get_game_state', 'query_nearby', 'get_logs'), CAST(pmod(h + %1$d, 5) + 1 AS INT)),"
        + " 'arguments', concat('{\"command\": \"CMD ', pmod(h + %1$d * 7, 3), '\"}'), 'result', '{\"success\": true}', 'is_error', pmod(h + %1$d, 17) = 0)";
    String calls = "slice(array(" + String.format(call, 1) + ", " + String.format(call, 2) + ", " + String.format(call, 3) + ", " + String.format(call, 4) + "), 1, CAST(pmod(h, 5) AS INT))";
    Dataset<Row> withCalls = base.selectExpr("*", calls + " AS tool_calls", "date_add(DATE'2026-01-01', CAST(pmod(n, " + days + ") AS INT)) AS event_date");
    Column[] columns = java.util.Arrays.stream(ExamplesSchema.TABLE.fields()).map(f -> value(f).cast(f.dataType()).as(f.name())).toArray(Column[]::new);
    return withCalls.select(columns);
  }

  private static Column value(StructField f) {
    return switch (f.name()) {
      case ExamplesSchema.ID -> expr("concat('bx-', lpad(hex(n), 16, '0'))");
      case ExamplesSchema.SOURCE -> expr("element_at(array('discord', 'discord', 'discord', 'journal', 'claude_session'), CAST(pmod(h, 5) + 1 AS INT))");
      case ExamplesSchema.SOURCE_FILE -> expr("concat('bench/', event_date, '.jsonl')");
      case ExamplesSchema.SOURCE_LINE -> col("n");
      case ExamplesSchema.EXAMPLE_TYPE -> expr("IF(size(tool_calls) >= 3, 'multi_step', 'direct_execution')");
      case ExamplesSchema.USER_MESSAGE -> expr("concat('Request ', n)");
      case ExamplesSchema.TOOL_CALLS -> col("tool_calls");
      case ExamplesSchema.RESPONSE_TEXT -> expr("'Done.'");
      case ExamplesSchema.TASK_TYPE -> expr("element_at(array('navigation', 'combat', 'skilling', 'banking', 'query', 'simple_command'), CAST(pmod(h, 6) + 1 AS INT))");
      case ExamplesSchema.TAGS -> expr("slice(array(element_at(array('navigation', 'banking', 'fishing', 'combat'), CAST(pmod(h, 4) + 1 AS INT)), 'query', 'inventory'), 1, CAST(pmod(h, 3) + 1 AS INT))");
      case ExamplesSchema.QUALITY_SCORE -> expr("pmod(h, 1001) / 1000.0");
      case ExamplesSchema.OUTCOME -> expr("IF(exists(tool_calls, c -> c.is_error), 'error', 'ok')");
      case ExamplesSchema.REQUEST_ID -> expr("CAST(n AS STRING)");
      case ExamplesSchema.ACCOUNT_ID -> expr("'main'");
      case ExamplesSchema.EVENT_TIME -> expr("CAST(event_date AS TIMESTAMP) + make_interval(0, 0, 0, 0, 0, 0, pmod(n, 86400))");
      case ExamplesSchema.EVENT_DATE -> col("event_date");
      case ExamplesSchema.VALIDATION -> expr("array()");
      case ExamplesSchema.TOKENS -> expr("named_struct('system', 30, 'user', 8, 'assistant', 20 * size(tool_calls) + 5, 'tool', 15 * size(tool_calls), 'total', 43 + 35 * size(tool_calls))");
      default -> expr("CAST(NULL AS STRING)");
    };
  }
}
