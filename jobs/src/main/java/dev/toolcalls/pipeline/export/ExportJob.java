package dev.toolcalls.pipeline.export;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.Enrichments;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.spark.GeneratedCode;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code export}: reads {@code training_examples} (enrichments applied), selects, drops exact
 * duplicates, splits train/validation by a hash of the id, and writes each format partitioned as
 * {@code <format>/split=<split>/source=<source>/part-00000.<ext>}, with a {@code manifest.json}.
 * Everything is written under a staging folder first and moved into place at the end, so a killed
 * export never leaves a half-written dataset where a reader would take it for complete. The same
 * table versions and options give byte-identical files: with {@link Options#asOfManifest} the
 * export takes both from an earlier export's manifest and rebuilds its dataset (Delta time travel).
 */
public final class ExportJob {
  /** Options; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    public String outDir;
    public Set<ExportFormat> formats = EnumSet.allOf(ExportFormat.class);
    public Double minQuality;
    public List<String> types = List.of();
    public List<String> sources = List.of();
    public String since;
    public boolean includeNegatives;
    public boolean withReasoning;
    public Double validationFraction;
    /** What keeps examples together in one split; null: conf {@code export.split_by} (session). */
    public Splits.SplitBy splitBy;
    /** Examples with more tokens than this (examples.tokens.total) are left out and counted; null: no limit. */
    public Integer maxTokens;
    /**
     * An earlier export's {@code manifest.json}: rebuild that dataset, every table read at the
     * version the manifest names and every selection option taken from it (none may be set here).
     */
    public String asOfManifest;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (outDir == null || outDir.isBlank()) throw new BadInputException("--out is required");
      if (asOfManifest != null) {
        List<String> given = new ArrayList<>();
        if (!formats.equals(EnumSet.allOf(ExportFormat.class))) given.add("--format");
        if (minQuality != null) given.add("--min-quality");
        if (!types.isEmpty()) given.add("--types");
        if (!sources.isEmpty()) given.add("--sources");
        if (since != null) given.add("--since");
        if (includeNegatives) given.add("--include-negatives");
        if (withReasoning) given.add("--with-reasoning");
        if (validationFraction != null) given.add("--validation-fraction");
        if (splitBy != null) given.add("--split-by");
        if (maxTokens != null) given.add("--max-tokens");
        if (!given.isEmpty()) throw fixedByManifest(given);
      }
      if (formats.isEmpty()) throw new BadInputException("--format names no format");
      if (minQuality != null && !(minQuality >= 0 && minQuality <= 1)) throw new BadInputException("--min-quality must be within 0..1");
      if (validationFraction != null && !(validationFraction >= 0 && validationFraction < 1)) throw new BadInputException("--validation-fraction must be within 0..1");
      if (maxTokens != null && maxTokens < 1) throw new BadInputException("--max-tokens must be a positive number of tokens");
      if (since != null) since = dev.toolcalls.pipeline.config.OptionValues.day("--since", since);
      return this;
    }

    /** The error for selection options given with {@link #asOfManifest}, which fixes them all. */
    public static BadInputException fixedByManifest(List<String> given) {
      return new BadInputException("--as-of-manifest takes every selection option from the manifest; leave out " + String.join(", ", given));
    }
  }

  /**
   * What was written; {@code losses} is per format the examples whose record could not carry a kind
   * of content ({@link ExportLosses}); {@code redactions}: secrets and personal data replaced by placeholders in
   * the exported examples, per type; {@code asOfManifest} is the manifest rebuilt, or null.
   */
  public record Result(String out, String splitBy, double validationFraction, long selected, long duplicatesDropped, long overMaxTokens, Map<String, Map<String, Long>> countsByFormat, Map<String, Map<String, Long>> losses,
      Map<String, Long> redactions, Map<String, Long> tableVersions, String asOfManifest) {
    public String toText() {
      StringBuilder sb = new StringBuilder();
      if (asOfManifest != null) sb.append("rebuilt the dataset of ").append(asOfManifest).append(" from the table versions it names\n");
      sb.append("export into ").append(out).append(" (tables ").append(tableVersions).append(")\n");
      sb.append(String.format("  selected: %d examples; %d exact duplicates dropped; %d over --max-tokens dropped; split by %s (near duplicates kept together)%n",
          selected, duplicatesDropped, overMaxTokens, splitBy));
      sb.append("  redacted: ").append(redactions.isEmpty() ? "nothing" : redactions.toString()).append('\n');
      countsByFormat.forEach((f, c) -> sb.append(String.format("  %-8s %s%n", f, c)));
      String warning = splitWarning();
      if (warning != null) sb.append("  warning: ").append(warning).append('\n');
      losses.forEach((f, l) -> {
        if (!l.isEmpty()) sb.append(String.format("  %-8s could not carry (examples): %s%n", f, l));
      });
      return sb.toString();
    }

    /**
     * Whole groups, and every group joined to them by a near duplicate, go to one split: on data that
     * repeats the same requests across sessions they can merge into a few large sets, and the
     * validation share then lands far from the one asked for (all train, at worst). Said, not hidden.
     */
    public String splitWarning() {
      if (validationFraction <= 0 || countsByFormat.isEmpty()) return null;
      Map<String, Long> c = countsByFormat.values().iterator().next();
      long total = c.values().stream().mapToLong(Long::longValue).sum();
      long validation = c.getOrDefault(VALIDATION, 0L);
      double share = total == 0 ? 0 : (double) validation / total;
      boolean far = validation == 0 || (total >= 100 && (share < validationFraction / 2 || share > validationFraction * 2));
      if (total == 0 || !far) return null;
      return String.format("the validation split holds %.1f%% of the examples (asked for %.1f%%): with --split-by %s a group and every group "
          + "it shares a near duplicate with go to one split, and here they formed few large sets; --split-by id is the finest split that "
          + "still keeps duplicates together", 100 * share, 100 * validationFraction, splitBy);
    }
  }

  static final String SPLIT = "split";
  /** The rendered records' format column, also the scratch folder's partition column. */
  static final String FORMAT = "format";
  static final String TRAIN = "train";
  static final String VALIDATION = "validation";

  private final SparkSession spark;
  private final PipelineConfig config;
  private final ExportSettings settings;
  /** Secrets and people out of every exported text (the pseudonym key read on the driver, shipped inside). */
  private final dev.toolcalls.pipeline.privacy.Scrubber scrubber;
  private final Options options;
  /** The export to rebuild, or null. */
  private final ExportManifest.AsOf asOf;
  private final long codegenFromBytes;

  public ExportJob(SparkSession spark, PipelineConfig config, Options options) {
    this.spark = spark;
    this.config = config;
    this.settings = ExportSettings.from(config);
    options.validate();
    this.scrubber = dev.toolcalls.pipeline.privacy.Scrubber.from(config);
    this.asOf = options.asOfManifest == null ? null
        : ExportManifest.read(options.asOfManifest, options.lakeDir, options.outDir, spark.sparkContext().hadoopConfiguration());
    this.options = asOf == null ? options : asOf.options();
    this.codegenFromBytes = GeneratedCode.fromBytes(config);
  }

  public Result execute() {
    return GeneratedCode.forWork(spark, GeneratedCode.examplesWork(new Lake(spark, options.lakeDir)), codegenFromBytes, this::compute);
  }

  private Result compute() {
    Lake lake = new Lake(spark, options.lakeDir);
    lake.require(TableNames.EXAMPLES);
    double minQuality = options.minQuality != null ? options.minQuality : config.node("export.min_quality").asDouble(0.5);
    double fraction = options.validationFraction != null ? options.validationFraction : config.node("export.validation_fraction").asDouble(0.05);
    String runId = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + UUID.randomUUID().toString().substring(0, 8);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup(runId, "export " + options.lakeDir + " -> " + options.outDir, false);
    List<String> tables = lake.registerTables();
    Map<String, Long> versions = new LinkedHashMap<>();
    if (asOf == null) {
      // The statistics tables are computed from the others and not read here: not what an export was made from.
      for (String t : tables) if (!TableNames.STATISTICS.contains(t)) versions.put(t, lake.version(t));
      Enrichments.registerTrainingView(spark, tables.contains(TableNames.ENRICHMENTS));
    } else {
      versions.putAll(asOf.tableVersions());
      registerTrainingViewAsOf(lake, versions);
    }
    Path out = new Path(options.outDir);
    Path staging = new Path(out, ".export-" + runId);
    FileSystem fs;
    try {
      fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new BadInputException("cannot use " + options.outDir + ": " + e.getMessage(), e);
    }
    Splits.SplitBy splitBy = options.splitBy != null ? options.splitBy : Splits.SplitBy.parse(config.string("export.split_by", "session"));
    Selected selected = select(minQuality);
    Dataset<Row> flagged = selected.flagged().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> chosen = null;
    try {
      Row c = flagged.selectExpr("count_if(NOT over_max_tokens)", "count_if(duplicate AND NOT over_max_tokens)", "count_if(over_max_tokens)").first();
      // The stored duplicates were left out before scrubbing: counted here as the duplicates they are.
      StoredDuplicates stored = selected.storedDuplicates();
      long duplicates = c.getLong(1) + stored.all() - stored.overMaxTokens();
      long overMaxTokens = c.getLong(2) + stored.overMaxTokens();
      long exported = c.getLong(0) - c.getLong(1);
      // Split before the --max-tokens limit applies, so a limit never moves an example from one split
      // to the other; duplicates are left out of it: they are dropped, so they tie no groups together.
      chosen = Splits.assign(flagged.where("NOT duplicate"), splitBy, fraction, SPLIT, TRAIN, VALIDATION).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> kept = chosen.where("NOT over_max_tokens");
      // A handful of rows: one per type found.
      Map<String, Long> redactions = new TreeMap<>();
      for (Row r : kept.selectExpr("explode(" + REDACTIONS + ")").groupBy("key").sum("value").collectAsList()) redactions.put(r.getString(0), r.getLong(1));
      Dataset<Row> unique = kept.drop("duplicate", "over_max_tokens", REDACTIONS);
      Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
      Map<String, Map<String, Long>> manifestCounts = new LinkedHashMap<>();
      Map<String, Map<String, Long>> losses = new LinkedHashMap<>();
      for (ExportFormat f : options.formats) {
        counts.put(f.folder(), new TreeMap<>());
        manifestCounts.put(f.folder(), new TreeMap<>());
        losses.put(f.folder(), new TreeMap<>());
      }
      // Every format rendered in one pass over the examples and written by one job: on a night's
      // few thousand examples the export is a chain of small Spark jobs, and four of each cost more
      // than the rendering.
      Dataset<Row> all = render(unique, List.copyOf(options.formats)).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Dataset<Row> rendered = all.where(col("value").isNotNull());
        // A handful of rows whatever the number of examples: one per format and kind of loss, then one per format, split, source and type.
        for (Row r : all.select(col(FORMAT), explode(col("losses")).as("what")).groupBy(FORMAT, "what").count().collectAsList()) {
          losses.get(r.getString(0)).put(r.getString(1), r.getLong(2));
        }
        for (Row r : rendered.groupBy(FORMAT, SPLIT, "source", "example_type").count().collectAsList()) {
          counts.get(r.getString(0)).merge(r.getString(1), r.getLong(4), Long::sum);
          manifestCounts.get(r.getString(0)).put(r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3), r.getLong(4));
        }
        write(rendered, options.formats, staging, fs);
      } finally {
        all.unpersist();
      }
      writeManifest(fs, new Path(staging, "manifest.json"), versions, minQuality, fraction, splitBy, exported, duplicates, overMaxTokens, manifestCounts, losses, redactions);
      publish(fs, staging, out);
      return new Result(out.toString(), splitBy.label(), fraction, exported, duplicates, overMaxTokens, counts, losses, redactions, versions, asOf == null ? null : asOf.file());
    } catch (IOException e) {
      throw new IllegalStateException("export to " + out + " failed: " + e.getMessage(), e);
    } finally {
      if (chosen != null) chosen.unpersist();
      flagged.unpersist();
      selected.storedFirsts().unpersist();
      deleteQuietly(fs, staging);
      jsc.clearJobGroup();
    }
  }

  /**
   * {@code training_examples} over the tables {@code training_examples} reads, each at the version
   * the manifest names (and without enrichments when it names none), checked first to be still
   * there: the other tables it names are not read.
   */
  private void registerTrainingViewAsOf(Lake lake, Map<String, Long> versions) {
    String where = " (named by " + asOf.file() + ")";
    long examples = versions.get(TableNames.EXAMPLES);
    lake.requireVersion(TableNames.EXAMPLES, examples, where);
    Long enrichments = versions.get(TableNames.ENRICHMENTS);
    if (enrichments != null) lake.requireVersion(TableNames.ENRICHMENTS, enrichments, where);
    Enrichments.registerTrainingView(spark, Lake.asOf(TableNames.EXAMPLES, examples), enrichments == null ? null : Lake.asOf(TableNames.ENRICHMENTS, enrichments));
  }

  /**
   * What {@link #select} finds: the examples to export, scrubbed, with which are exact duplicates of
   * a kept one and which are over --max-tokens ({@code flagged}); the examples identical as stored
   * to one with a smaller id are not among them, only counted ({@code storedDuplicates}).
   * {@code storedFirsts} is persisted: unpersist it when done.
   */
  private record Selected(Dataset<Row> flagged, Dataset<Row> storedFirsts, StoredDuplicates storedDuplicates) {}

  /** Examples identical as stored to one with a smaller id: how many, and how many of them are over --max-tokens. */
  private record StoredDuplicates(long all, long overMaxTokens) {}

  private Selected select(double minQuality) {
    Dataset<Row> t = spark.table(TableNames.TRAINING_EXAMPLES);
    // A negative's low score is its point: when negatives are asked for, the floor does not apply to them.
    t = options.includeNegatives
        ? t.where(col("quality_score").geq(minQuality).or(col("example_type").equalTo("negative")))
        : t.where(col("quality_score").geq(minQuality).and(col("example_type").notEqual("negative")));
    if (!options.types.isEmpty()) t = t.where(col("example_type").isin(options.types.toArray()));
    if (!options.sources.isEmpty()) t = t.where(col("source").isin(options.sources.toArray()));
    if (options.since != null) t = t.where(col("event_date").geq(lit(options.since).cast("date")));
    t = t.withColumn("over_max_tokens", options.maxTokens == null ? lit(false) : expr("coalesce(tokens.total > " + options.maxTokens + ", false)"));
    // Examples identical as stored are found first and never scrubbed (scrubbing runs regular
    // expressions over every text: the export's dearest step). Identical stored texts scrub to
    // identical texts (source included: it decides what counts as chat), so the duplicates found
    // after scrubbing are the same. They are found without moving the examples: a hash aggregate
    // gives the smallest id per 128-bit hash of the stored texts (two 64-bit hashes, two seeds),
    // and the examples are joined to it, broadcast when it is small, as it is on logs that repeat
    // themselves (a window over the texts shuffled and sorted every example, texts and all).
    String stored = "coalesce(%s, '')";
    Column storedTexts = concat_ws("\u001F",
        col("source"), col("example_type"),
        expr(String.format(stored, "user_message")),
        expr("coalesce(to_json(transform(tool_calls, c -> struct(c.tool, c.arguments))), '')"),
        expr(String.format(stored, "response_text")),
        expr(String.format(stored, "reasoning")), expr(String.format(stored, "problem")), expr(String.format(stored, "root_cause")),
        expr(String.format(stored, "bad_code")), expr(String.format(stored, "good_code")));
    String[] columns = t.columns();
    Dataset<Row> hashed = t.withColumn(STORED_HASH_1, xxhash64(storedTexts)).withColumn(STORED_HASH_2, xxhash64(lit(STORED_HASH_SEED), storedTexts));
    Dataset<Row> firsts = hashed.groupBy(STORED_HASH_1, STORED_HASH_2)
        .agg(min("id").as(STORED_FIRST), count(lit(1)).as("n"), expr("count_if(over_max_tokens)").as("n_over"), expr("min_by(over_max_tokens, id)").as("first_over"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    // One row: the number of distinct stored texts, the stored duplicates and those of them over --max-tokens.
    Row sizes = firsts.selectExpr("count(*)", "coalesce(sum(n - 1), 0)", "coalesce(sum(n_over - if(first_over, 1, 0)), 0)").first();
    Dataset<Row> firstIds = firsts.select(col(STORED_HASH_1).as("f1"), col(STORED_HASH_2).as("f2"), col(STORED_FIRST));
    long threshold = spark.sessionState().conf().autoBroadcastJoinThreshold();
    if (threshold >= 0 && sizes.getLong(0) * BYTES_PER_STORED_FIRST <= threshold) firstIds = broadcast(firstIds);
    t = hashed.join(firstIds, col(STORED_HASH_1).equalTo(col("f1")).and(col(STORED_HASH_2).equalTo(col("f2"))).and(col("id").equalTo(col(STORED_FIRST))))
        .select(java.util.Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    // Scrubbed before anything else compares texts: examples that differ only in a secret are duplicates.
    t = scrubbed(t);
    String norm = "regexp_replace(trim(coalesce(%s, '')), '\\\\s+', ' ')";
    Column dedupeKey = concat_ws("\u001F",
        col("example_type"),
        expr(String.format(norm, "user_message")),
        expr("coalesce(to_json(transform(tool_calls, c -> struct(c.tool, " + String.format(norm, "c.arguments") + "))), '')"),
        expr(String.format(norm, "response_text")),
        expr(String.format(norm, "reasoning")), expr(String.format(norm, "problem")), expr(String.format(norm, "root_cause")),
        expr(String.format(norm, "bad_code")), expr(String.format(norm, "good_code")));
    t = t.withColumn("duplicate", row_number().over(Window.partitionBy(dedupeKey).orderBy("id")).gt(1));
    return new Selected(t, firsts, new StoredDuplicates(sizes.getLong(1), sizes.getLong(2)));
  }

  /** The two hashes of an example's stored texts (see select). */
  private static final String STORED_HASH_1 = "stored_hash_1";
  private static final String STORED_HASH_2 = "stored_hash_2";
  /** Hashed ahead of the texts for the second hash, so that it starts from another seed than the first's fixed 42. */
  private static final int STORED_HASH_SEED = 0x5eed;
  /** The smallest id among the examples with the same stored texts. */
  private static final String STORED_FIRST = "stored_first_id";
  /** About what one (hash, hash, id) row of the stored firsts takes, to decide whether to broadcast them. */
  private static final long BYTES_PER_STORED_FIRST = 96;

  static final String REDACTIONS = "redactions";

  /**
   * Every text of the examples with secrets as typed placeholders and people as pseudonyms (see
   * Scrubber), plus a {@code redactions} column: the hits per type in the example.
   */
  private Dataset<Row> scrubbed(Dataset<Row> examples) {
    StructType in = examples.schema();
    StructType out = in.add(REDACTIONS, DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false);
    dev.toolcalls.pipeline.privacy.Scrubber s = scrubber;
    return examples.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new ScrubbedRows(rows, s, in), org.apache.spark.sql.Encoders.row(out));
  }

  /** A partition's rows scrubbed one at a time, each with its hits per type appended. */
  private static final class ScrubbedRows implements java.util.Iterator<Row> {
    private final java.util.Iterator<Row> rows;
    private final dev.toolcalls.pipeline.privacy.Scrubber scrubber;
    private final StructType schema;

    ScrubbedRows(java.util.Iterator<Row> rows, dev.toolcalls.pipeline.privacy.Scrubber scrubber, StructType schema) {
      this.rows = rows;
      this.scrubber = scrubber;
      this.schema = schema;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Map<String, Long> counts = new TreeMap<>();
      Row clean = scrubber.row(rows.next(), schema, counts);
      Object[] v = new Object[schema.size() + 1];
      for (int i = 0; i < schema.size(); i++) v[i] = clean.get(i);
      v[schema.size()] = scala.collection.JavaConverters.mapAsScalaMap(counts);
      return RowFactory.create(v);
    }
  }

  /**
   * (format, split, source, example_type, id, value, losses): the rendered records, one row per
   * example and format; {@code value} is null when the format leaves the example out.
   */
  private Dataset<Row> render(Dataset<Row> examples, List<ExportFormat> formats) {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(FORMAT, DataTypes.StringType, false),
        DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
        DataTypes.createStructField("source", DataTypes.StringType, false),
        DataTypes.createStructField("example_type", DataTypes.StringType, false),
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("value", DataTypes.StringType, true),
        DataTypes.createStructField("losses", DataTypes.createArrayType(DataTypes.StringType, false), false)));
    ExportSettings s = settings;
    boolean withReasoning = options.withReasoning, negatives = options.includeNegatives;
    Dataset<Row> withoutSplit = examples.drop(SPLIT);
    String[] columns = withoutSplit.columns();
    Dataset<Row> input = examples.select(col(SPLIT), org.apache.spark.sql.functions.struct(java.util.Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new)).as("example"));
    return input.mapPartitions(
        (MapPartitionsFunction<Row, Row>) rows -> new RenderedRows(rows, formats, s, withReasoning, negatives),
        org.apache.spark.sql.Encoders.row(schema));
  }

  /**
   * Renders a partition's rows one at a time (never a whole partition in memory), each in every
   * format, with what each record leaves out.
   */
  private static final class RenderedRows implements java.util.Iterator<Row> {
    private final java.util.Iterator<Row> rows;
    private final List<ExportFormat> formats;
    private final ExportSettings settings;
    private final boolean withReasoning;
    private final boolean negatives;
    /** The current example's records, one per format, not yet handed out. */
    private final java.util.ArrayDeque<Row> pending = new java.util.ArrayDeque<>();

    RenderedRows(java.util.Iterator<Row> rows, List<ExportFormat> formats, ExportSettings settings, boolean withReasoning, boolean negatives) {
      this.rows = rows;
      this.formats = formats;
      this.settings = settings;
      this.withReasoning = withReasoning;
      this.negatives = negatives;
    }

    @Override
    public boolean hasNext() {
      if (pending.isEmpty() && rows.hasNext()) {
        Row r = rows.next();
        Row ex = r.getStruct(1);
        String split = r.getString(0), source = ex.getAs("source"), exampleType = ex.getAs("example_type"), id = ex.getAs("id");
        ExportExample e = null; // read once, shared by the chat formats
        for (ExportFormat format : formats) {
          if (format != ExportFormat.UNIFIED && e == null) e = ExportExample.of(ex);
          String value = switch (format) {
            case UNIFIED -> UnifiedRenderer.render(ex);
            case CHATML -> ChatmlRenderer.render(e, settings, withReasoning, negatives);
            case AXOLOTL -> AxolotlRenderer.render(e, settings, withReasoning, negatives);
            case OPENAI -> OpenAiRenderer.render(e, settings, withReasoning, negatives);
          };
          List<String> lost = format == ExportFormat.UNIFIED ? List.of() : ExportLosses.of(format, e, withReasoning, negatives);
          pending.add(RowFactory.create(format.folder(), split, source, exampleType, id,
              value == null ? null : value + format.recordSeparator(), lost.toArray(new String[0])));
        }
      }
      return !pending.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) throw new java.util.NoSuchElementException();
      return pending.poll();
    }
  }

  /**
   * One file per format, split and source, records in id order, renamed to
   * {@code <format>/split=<split>/source=<source>/part-00000.<ext>}: the same records give the same
   * bytes and names on every run. All formats are written by one job into a scratch folder, each
   * format's folder then moved to its name (a format with no record gets an empty folder).
   */
  private static void write(Dataset<Row> rendered, Set<ExportFormat> formats, Path staging, FileSystem fs) throws IOException {
    Path written = new Path(staging, ".rendered");
    rendered.repartition(col(FORMAT), col(SPLIT), col("source"))
        .sortWithinPartitions(FORMAT, SPLIT, "source", "id")
        .select(FORMAT, SPLIT, "source", "value")
        .write()
        .partitionBy(FORMAT, SPLIT, "source")
        .text(written.toString());
    for (ExportFormat f : formats) {
      Path from = new Path(written, FORMAT + "=" + f.folder());
      Path dir = new Path(staging, f.folder());
      if (!fs.exists(from)) {
        fs.mkdirs(dir);
        continue;
      }
      // Each part file moved once, straight to its final name (on an object store a rename is a
      // copy: a folder renamed after its files would copy the dataset twice).
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(from, true);
      List<Path> parts = new ArrayList<>();
      while (it.hasNext()) {
        Path p = it.next().getPath();
        if (p.getName().startsWith("part-")) parts.add(p); // the rest (checksum files) goes with the scratch folder
      }
      fs.mkdirs(dir);
      String fromPrefix = from.toUri().getPath() + "/";
      for (Path p : parts) {
        String folder = p.getParent().toUri().getPath();
        Path targetDir = folder.startsWith(fromPrefix) ? new Path(dir, folder.substring(fromPrefix.length())) : dir;
        Path target = new Path(targetDir, "part-00000." + f.extension);
        if (fs.exists(target)) throw new IllegalStateException("two part files in " + p.getParent() + ": the records of a folder must be in one partition");
        fs.mkdirs(targetDir);
        if (!fs.rename(p, target)) throw new IOException("cannot rename " + p + " to " + target);
      }
      deleteChecksums(fs, dir);
    }
  }

  /**
   * Hadoop's local file system writes a hidden {@code .<name>.crc} beside every file and renames it
   * along: not part of a dataset that people copy or upload, so it goes.
   */
  private static void deleteChecksums(FileSystem fs, Path dir) throws IOException {
    if (!(fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checksummed)) return;
    FileSystem raw = checksummed.getRawFileSystem(); // the checksummed view hides the .crc files
    RemoteIterator<LocatedFileStatus> it = raw.listFiles(dir, true);
    List<Path> checksums = new ArrayList<>();
    while (it.hasNext()) {
      Path p = it.next().getPath();
      if (p.getName().startsWith(".") && p.getName().endsWith(".crc")) checksums.add(p);
    }
    for (Path p : checksums) raw.delete(p, false);
  }

  private void writeManifest(FileSystem fs, Path path, Map<String, Long> versions, double minQuality, double fraction, Splits.SplitBy splitBy, long selected, long duplicates, long overMaxTokens, Map<String, Map<String, Long>> counts,
      Map<String, Map<String, Long>> losses, Map<String, Long> redactions) throws IOException {
    ObjectNode m = Json.NODES.objectNode();
    m.put("created_at", Instant.now().toString());
    m.set(ExportManifest.TABLE_VERSIONS, Json.MAPPER.valueToTree(versions));
    m.set(ExportManifest.OPTIONS, ExportManifest.options(options, minQuality, fraction, splitBy));
    m.put("selected", selected);
    m.put("duplicates_dropped", duplicates);
    m.put("dropped_over_max_tokens", overMaxTokens);
    m.set("counts", Json.MAPPER.valueToTree(counts));
    com.fasterxml.jackson.databind.node.ArrayNode lossTable = m.putArray("losses");
    losses.forEach((format, kinds) -> kinds.forEach((what, n) -> lossTable.addObject().put("format", format).put("what", what).put("examples", n)));
    m.set(REDACTIONS, Json.MAPPER.valueToTree(redactions));
    try (OutputStream os = fs.create(path, true)) {
      os.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m).getBytes(StandardCharsets.UTF_8));
      os.write('\n');
    }
  }

  /**
   * Moves the staged formats and manifest into place: each format folder is replaced by one
   * rename (the old one set aside first), then the manifest, which readers should look at first.
   */
  private static void publish(FileSystem fs, Path staging, Path out) throws IOException {
    fs.mkdirs(out);
    Path old = new Path(staging, ".replaced");
    fs.mkdirs(old);
    for (FileStatus st : fs.listStatus(staging)) {
      String name = st.getPath().getName();
      if (name.startsWith(".") || !st.isDirectory()) continue;
      Path target = new Path(out, name);
      if (fs.exists(target) && !fs.rename(target, new Path(old, name))) throw new IOException("cannot set aside " + target);
      if (!fs.rename(st.getPath(), target)) throw new IOException("cannot move " + st.getPath() + " to " + target);
    }
    Path manifest = new Path(out, "manifest.json");
    if (fs.exists(manifest)) fs.delete(manifest, false);
    if (!fs.rename(new Path(staging, "manifest.json"), manifest)) throw new IOException("cannot move the manifest to " + manifest);
    if (fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checksummed) checksummed.getRawFileSystem().delete(checksummed.getChecksumFile(manifest), false);
  }

  private static void deleteQuietly(FileSystem fs, Path p) {
    try {
      fs.delete(p, true);
    } catch (IOException ignored) {
      // A staging folder left behind is hidden (dot name) and replaced by the next run's own.
    }
  }
}
