package dev.toolcalls.pipeline.enrich;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.rules.Rules;
import dev.toolcalls.pipeline.rules.ToolCatalog;
import dev.toolcalls.schemas.EnrichmentsSchema;
import dev.toolcalls.schemas.ExamplesSchema;
import dev.toolcalls.schemas.Sources;
import dev.toolcalls.schemas.TableNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * {@code enrich import-legacy}: brings the reviews of an enriched extraction file written by the
 * older scripts into {@code enrichments}. Their ids are positions ({@code discord_20260125_003}),
 * so each line is matched to its example by the day of its log file, the user message and the game
 * actions it sent; lines that match no example, or several, are reported and not imported. Lesson
 * lines ({@code reasoning_chain}, {@code code_correction}) become new examples derived from the
 * turns they are about. The legacy file is a person's review of a day or so and is read on the
 * driver; the matching against {@code examples} runs in Spark.
 */
public final class LegacyImportJob {
  static final String MESSAGE_KEY = "legacy_message_key";
  static final String ACTIONS_KEY = "legacy_actions_key";
  public static final String REVIEWER = "legacy-import";

  /** Options; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    public String file;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (file == null || file.isBlank()) throw new BadInputException("--file is required");
      return this;
    }
  }

  /** How a legacy line fared. */
  public enum Match { MATCHED, MATCHED_ON_MESSAGE, AMBIGUOUS, UNMATCHED, LESSON }

  public record LineOutcome(long lineNumber, String legacyId, String exampleType, String userMessage, Match match, List<String> exampleIds) {}

  public record Result(String file, List<LineOutcome> lines, Enrichments.MergeCounts merge) {
    public Map<Match, Long> counts() {
      Map<Match, Long> c = new TreeMap<>();
      for (LineOutcome l : lines) c.merge(l.match(), 1L, Long::sum);
      return c;
    }

    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append("enrich import-legacy ").append(file).append('\n');
      sb.append("  lines: ").append(lines.size()).append(' ').append(counts()).append('\n');
      for (LineOutcome l : lines) {
        sb.append(String.format("  line %d %s (%s) %s -> %s %s%n", l.lineNumber(), l.legacyId(), l.exampleType(),
            quote(l.userMessage()), l.match(), l.exampleIds()));
      }
      sb.append(String.format("  enrichments: %d inserted, %d updated, %d unchanged%n", merge.inserted(), merge.updated(), merge.unchanged()));
      return sb.toString();
    }

