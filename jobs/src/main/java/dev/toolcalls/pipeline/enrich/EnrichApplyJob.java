package dev.toolcalls.pipeline.enrich;

import static org.apache.spark.sql.functions.col;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.schemas.EnrichmentsSchema;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code enrich apply}: MERGEs a reviewed JSONL file into {@code enrichments}, all or nothing. Every
 * line is checked first (on the executors): a line that is not a valid review, or that names an
 * example that does not exist, rejects the whole file with its line numbers.
 */
public final class EnrichApplyJob {
  /** Options; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    public String file;
    public String reviewer = System.getProperty("user.name", "reviewer");

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (file == null || file.isBlank()) throw new BadInputException("--file is required");
      return this;
    }
  }

  /** What the apply did. */
  public record Result(String file, long lines, long skippedUnchangedLines, long reviews, long addedExamples, Enrichments.MergeCounts merge, long version) {
    public String toText() {
      return String.format(
          "enrich apply %s%n  read: %d lines (%d reviews, %d new examples, %d lines with no change skipped)%n"
              + "  enrichments: %d inserted, %d updated, %d unchanged (already applied or older than the stored review)%n  table version: %d%n",
          file, lines, reviews, addedExamples, skippedUnchangedLines, merge.inserted(), merge.updated(), merge.unchanged(), version);
    }
  }

  private static final int MAX_LISTED = 20;
  private final SparkSession spark;
  private final Options options;

  public EnrichApplyJob(SparkSession spark, Options options) {
    this.spark = spark;
    this.options = options.validate();
  }

  public Result execute() {
    Lake lake = new Lake(spark, options.lakeDir);
    lake.require(TableNames.EXAMPLES);
    try (dev.toolcalls.pipeline.lake.LakeLock lock = dev.toolcalls.pipeline.lake.LakeLock.acquire(lake.root(), "enrich apply")) {
      return run(lake);
    }
  }

  private Result run(Lake lake) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("enrich-apply-" + System.currentTimeMillis(), "enrich apply " + options.file, false);
    try {
      FileStatus status = lake.inputFile(options.file, "review file");
      String reviewFile = status.getPath().getName();
      long defaultAt = status.getModificationTime() * 1000L;
      String reviewer = options.reviewer;
      JavaRDD<ReviewParser.Parsed> parsed =
          jsc.textFile(status.getPath().toString())
              .zipWithIndex()
              .filter(t -> !t._1().isBlank())
              .map(t -> ReviewParser.parse(t._1(), t._2() + 1, reviewer, defaultAt))
              .cache();
      try {
        rejectBadLines(parsed);
        JavaRDD<Review> reviews = parsed.map(ReviewParser.Parsed::review).filter(r -> !r.isEmpty());
        rejectUnknownIds(lake, reviews);
        Dataset<Row> latest = latestPerId(reviews, reviewFile);
        long total = parsed.count();
        long changing = reviews.count();
        long added = reviews.filter(r -> r.kind().equals(EnrichmentsSchema.KIND_ADDED)).count();
        Enrichments.MergeCounts merge = Enrichments.merge(spark, lake, latest, "{\"command\":\"enrich apply\",\"file\":\"" + reviewFile.replace("\"", "") + "\"}");
        return new Result(options.file, total, total - changing, changing - added, added, merge, lake.version(TableNames.ENRICHMENTS));
      } finally {
        parsed.unpersist();
      }
    } finally {
      jsc.clearJobGroup();
    }
  }

  private static void rejectBadLines(JavaRDD<ReviewParser.Parsed> parsed) {
    JavaRDD<ReviewParser.Parsed> bad = parsed.filter(p -> p.error() != null);
    long n = bad.count();
    if (n == 0) return;
    List<String> lines = new ArrayList<>();
    // A bounded sample for the message, never the whole set.
    for (ReviewParser.Parsed p : bad.takeOrdered(MAX_LISTED, new ByLine())) lines.add("line " + p.lineNumber() + ": " + p.error());
    throw new BadInputException(n + " bad line(s); nothing of the file was applied:\n  " + String.join("\n  ", lines) + (n > MAX_LISTED ? "\n  ..." : ""));
  }

  /** Review ids and derived_from ids must name an example (or an added one, possibly in this file). */
  private void rejectUnknownIds(Lake lake, JavaRDD<Review> reviews) {
    StructType refSchema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("ref", DataTypes.StringType, false), DataTypes.createStructField("line_number", DataTypes.LongType, false)));
    Dataset<Row> refs = spark.createDataFrame(
        reviews.flatMap(r -> {
          List<Row> out = new ArrayList<>();
          if (r.kind().equals(EnrichmentsSchema.KIND_REVIEW)) out.add(org.apache.spark.sql.RowFactory.create(r.id(), r.lineNumber()));
          if (r.derivedFrom() != null) for (String d : r.derivedFrom()) out.add(org.apache.spark.sql.RowFactory.create(d, r.lineNumber()));
          return out.iterator();
        }),
        refSchema);
    Dataset<Row> known = Enrichments.knownIds(lake).union(spark.createDataFrame(
        reviews.filter(r -> r.kind().equals(EnrichmentsSchema.KIND_ADDED)).map(r -> org.apache.spark.sql.RowFactory.create(r.id())),
        DataTypes.createStructType(List.of(DataTypes.createStructField("id", DataTypes.StringType, false)))));
    Dataset<Row> unknown = refs.join(known, refs.col("ref").equalTo(known.col("id")), "left_anti");
    long n = unknown.count();
    if (n == 0) return;
    List<String> lines = new ArrayList<>();
    for (Row r : unknown.orderBy("line_number").limit(MAX_LISTED).collectAsList()) lines.add("line " + r.getLong(1) + ": unknown example id " + r.getString(0));
    throw new BadInputException(n + " reference(s) to unknown examples; nothing of the file was applied:\n  " + String.join("\n  ", lines) + (n > MAX_LISTED ? "\n  ..." : ""));
  }

  /**
   * One row per id: two lines of one file about the same example keep the later {@code
   * reviewed_at}; at the same time, the later line.
   */
  private Dataset<Row> latestPerId(JavaRDD<Review> reviews, String reviewFile) {
    StructType withLine = EnrichmentsSchema.TABLE.add("line_number", DataTypes.LongType, false);
    Dataset<Row> rows = spark.createDataFrame(reviews.map(r -> {
      Row base = Enrichments.toRow(r, reviewFile);
      Object[] v = new Object[base.size() + 1];
      for (int i = 0; i < base.size(); i++) v[i] = base.get(i);
      v[base.size()] = r.lineNumber();
      return org.apache.spark.sql.RowFactory.create(v);
    }), withLine);
    return rows.withColumn("rank", org.apache.spark.sql.functions.row_number().over(
            Window.partitionBy(EnrichmentsSchema.ID).orderBy(col(EnrichmentsSchema.REVIEWED_AT).desc(), col("line_number").desc())))
        .where(col("rank").equalTo(1))
        .select(java.util.Arrays.stream(EnrichmentsSchema.TABLE.fieldNames()).map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
  }

  private static final class ByLine implements java.util.Comparator<ReviewParser.Parsed>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(ReviewParser.Parsed a, ReviewParser.Parsed b) {
      return Long.compare(a.lineNumber(), b.lineNumber());
    }
  }
}
