package dev.toolcalls.pipeline.job;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.lake.LakeLock;
import dev.toolcalls.pipeline.privacy.Pseudonyms;
import dev.toolcalls.pipeline.spark.GeneratedCode;
import dev.toolcalls.pipeline.stats.StatsJob;
import dev.toolcalls.schemas.TableNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code forget}: deletes one person's rows from every table, on request: their examples (by
 * {@code user_key}), the reviews of those examples and the examples reviews derived from them,
 * their {@code identities} rows, and the quarantined lines that hold their raw id or name; the
 * statistics are computed again without them. Delta keeps the deleted rows in older table
 * versions until VACUUM removes their files: {@link Options#vacuum} does that at once for the
 * tables changed (retention 0, so every older version of those tables is gone too).
 */
public final class ForgetJob {
  /** Options; validated before any Spark work. */
  public static final class Options {
    public String lakeDir;
    /** The Discord user id (its pseudonym is computed with the configured key). */
    public String userId;
    /** Or the pseudonym itself (u-...), e.g. a home-folder user's from the identities table. */
    public String userKey;
    public boolean vacuum;

    public Options validate() {
      if (lakeDir == null || lakeDir.isBlank()) throw new BadInputException("--lake is required");
      if ((userId == null) == (userKey == null)) throw new BadInputException("give exactly one of --user-id and --user-key");
      if (userId != null && !userId.matches("\\d{1,20}")) throw new BadInputException("--user-id must be a Discord user id (digits): " + userId);
      if (userKey != null && !userKey.matches("u-[0-9a-f]{16}")) throw new BadInputException("--user-key must be a pseudonym as in examples.user_key (u- and 16 hex digits): " + userKey);
      return this;
    }
  }

  /** Rows deleted per table; whether the stats were recomputed and the tables vacuumed. */
  public record Result(String lake, String userKey, Map<String, Long> deleted, boolean statsRecomputed, List<String> vacuumed) {
    public String toText() {
      StringBuilder sb = new StringBuilder("forget ").append(userKey).append(" in ").append(lake).append('\n');
      deleted.forEach((t, n) -> sb.append(String.format("  %-12s %d rows deleted%n", t, n)));
      sb.append(statsRecomputed ? "  statistics computed again without them\n" : "");
      sb.append(vacuumed.isEmpty()
          ? "  the deleted rows stay in older Delta versions until VACUUM: run forget again with --vacuum, or maintain after the tables' retention (7 days)\n"
          : "  vacuumed (retention 0: no older version of these tables is left): " + vacuumed + "\n");
      sb.append("  datasets exported before still hold them: export again; their lines are still in the input logs: remove them there, or a full re-extract brings them back\n");
      return sb.toString();
    }
  }

  private final SparkSession spark;
  private final PipelineConfig config;
  private final Options options;
  private final String userKey;

  public ForgetJob(SparkSession spark, PipelineConfig config, Options options) {
    this.spark = spark;
    this.options = options.validate();
    this.userKey = options.userKey != null ? options.userKey : Pseudonyms.from(config).discordUser(options.userId);
    this.config = config;
    GeneratedCode.fromBytes(config); // checked before anything is erased: the statistics job after the erasing reads it
  }

  public Result execute() {
    Lake lake = new Lake(spark, options.lakeDir);
    lake.require(TableNames.EXAMPLES);
    Map<String, Long> deleted = new LinkedHashMap<>();
    List<String> vacuumed = new ArrayList<>();
    boolean stats;
    try (LakeLock lock = LakeLock.acquire(lake.root(), "forget")) {
      String key = "'" + userKey + "'"; // validated: u- and hex digits only
      String examples = table(lake, TableNames.EXAMPLES);
      // What to look for in quarantined raw lines: the id, and the names the identities table knows for this person.
      List<String> raw = new ArrayList<>();
      if (options.userId != null) raw.add(options.userId);
      if (lake.exists(TableNames.IDENTITIES)) {
        // One row per name and id this person was seen with: a handful.
        for (Row r : spark.sql("SELECT DISTINCT user_id, username FROM " + table(lake, TableNames.IDENTITIES) + " WHERE user_key = " + key).collectAsList()) {
          if (!r.isNullAt(0) && !raw.contains(r.getString(0))) raw.add(r.getString(0));
          if (!r.isNullAt(1)) raw.add("\"username\": \"" + r.getString(1) + "\"");
        }
      }
      if (lake.exists(TableNames.ENRICHMENTS)) {
        // Reviews of their examples, and examples reviews derived from them (a source row may match
        // several: allowed, since the only clause is an unconditional DELETE).
        deleted.put(TableNames.ENRICHMENTS, delete(lake, TableNames.ENRICHMENTS, () -> spark.sql("MERGE INTO " + table(lake, TableNames.ENRICHMENTS) + " t USING (SELECT id FROM "
            + examples + " WHERE user_key = " + key + ") s ON t.id = s.id OR array_contains(t.derived_from, s.id) WHEN MATCHED THEN DELETE")));
      }
      deleted.put(TableNames.EXAMPLES, delete(lake, TableNames.EXAMPLES, () -> spark.sql("DELETE FROM " + examples + " WHERE user_key = " + key)));
      if (lake.exists(TableNames.IDENTITIES)) {
        deleted.put(TableNames.IDENTITIES, delete(lake, TableNames.IDENTITIES, () -> spark.sql("DELETE FROM " + table(lake, TableNames.IDENTITIES) + " WHERE user_key = " + key)));
      }
      if (lake.exists(TableNames.QUARANTINE) && !raw.isEmpty()) {
        String where = String.join(" OR ", raw.stream().map(v -> "instr(raw_text, '" + v.replace("\\", "\\\\").replace("'", "\\'") + "') > 0").toList());
        deleted.put(TableNames.QUARANTINE, delete(lake, TableNames.QUARANTINE, () -> spark.sql("DELETE FROM " + table(lake, TableNames.QUARANTINE) + " WHERE " + where)));
      }
      if (options.vacuum) {
        // Right of erasure: the deleted rows' files go now, whatever the tables' retention (every
        // older version of these tables with them). Only for this command and these tables.
        String check = "spark.databricks.delta.retentionDurationCheck.enabled";
        String before = spark.conf().get(check, "true");
        spark.conf().set(check, "false");
        try {
          for (Map.Entry<String, Long> e : deleted.entrySet()) {
            if (e.getValue() == 0) continue;
            spark.sql("VACUUM " + table(lake, e.getKey()) + " RETAIN 0 HOURS").count();
            vacuumed.add(e.getKey());
          }
        } finally {
          spark.conf().set(check, before);
        }
      }
    }
    // Statistics are counts and means over the examples: computed again from what is left.
    stats = lake.exists(TableNames.QUALITY_STATS) && deleted.values().stream().anyMatch(n -> n > 0);
    if (stats) {
      StatsJob.Options o = new StatsJob.Options();
      o.lakeDir = options.lakeDir;
      new StatsJob(spark, config, o).execute();
    }
    return new Result(lake.root(), userKey, deleted, stats, vacuumed);
  }

  private static String table(Lake lake, String name) {
    return "delta.`" + lake.path(name).replace("`", "``") + "`";
  }

  /** Runs a DELETE or MERGE and returns the rows it deleted (Delta's operation metrics of the commit, 0 when nothing was committed). */
  private long delete(Lake lake, String table, Runnable statement) {
    long before = lake.version(table);
    statement.run();
    if (lake.version(table) == before) return 0;
    Row last = io.delta.tables.DeltaTable.forPath(spark, lake.path(table)).history(1).select("operationMetrics").first();
    scala.collection.Map<String, String> metrics = last.getMap(0);
    return Long.parseLong(metrics.getOrElse("numDeletedRows", () -> metrics.getOrElse("numTargetRowsDeleted", () -> "0")));
  }
}
