package dev.toolcalls.pipeline.rules;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.col;

import dev.toolcalls.schemas.ExamplesSchema;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The conf-driven columns as Spark UDFs: thin wrappers over the rule classes, registered under
 * names that SQL users can call too ({@code tags_for}, {@code quality_for}, {@code task_type_for},
 * {@code example_type_for}).
 */
public final class RuleColumns {
  public static final String TAGS_FOR = "tags_for";
  public static final String QUALITY_FOR = "quality_for";
  public static final String TASK_TYPE_FOR = "task_type_for";
  public static final String EXAMPLE_TYPE_FOR = "example_type_for";

  private RuleColumns() {}

  public static void register(SparkSession spark, Rules rules) {
    spark.udf().register(TAGS_FOR, (UDF2<Seq<String>, Seq<String>, String[]>) (tools, args) -> rules.tags.tags(list(tools), list(args)), DataTypes.createArrayType(DataTypes.StringType, true));
    spark.udf().register(QUALITY_FOR, (UDF2<String, String, Double>) rules.quality::score, DataTypes.DoubleType);
    spark.udf().register(TASK_TYPE_FOR, (UDF4<String, String, Seq<String>, Seq<String>, String>) (logged, message, tools, args) -> rules.taskTypes.taskType(logged, message, list(tools), list(args)), DataTypes.StringType);
    spark.udf().register(EXAMPLE_TYPE_FOR, (UDF1<Seq<String>, String>) tools -> rules.taskTypes.exampleType(list(tools)), DataTypes.StringType);
  }

  /** Adds the rule-derived columns to extracted rows and orders the columns as the table has them. */
  public static Dataset<Row> apply(Dataset<Row> extracted) {
    Column tools = col(ExamplesSchema.TOOL_CALLS + ".tool");
    Column args = col(ExamplesSchema.TOOL_CALLS + ".arguments");
    Dataset<Row> withRules =
        extracted
            .withColumn(ExamplesSchema.EXAMPLE_TYPE, call_udf(EXAMPLE_TYPE_FOR, tools))
            .withColumn(ExamplesSchema.TASK_TYPE, call_udf(TASK_TYPE_FOR, col(ExamplesSchema.LOGGED_TASK_TYPE), col(ExamplesSchema.USER_MESSAGE), tools, args))
            .withColumn(ExamplesSchema.TAGS, call_udf(TAGS_FOR, tools, args))
            .withColumn(ExamplesSchema.QUALITY_SCORE, call_udf(QUALITY_FOR, col(ExamplesSchema.OUTCOME), col(ExamplesSchema.RESPONSE_TEXT)));
    for (String absent : List.of(ExamplesSchema.REASONING, ExamplesSchema.PROBLEM, ExamplesSchema.ROOT_CAUSE, ExamplesSchema.BAD_CODE, ExamplesSchema.GOOD_CODE)) {
      if (!List.of(extracted.columns()).contains(absent)) {
        withRules = withRules.withColumn(absent, org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType));
      }
    }
    Column[] ordered = java.util.Arrays.stream(ExamplesSchema.TABLE.fieldNames()).map(n -> col(n).cast(ExamplesSchema.TABLE.apply(n).dataType()).as(n)).toArray(Column[]::new);
    return withRules.select(ordered);
  }

  private static List<String> list(Seq<String> seq) {
    return seq == null ? List.of() : JavaConverters.seqAsJavaList(seq);
  }
}
