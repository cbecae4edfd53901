package dev.toolcalls.pipeline.job;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.lake.LakeLock;
import dev.toolcalls.schemas.TableNames;
import io.delta.tables.DeltaTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code maintain}: upkeep of every table of a lake, so that months of nightly appends do not slow
 * reads down. Per table: OPTIMIZE (Delta's bin-packing compaction of the small files within each
 * partition), then VACUUM with the table's own retention ({@code delta.deletedFileRetentionDuration},
 * Delta's default 7 days) or {@code --retain-hours}. Delta's retention check is never turned off: a
 * retention below a table's is refused by that check (exit 2) before any table is changed. The run
 * holds the lake lock, so it never runs beside a nightly run (exit 3 if one holds the lake).
 */
public final class MaintainJob {
  /** What to maintain; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    /** Hours VACUUM keeps removed files; null: each table's own retention. */
    public Integer retainHours;
    /** Lists what VACUUM would delete and changes nothing (no OPTIMIZE either). */
    public boolean dryRun;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if (retainHours != null && retainHours < 0) throw new BadInputException("--retain-hours must be 0 or more, not " + retainHours);
      return this;
    }
  }

  /**
   * One table. Files are the data files of the current snapshot; {@code compactedRemoved} small
   * files were rewritten as {@code compactedAdded} (OPTIMIZE's metrics); {@code vacuumed} is what
   * VACUUM deleted (files and emptied folders; in a dry run what it would delete, listed in
   * {@code vacuumList}, paths relative to the table).
   */
  public record TableResult(
      String table, long versionBefore, long versionAfter, long filesBefore, long filesAfter,
      long compactedRemoved, long compactedAdded, long vacuumed, List<String> vacuumList, double seconds) {
    public TableResult {
      vacuumList = List.copyOf(vacuumList);
    }
  }

  public record Result(String runId, String lake, boolean dryRun, Integer retainHours, List<TableResult> tables, double seconds) {
    public Result {
      tables = List.copyOf(tables);
    }

    public TableResult table(String name) {
      return tables.stream().filter(t -> t.table().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException("no table " + name + " in " + tables));
    }
  }

  private static final Pattern DELTA_MINIMUM_HOURS = Pattern.compile("not less than \"(\\d+) hours\"");

  private final SparkSession spark;
  private final Options options;

  public MaintainJob(SparkSession spark, Options options) {
    this.spark = spark;
    this.options = options.validate();
  }

  public Result execute() {
    long t0 = System.nanoTime();
    String runId = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + UUID.randomUUID().toString().substring(0, 8);
    Lake lake = new Lake(spark, options.lakeDir);
    // Checked before locking: taking the lock creates the folder, and a mistyped --lake should create nothing.
    if (lake.existingTables(TableNames.ALL_WITH_IDENTITIES).isEmpty()) throw new BadInputException("no Delta table in " + lake.root() + ": nothing to maintain");
    // A dry run commits nothing, so it neither waits for nor blocks a nightly run.
    LakeLock lock = options.dryRun ? null : LakeLock.acquire(lake.root(), "maintain " + runId);
    StageTimer timer = new StageTimer(spark.sparkContext());
    spark.sparkContext().setJobGroup(runId, "maintain " + lake.root() + (options.dryRun ? " (dry run)" : ""), false);
    try {
      List<String> tables = lake.existingTables(TableNames.ALL_WITH_IDENTITIES);
      // Every table's dry run comes first: Delta's own check refuses a too short --retain-hours
      // there, before any table is changed. Its list is also the count where Delta does not log
      // its vacuums (s3a).
      Map<String, List<String>> eligible = new LinkedHashMap<>();
      for (String t : tables) eligible.put(t, timer.time(t + ": vacuum dry run", () -> vacuumDryRun(lake, t)));
      List<TableResult> results = new ArrayList<>();
      for (String t : tables) {
        long start = System.nanoTime();
        long versionBefore = lake.version(t);
        long filesBefore = numFiles(lake, t);
        List<String> wouldDelete = eligible.get(t);
        if (options.dryRun) {
          results.add(new TableResult(t, versionBefore, versionBefore, filesBefore, filesBefore, 0, 0, wouldDelete.size(), wouldDelete, seconds(timer, t, start)));
          continue;
        }
        Row compaction = timer.time(t + ": optimize", () -> DeltaTable.forPath(spark, lake.path(t)).optimize().executeCompaction()
            .selectExpr("metrics.numFilesRemoved", "metrics.numFilesAdded").first());
        long versionOptimized = lake.version(t);
        timer.time(t + ": vacuum", () -> vacuum(lake, t, false));
        long vacuumed = deletedByVacuum(lake, t, versionOptimized).orElse((long) wouldDelete.size());
        long filesAfter = numFiles(lake, t);
        results.add(new TableResult(t, versionBefore, lake.version(t), filesBefore, filesAfter,
            compaction.getLong(0), compaction.getLong(1), vacuumed, List.of(), seconds(timer, t, start)));
      }
      return new Result(runId, lake.root(), options.dryRun, options.retainHours, results, (System.nanoTime() - t0) / 1e9);
    } finally {
      spark.sparkContext().clearJobGroup();
      if (lock != null) lock.close();
    }
  }

  /** The files VACUUM would delete now, relative to the table (a list of files, never of rows). */
  private List<String> vacuumDryRun(Lake lake, String table) {
    String prefix = lake.path(table) + "/";
    List<String> paths = vacuum(lake, table, true).as(Encoders.STRING()).collectAsList();
    List<String> out = new ArrayList<>(paths.size());
    for (String p : paths) out.add(p.startsWith(prefix) ? p.substring(prefix.length()) : p);
    return out;
  }

  /** VACUUM through SQL on the table's path: DRY RUN has no DeltaTable method, and no catalog name is needed. */
  private org.apache.spark.sql.Dataset<Row> vacuum(Lake lake, String table, boolean dryRun) {
    String sql = "VACUUM delta.`" + lake.path(table).replace("`", "``") + "`"
        + (options.retainHours == null ? "" : " RETAIN " + options.retainHours + " HOURS")
        + (dryRun ? " DRY RUN" : "");
    try {
      return spark.sql(sql);
    } catch (IllegalArgumentException e) {
      throw refusedRetention(table, e);
    }
  }

  /** Delta's retention check (a Scala require) as the user's error, with what to give instead. */
  private RuntimeException refusedRetention(String table, IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage());
    if (!message.contains("low retention period")) return e;
    Matcher m = DELTA_MINIMUM_HOURS.matcher(message);
    String minimum = m.find() ? m.group(1) : null;
    return new BadInputException(String.format(
        "--retain-hours %d is below the retention of the %s table%s: Delta's retention check refuses it (time travel to recent versions, "
            + "and a reader or writer still running, may need those files). Nothing was optimized or vacuumed. "
            + "Leave --retain-hours out (each table's own retention) or give %s or more.",
        options.retainHours, table, minimum == null ? "" : " (" + minimum + " hours)", minimum == null ? "the table's retention" : minimum), e);
  }

  /** Delta's own count from the VACUUM END commit, where Delta logs vacuums in the table history (file, hdfs, abfs, gs; not s3a). */
  private Optional<Long> deletedByVacuum(Lake lake, String table, long versionBeforeVacuum) {
    Row last = DeltaTable.forPath(spark, lake.path(table)).history(1).selectExpr("version", "operation", "operationMetrics['numDeletedFiles']").first();
    if (last.getLong(0) <= versionBeforeVacuum || !"VACUUM END".equals(last.getString(1)) || last.isNullAt(2)) return Optional.empty();
    return Optional.of(Long.parseLong(last.getString(2)));
  }

  private long numFiles(Lake lake, String table) {
    return DeltaTable.forPath(spark, lake.path(table)).detail().select("numFiles").first().getLong(0);
  }

  /** A table's time: its dry run, and everything done to it since {@code start}. */
  private static double seconds(StageTimer timer, String table, long start) {
    return timer.seconds().get(table + ": vacuum dry run") + (System.nanoTime() - start) / 1e9;
  }
}
