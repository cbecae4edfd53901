package dev.toolcalls.pipeline.job;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

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

  /**
   * {@code partitionsCompared}: how many partitions were compared, those whose files changed
   * between the versions (null: the whole table, when the log could not tell).
   */
  public record Result(String table, long from, long to, long added, long removed, long changed, List<Change> listed, Integer partitionsCompared) {
    public String toText() {
      StringBuilder sb = new StringBuilder(String.format("%s: version %d -> %d: %d added, %d removed, %d changed%n", table, from, to, added, removed, changed));
      if (partitionsCompared != null) sb.append(String.format("  (compared in the %d partition(s) whose data files changed between the versions)%n", partitionsCompared));
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
    // Only the partitions a commit in between touched can differ: a nightly run's diff reads its
    // days, not the whole history (see README, Nightly runs: the run summary of one new day on a month).
    Optional<Set<Map<String, String>>> touched = lake.partitionsChangedBetween(table, from, toVersion);
    if (touched.isPresent() && touched.get().isEmpty()) return new Result(table, from, toVersion, 0, 0, 0, List.of(), 0);
    Dataset<Row> atFrom = spark.read().format("delta").option("versionAsOf", from).load(lake.path(table));
    Dataset<Row> atTo = spark.read().format("delta").option("versionAsOf", toVersion).load(lake.path(table));
    // No metadata change in between (else touched is empty): both versions have this schema.
    Optional<Column> onlyTouched = touched.flatMap(p -> partitionFilter(p, atFrom.schema()));
    Dataset<Row> a = fingerprint(atFrom, keys, onlyTouched).as("a");
    Dataset<Row> b = fingerprint(atTo, keys, onlyTouched).as("b");
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
      return new Result(table, from, toVersion, added, removed, changed, listed, onlyTouched.isPresent() ? touched.get().size() : null);
    } finally {
      diff.unpersist();
    }
  }

  /** Keys and a hash of the whole row of a version's rows, those {@code filter} keeps (when given). */
  private static Dataset<Row> fingerprint(Dataset<Row> version, List<String> keys, Optional<Column> filter) {
    Dataset<Row> t = filter.isPresent() ? version.where(filter.get()) : version;
    Column[] all = Arrays.stream(t.columns()).map(c -> col(c)).toArray(Column[]::new);
    List<Column> out = new ArrayList<>();
    for (String k : keys) out.add(col(k));
    out.add(sha2(to_json(struct(all)), 256).as("row_hash"));
    return t.select(out.toArray(new Column[0]));
  }

  /** At most this many OR branches (one per value of the leading partition columns) in the filter; above it, the whole table. */
  static final int MAX_FILTER_BRANCHES = 100;

  /**
   * A filter on partition columns only, so that Delta prunes files by it: an OR, over each
   * combination of the leading columns' values, of (leading columns equal to it AND the last column
   * IN its values). None (compare the whole table) when the log names columns the schema does not
   * have by those names (column mapping keys the log by physical names), or past
   * {@link #MAX_FILTER_BRANCHES} branches.
   */
  static Optional<Column> partitionFilter(Set<Map<String, String>> partitions, StructType schema) {
    List<String> columns = new ArrayList<>(partitions.iterator().next().keySet());
    if (!List.of(schema.fieldNames()).containsAll(columns)) return Optional.empty();
    String last = columns.get(columns.size() - 1);
    Map<List<String>, List<String>> lastByLeading = new LinkedHashMap<>();
    for (Map<String, String> p : partitions) {
      List<String> leading = new ArrayList<>();
      for (String c : columns.subList(0, columns.size() - 1)) leading.add(p.get(c));
      lastByLeading.computeIfAbsent(leading, k -> new ArrayList<>()).add(p.get(last));
    }
    if (lastByLeading.size() > MAX_FILTER_BRANCHES) return Optional.empty();
    DataType lastType = schema.apply(last).dataType();
    Column any = lit(false);
    for (Map.Entry<List<String>, List<String>> e : lastByLeading.entrySet()) {
      Column match = lit(true);
      for (int i = 0; i < e.getKey().size(); i++) match = match.and(partitionIs(columns.get(i), e.getKey().get(i), schema));
      Column lastMatch = lit(false);
      List<Column> values = new ArrayList<>();
      for (String v : e.getValue()) {
        if (v == null) lastMatch = lastMatch.or(col(last).isNull());
        else values.add(lit(v).cast(lastType));
      }
      if (!values.isEmpty()) lastMatch = lastMatch.or(col(last).isin(values.toArray()));
      any = any.or(match.and(lastMatch));
    }
    return Optional.of(any);
  }

  private static Column partitionIs(String column, String value, StructType schema) {
    return value == null ? col(column).isNull() : col(column).equalTo(lit(value).cast(schema.apply(column).dataType()));
  }
}
