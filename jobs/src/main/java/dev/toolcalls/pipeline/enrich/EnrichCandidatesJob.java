package dev.toolcalls.pipeline.enrich;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.schemas.EnrichmentsSchema;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.TableNames;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * {@code enrich candidates}: writes the examples worth reviewing as JSONL, one per line, each with
 * why it was chosen, the whole example (so a reviewer needs nothing else) and the fields a review
 * fills, empty. The file, filled in, is what {@code enrich apply} takes back. Examples already
 * reviewed are left out unless asked for.
 */
public final class EnrichCandidatesJob {
  public static final String REASONS_FOR = "review_reasons_for";

  /** Options; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    public Path out;
    public String date;
    public Integer limit;
    public boolean includeReviewed;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (out == null) throw new BadInputException("--out is required");
      if (limit != null && limit <= 0) throw new BadInputException("--limit must be positive");
      return this;
    }
  }

  public record Result(Path out, long written, Map<String, Long> byReason) {
    public String toText() {
      return String.format("enrich candidates: %d examples to review written to %s%n  by reason: %s%n", written, out, byReason);
    }
  }

  private final SparkSession spark;
  private final CandidateRules rules;
  private final Options options;

  public EnrichCandidatesJob(SparkSession spark, CandidateRules rules, Options options) {
    this.spark = spark;
    this.rules = rules;
    this.options = options.validate();
  }

  public Result execute() {
    Lake lake = new Lake(spark, options.lakeDir);
    lake.require(TableNames.EXAMPLES);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("enrich-candidates-" + System.currentTimeMillis(), "enrich candidates " + options.lakeDir, false);
    CandidateRules r = rules;
    spark.udf().register(REASONS_FOR,
        (UDF7<String, Double, String, String, Seq<String>, Seq<String>, Seq<Boolean>, String[]>) (outcome, q, resp, msg, tools, args, errs) ->
            r.reasons(outcome, q, resp, msg, list(tools), list(args), list(errs)).toArray(new String[0]),
        DataTypes.createArrayType(DataTypes.StringType, false));
    try {
      Dataset<Row> examples = lake.read(TableNames.EXAMPLES);
      if (options.date != null) examples = examples.where(col(ExamplesSchema.EVENT_DATE).equalTo(lit(options.date).cast("date")));
      if (!options.includeReviewed && lake.exists(TableNames.ENRICHMENTS)) {
        Dataset<Row> reviewed = lake.read(TableNames.ENRICHMENTS).where(col(EnrichmentsSchema.KIND).equalTo(EnrichmentsSchema.KIND_REVIEW)).select(col("id").as("reviewed_id"));
        examples = examples.join(reviewed, examples.col("id").equalTo(reviewed.col("reviewed_id")), "left_anti");
      }
      Dataset<Row> chosen =
          examples
              .withColumn("why", call_udf(REASONS_FOR, col(ExamplesSchema.OUTCOME), col(ExamplesSchema.QUALITY_SCORE), col(ExamplesSchema.RESPONSE_TEXT),
                  col(ExamplesSchema.USER_MESSAGE), col("tool_calls.tool"), col("tool_calls.arguments"), col("tool_calls.is_error")))
              .where(size(col("why")).gt(0))
              .orderBy(col(ExamplesSchema.EVENT_TIME), col(ExamplesSchema.ID));
      if (options.limit != null) chosen = chosen.limit(options.limit);
      Column example = struct(Arrays.stream(ExamplesSchema.TABLE.fieldNames()).map(n -> col(n)).toArray(Column[]::new));
      Column line =
          to_json(
              struct(
                  col(ExamplesSchema.ID).as("id"), col("why"), example.as("example"),
                  lit(null).cast("string").as("example_type"), lit(null).cast("string").as("reasoning"),
                  lit(null).cast("string").as("problem"), lit(null).cast("string").as("root_cause"),
                  lit(null).cast("double").as("quality_score"), lit(null).cast("array<string>").as("tags_add"),
                  lit(null).cast("array<string>").as("tags_remove"), lit(null).cast("string").as("note")),
              Map.of("ignoreNullFields", "false"));
      Dataset<Row> lines = chosen.select(line.as("line"), col("why")).cache();
      try {
        long written = write(lines.select("line"));
        Map<String, Long> byReason = new java.util.TreeMap<>();
        lines.select(org.apache.spark.sql.functions.explode(col("why")).as("reason")).groupBy("reason").count()
            .collectAsList().forEach(row -> byReason.put(row.getString(0), row.getLong(1)));
        return new Result(options.out, written, byReason);
      } finally {
        lines.unpersist();
      }
    } finally {
      jsc.clearJobGroup();
    }
  }

  /** Streams the lines to the driver's file a partition at a time (never the whole set at once). */
  private long write(Dataset<Row> lines) {
    long n = 0;
    try {
      Path parent = options.out.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Path tmp = options.out.resolveSibling(options.out.getFileName() + ".tmp");
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        Iterator<Row> it = lines.toLocalIterator();
        while (it.hasNext()) {
          w.write(it.next().getString(0));
          w.write('\n');
          n++;
        }
      }
      Files.move(tmp, options.out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new BadInputException("cannot write " + options.out + ": " + e.getMessage(), e);
    }
    return n;
  }

  private static <T> List<T> list(Seq<T> seq) {
    return seq == null ? List.of() : JavaConverters.seqAsJavaList(seq);
  }
}
