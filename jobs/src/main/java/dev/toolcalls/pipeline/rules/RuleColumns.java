package dev.toolcalls.pipeline.rules;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.Sources;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF10;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The conf-driven columns as Spark UDFs: thin wrappers over the rule classes, registered under
 * names that SQL users can call too ({@code tags_for}, {@code quality_for}, {@code task_type_for},
 * {@code example_type_for}, {@code validation_for}, {@code tokens_for}).
 */
public final class RuleColumns {
  public static final String TAGS_FOR = "tags_for";
  public static final String QUALITY_FOR = "quality_for";
  public static final String TASK_TYPE_FOR = "task_type_for";
  public static final String EXAMPLE_TYPE_FOR = "example_type_for";
  public static final String TAGS_IN_TEXT = "tags_in_text";
  public static final String VALIDATION_FOR = "validation_for";
  public static final String TOKENS_FOR = "tokens_for";

  private RuleColumns() {}

  public static void register(SparkSession spark, Rules rules) {
    spark.udf().register(TAGS_FOR, (UDF2<Seq<String>, Seq<String>, String[]>) (tools, args) -> rules.tags.tags(list(tools), list(args)), DataTypes.createArrayType(DataTypes.StringType, true));
    spark.udf().register(QUALITY_FOR, (UDF3<String, String, Seq<Row>, Double>) (outcome, response, problems) -> rules.quality.score(outcome, response, problems == null ? 0 : problems.size()), DataTypes.DoubleType);
    spark.udf().register(TOKENS_FOR, (UDF10<String, String, String, String, String, String, String, Seq<String>, Seq<String>, Seq<String>, Row>)
        (message, problem, badCode, reasoning, rootCause, goodCode, response, tools, args, results) -> {
          if (!rules.tokens.enabled()) return null;
          TokenCounter.Counts c = rules.tokens.counts(java.util.Arrays.asList(message, problem, badCode), java.util.Arrays.asList(reasoning, rootCause, goodCode, response), list(tools), list(args), list(results));
          return RowFactory.create(c.system(), c.user(), c.assistant(), c.tool(), c.total());
        }, ExamplesSchema.TOKEN_COUNTS);
    spark.udf().register(VALIDATION_FOR, (UDF2<Seq<String>, Seq<String>, Row[]>) (tools, args) -> validation(rules.registry, list(tools), list(args)), DataTypes.createArrayType(ExamplesSchema.VALIDATION_PROBLEM, true));
    spark.udf().register(TASK_TYPE_FOR, (UDF4<String, String, Seq<String>, Seq<String>, String>) (logged, message, tools, args) -> rules.taskTypes.taskType(logged, message, list(tools), list(args)), DataTypes.StringType);
    spark.udf().register(TAGS_IN_TEXT, (UDF1<String, String[]>) rules.tags::tagsInText, DataTypes.createArrayType(DataTypes.StringType, true));
    spark.udf().register(EXAMPLE_TYPE_FOR, (UDF1<Seq<String>, String>) tools -> rules.taskTypes.exampleType(list(tools)), DataTypes.StringType);
  }

  /**
   * Adds the rule-derived columns to extracted rows and orders the columns as the table has them.
   * An example type the reader set (journals, sessions) is kept; otherwise the rules decide. A
   * journal's tags also come from the commands and tool names written in its text.
   */
  public static Dataset<Row> apply(Dataset<Row> extracted) {
    List<String> present = List.of(extracted.columns());
    Column tools = col(ExamplesSchema.TOOL_CALLS + ".tool");
    Column args = col(ExamplesSchema.TOOL_CALLS + ".arguments");
    Column ruleType = call_udf(EXAMPLE_TYPE_FOR, tools);
    Column toolTags = call_udf(TAGS_FOR, tools, args);
    Column validation = call_udf(VALIDATION_FOR, tools, args);
    Dataset<Row> withRules = extracted;
    for (String absent : List.of(ExamplesSchema.REASONING, ExamplesSchema.PROBLEM, ExamplesSchema.ROOT_CAUSE, ExamplesSchema.BAD_CODE, ExamplesSchema.GOOD_CODE)) {
      if (!present.contains(absent)) withRules = withRules.withColumn(absent, lit(null).cast(DataTypes.StringType));
    }
    Column text = concat_ws("\n", col(ExamplesSchema.USER_MESSAGE), col(ExamplesSchema.RESPONSE_TEXT), col(ExamplesSchema.PROBLEM), col(ExamplesSchema.ROOT_CAUSE), col(ExamplesSchema.REASONING), col(ExamplesSchema.BAD_CODE), col(ExamplesSchema.GOOD_CODE));
    withRules =
        withRules
            .withColumn(ExamplesSchema.EXAMPLE_TYPE, present.contains(ExamplesSchema.EXAMPLE_TYPE) ? coalesce(col(ExamplesSchema.EXAMPLE_TYPE), ruleType) : ruleType)
            .withColumn(ExamplesSchema.TASK_TYPE, call_udf(TASK_TYPE_FOR, col(ExamplesSchema.LOGGED_TASK_TYPE), col(ExamplesSchema.USER_MESSAGE), tools, args))
            .withColumn(ExamplesSchema.TAGS,
                when(col(ExamplesSchema.SOURCE).equalTo(Sources.JOURNAL), array_sort(array_distinct(concat(toolTags, call_udf(TAGS_IN_TEXT, text))))).otherwise(toolTags))
            .withColumn(ExamplesSchema.VALIDATION, validation)
            .withColumn(ExamplesSchema.TOKENS, call_udf(TOKENS_FOR, col(ExamplesSchema.USER_MESSAGE), col(ExamplesSchema.PROBLEM), col(ExamplesSchema.BAD_CODE), col(ExamplesSchema.REASONING),
                col(ExamplesSchema.ROOT_CAUSE), col(ExamplesSchema.GOOD_CODE), col(ExamplesSchema.RESPONSE_TEXT), tools, args, col(ExamplesSchema.TOOL_CALLS + ".result")))
            .withColumn(ExamplesSchema.QUALITY_SCORE, call_udf(QUALITY_FOR, col(ExamplesSchema.OUTCOME), col(ExamplesSchema.RESPONSE_TEXT), col(ExamplesSchema.VALIDATION)));
    Column[] ordered = java.util.Arrays.stream(ExamplesSchema.TABLE.fieldNames()).map(n -> col(n).cast(ExamplesSchema.TABLE.apply(n).dataType()).as(n)).toArray(Column[]::new);
    return withRules.select(ordered);
  }

  /** The registry's problems as rows of {@code validation}. */
  static Row[] validation(ToolRegistry registry, List<String> tools, List<String> args) {
    return registry.check(tools, args).stream().map(p -> RowFactory.create(p.call(), p.tool(), p.code(), p.message())).toArray(Row[]::new);
  }

  private static List<String> list(Seq<String> seq) {
    return seq == null ? List.of() : JavaConverters.seqAsJavaList(seq);
  }
}