    private static String quote(String s) {
      if (s == null) return "\"\"";
      return "\"" + (s.length() > 50 ? s.substring(0, 47) + "..." : s) + "\"";
    }
  }

  private final SparkSession spark;
  private final Rules rules;
  private final Options options;

  public LegacyImportJob(SparkSession spark, Rules rules, Options options) {
    this.spark = spark;
    this.rules = rules;
    this.options = options.validate();
  }

  public Result execute() {
    Lake lake = new Lake(spark, options.lakeDir);
    lake.require(TableNames.EXAMPLES);
    try (dev.toolcalls.pipeline.lake.LakeLock lock = dev.toolcalls.pipeline.lake.LakeLock.acquire(lake.root(), "enrich import-legacy")) {
      return run(lake);
    }
  }

  private Result run(Lake lake) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("enrich-import-legacy-" + System.currentTimeMillis(), "enrich import-legacy " + options.file, false);
    try {
      FileStatus status = lake.inputFile(options.file, "legacy file");
      List<LegacyLine> legacy = read(status);
      Map<Long, List<String>> candidates = new LinkedHashMap<>();
      Map<Long, Boolean> strong = new LinkedHashMap<>();
      matchAgainstExamples(lake, legacy, candidates, strong);

      List<LineOutcome> outcomes = new ArrayList<>();
      List<Review> reviews = new ArrayList<>();
      long reviewedAt = status.getModificationTime() * 1000L;
      String reviewFile = status.getPath().getName();
      Map<String, List<String>> idsByMessage = new LinkedHashMap<>();
      List<String> negativeIds = new ArrayList<>();
      for (LegacyLine l : legacy) {
        if (l.isLesson()) continue;
        List<String> ids = candidates.getOrDefault(l.lineNumber(), List.of());
        Match m = ids.isEmpty() ? Match.UNMATCHED : ids.size() > 1 ? Match.AMBIGUOUS : strong.get(l.lineNumber()) ? Match.MATCHED : Match.MATCHED_ON_MESSAGE;
        outcomes.add(new LineOutcome(l.lineNumber(), l.legacyId(), l.exampleType(), l.userMessage(), m, ids));
        if (ids.size() != 1) continue;
        String id = ids.get(0);
        idsByMessage.computeIfAbsent(l.messageKey(), k -> new ArrayList<>()).add(id);
        boolean negative = "negative".equals(l.exampleType());
        if (negative) negativeIds.add(id);
        boolean reviewed = negative || l.reasoning() != null || l.problem() != null || l.rootCause() != null;
        reviews.add(new Review(l.lineNumber(), id, EnrichmentsSchema.KIND_REVIEW, null, negative ? "negative" : null, null, null,
            l.reasoning(), l.problem(), l.rootCause(), l.badCode(), l.goodCode(), reviewed ? l.qualityScore() : null,
            l.tags().isEmpty() ? null : l.tags(), null, REVIEWER, reviewedAt, "legacy " + l.legacyId() + (l.context() != null ? ": " + l.context() : "")));
      }
      for (LegacyLine l : legacy) {
        if (!l.isLesson()) continue;
        // A lesson is about the turns with its message, or else about the day's negative turns.
        List<String> from = idsByMessage.getOrDefault(l.messageKey(), l.messageKey().isEmpty() ? negativeIds : List.of());
        if (from.isEmpty()) from = negativeIds;
        outcomes.add(new LineOutcome(l.lineNumber(), l.legacyId(), l.exampleType(), l.userMessage(), from.isEmpty() ? Match.UNMATCHED : Match.LESSON, from));
        if (from.isEmpty()) continue;
        Review r = new Review(l.lineNumber(), null, EnrichmentsSchema.KIND_ADDED, List.copyOf(from), l.exampleType(), blankToNull(l.userMessage()), null,
            l.reasoning(), l.problem(), l.rootCause(), l.badCode(), l.goodCode(), l.qualityScore(), l.tags().isEmpty() ? null : l.tags(), null,
            REVIEWER, reviewedAt, "legacy " + l.legacyId() + (l.context() != null ? ": " + l.context() : ""));
        reviews.add(ReviewParser.withId(r, ReviewParser.addedId(r)));
      }
      outcomes.sort(java.util.Comparator.comparingLong(LineOutcome::lineNumber));
      List<Row> rows = new ArrayList<>();
      for (Review r : reviews) rows.add(Enrichments.toRow(r, reviewFile));
      Enrichments.MergeCounts merge = rows.isEmpty()
          ? new Enrichments.MergeCounts(0, 0, 0)
          : Enrichments.merge(spark, lake, spark.createDataFrame(rows, EnrichmentsSchema.TABLE), "{\"command\":\"enrich import-legacy\",\"file\":\"" + reviewFile.replace("\"", "") + "\"}");
      return new Result(options.file, outcomes, merge);
    } finally {
      jsc.clearJobGroup();
    }
  }

  /** Joins the legacy lines' keys with the examples of the same days: candidates per line. */
  private void matchAgainstExamples(Lake lake, List<LegacyLine> legacy, Map<Long, List<String>> candidates, Map<Long, Boolean> strong) {
    ToolCatalog tools = rules.tools;
    spark.udf().register(MESSAGE_KEY, (UDF1<String, String>) LegacyLine::messageKey, DataTypes.StringType);
    spark.udf().register(ACTIONS_KEY, (UDF2<Seq<String>, Seq<String>, String>) (t, a) -> LegacyLine.actionsKey(list(t), list(a), tools), DataTypes.StringType);
    StructType keys = DataTypes.createStructType(List.of(
        DataTypes.createStructField("line_number", DataTypes.LongType, false),
        DataTypes.createStructField("day", DataTypes.StringType, true),
        DataTypes.createStructField("message_key", DataTypes.StringType, false),
        DataTypes.createStructField("actions_key", DataTypes.StringType, false)));
    List<Row> keyRows = new ArrayList<>();
    for (LegacyLine l : legacy) if (!l.isLesson()) keyRows.add(RowFactory.create(l.lineNumber(), l.day(), l.messageKey(), l.actionsKey()));
    if (keyRows.isEmpty()) return;
    Dataset<Row> lines = spark.createDataFrame(keyRows, keys);
    Dataset<Row> examples =
        lake.read(TableNames.EXAMPLES)
            .where(col(ExamplesSchema.SOURCE).equalTo(Sources.DISCORD))
            .select(
                col(ExamplesSchema.ID).as("example_id"),
                regexp_extract(col(ExamplesSchema.SOURCE_FILE), "(\\d{4}-\\d{2}-\\d{2})", 1).as("example_day"),
                call_udf(MESSAGE_KEY, col(ExamplesSchema.USER_MESSAGE)).as("example_message_key"),
                call_udf(ACTIONS_KEY, col("tool_calls.tool"), col("tool_calls.arguments")).as("example_actions_key"),
                col(ExamplesSchema.EVENT_TIME));
    Dataset<Row> joined =
        lines.join(examples, lines.col("day").equalTo(examples.col("example_day")).and(lines.col("message_key").equalTo(examples.col("example_message_key"))));
    // Where some candidates also sent the same actions, only those count.
    Dataset<Row> scored = joined.withColumn("strong", col("actions_key").equalTo(col("example_actions_key")));
    Dataset<Row> best =
        scored.groupBy("line_number")
            .agg(
                org.apache.spark.sql.functions.max("strong").as("any_strong"),
                org.apache.spark.sql.functions.sort_array(org.apache.spark.sql.functions.collect_list(
                    org.apache.spark.sql.functions.struct(col("strong"), col("example_id")))).as("cands"));
    // One row per legacy line (the file's size, not the examples'), so this collect is bounded.
    for (Row r : best.collectAsList()) {
      boolean anyStrong = r.getBoolean(1);
      List<String> ids = new ArrayList<>();
      for (Row c : r.<Row>getList(2)) if (!anyStrong || c.getBoolean(0)) ids.add(c.getString(1));
      candidates.put(r.getLong(0), ids);
      strong.put(r.getLong(0), anyStrong);
    }
  }

  private List<LegacyLine> read(FileStatus status) {
    List<LegacyLine> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try {
      FileSystem fs = status.getPath().getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(status.getPath()), StandardCharsets.UTF_8))) {
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
          n++;
          if (line.isBlank()) continue;
          try {
            out.add(LegacyLine.parse(line, n, rules.tools));
          } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read " + options.file + ": " + e.getMessage(), e);
    }
    if (!errors.isEmpty()) throw new BadInputException(errors.size() + " bad line(s); nothing was imported:\n  " + String.join("\n  ", errors.subList(0, Math.min(20, errors.size()))));
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static List<String> list(Seq<String> seq) {
    return seq == null ? List.of() : JavaConverters.seqAsJavaList(seq);
  }
}
