package dev.toolcalls.pipeline.job;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.schemas.TableNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code diff}: what changed in a table between two Delta versions, by key (examples and
 * enrichments by id, quarantine by file and line, ingest_log by file): rows added, removed and
 * changed (any column differs), counted by Spark and listed up to a limit.
 */
public final class DiffJob {
  /** The key of each table. */
  static final Map<String, List<String>> KEYS = Map.of(
      TableNames.EXAMPLES, List.of("id"),
      TableNames.ENRICHMENTS, List.of("id"),
      TableNames.QUARANTINE, List.of("source", "source_file", "line_number"),
      TableNames.INGEST_LOG, List.of("source", "source_file"));

  public record Change(String key, String change) {}

  public record Result(String table, long from, long to, long added, long removed, long changed, List<Change> listed) {
    public String toText() {
      StringBuilder sb = new StringBuilder(String.format("%s: version %d -> %d: %d added, %d removed, %d changed%n", table, from, to, added, removed, changed));
      for (Change c : listed) sb.append("  ").append(c.change()).append(' ').append(c.key()).append('\n');
      if (listed.size() < added + removed + changed) sb.append("  ... (").append(added + removed + changed - listed.size()).append(" more)\n");
      return sb.toString();
    }
  }

  private final SparkSession spark;
  private final String lakeDir;
  private final String table;
  private final long from;
  private final Long to;
  private final int limit;

  public DiffJob(SparkSession spark, String lakeDir, String table, long from, Long to, int limit) {
    if (!KEYS.containsKey(table)) throw new BadInputException("diff knows the tables " + KEYS.keySet() + ", not " + table);
    if (from < 0) throw new BadInputException("--from must be a table version (0 or more)");
    this.spark = spark;
    this.lakeDir = lakeDir;
    this.table = table;
    this.from = from;
    this.to = to;
    this.limit = limit;
  }

  public Result execute() {
    Lake lake = new Lake(spark, lakeDir);
    lake.require(table);
    long latest = lake.version(table);
    long toVersion = to == null ? latest : to;
    if (from > latest || toVersion > latest) throw new BadInputException(table + " has versions 0.." + latest);
    List<String> keys = KEYS.get(table);
    Dataset<Row> a = fingerprint(lake, from, keys).as("a");
    Dataset<Row> b = fingerprint(lake, toVersion, keys).as("b");
    Column joinOn = null;
    for (String k : keys) joinOn = joinOn == null ? col("a." + k).eqNullSafe(col("b." + k)) : joinOn.and(col("a." + k).eqNullSafe(col("b." + k)));
    Column change = when(col("a.row_hash").isNull(), "added").when(col("b.row_hash").isNull(), "removed")
        .when(col("a.row_hash").notEqual(col("b.row_hash")), "changed");
    Column key = concat_ws(" ", keys.stream().map(k -> coalesce(col("b." + k), col("a." + k)).cast("string")).toArray(Column[]::new));
    Dataset<Row> diff = a.join(b, joinOn, "full_outer").select(change.as("change"), key.as("key")).where(col("change").isNotNull()).cache();
    try {
      long added = 0, removed = 0, changed = 0;
      for (Row r : diff.groupBy("change").count().collectAsList()) {
        switch (r.getString(0)) {
          case "added" -> added = r.getLong(1);
          case "removed" -> removed = r.getLong(1);
          default -> changed = r.getLong(1);
        }
      }
      List<Change> listed = new ArrayList<>();
      Iterator<Row> it = diff.orderBy("change", "key").limit(limit).toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        listed.add(new Change(r.getString(1), r.getString(0)));
      }
      return new Result(table, from, toVersion, added, removed, changed, listed);
    } finally {
      diff.unpersist();
    }
  }

  /** Keys and a hash of the whole row at a version. */
  private Dataset<Row> fingerprint(Lake lake, long version, List<String> keys) {
    Dataset<Row> t = spark.read().format("delta").option("versionAsOf", version).load(lake.path(table));
    Column[] all = Arrays.stream(t.columns()).map(c -> col(c)).toArray(Column[]::new);
    List<Column> out = new ArrayList<>();
    for (String k : keys) out.add(col(k));
    out.add(sha2(to_json(struct(all)), 256).as("row_hash"));
    return t.select(out.toArray(new Column[0]));
  }
}
