package dev.toolcalls.pipeline.export;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import dev.toolcalls.pipeline.config.BadInputException;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Train/validation splits that do not leak: every example of a group ({@code --split-by}) lands in
 * the same split, and so does every example sharing a duplicate key (normalised user message and
 * tool name sequence) with it, across groups. Groups joined by a duplicate key are one component;
 * the component is found by label propagation (each group takes the smallest group key reachable
 * through shared duplicate keys, a bounded number of rounds, an error if it has not settled), and
 * the split is a hash of the component's label: the same data gives the same split on every run.
 */
public final class Splits {
  /** What keeps examples together. */
  public enum SplitBy {
    /** Each example alone (duplicates still kept together). */
    ID,
    /** Discord: account and day; Claude sessions: the session (its file); journals: the journal file. */
    SESSION,
    /** The person ({@code user_key}); the session when unknown. */
    USER,
    /** The day. */
    DAY;

    public static SplitBy parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--split-by must be id, session, user or day, not '" + s + "'");
      }
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String GROUP = "split_group";
  static final String DUPLICATE = "split_duplicate";
  static final String COMPONENT = "split_component";
  /** Rounds of label propagation before giving up: each round is two small joins. */
  static final int MAX_ROUNDS = 30;
  /** Split buckets: a component goes to validation when its bucket is below fraction x BUCKETS. */
  static final long BUCKETS = 1_000_000L;

  private Splits() {}

  /** The group key of each example, by {@code by}; review-added examples join the group of the example they came from. */
  static Column groupKey(SplitBy by) {
    Column session = when(col("source").equalTo("discord"), concat_ws("|", lit("discord"), coalesce(col("account_id"), lit("")), col("event_date").cast("string")))
        .otherwise(concat_ws("|", col("source"), col("source_file")));
    return switch (by) {
      case ID -> col("id");
      case SESSION -> session;
      case USER -> coalesce(concat_ws("|", lit("user"), col("user_key")), session);
      case DAY -> col("event_date").cast("string");
    };
  }

  /**
   * The near-duplicate key: the user message (trimmed, blanks collapsed, lower case) and the names
   * of the tools called, in order; null without a user message (lessons), which ties nothing.
   */
  static Column duplicateKey() {
    Column message = expr("lower(regexp_replace(trim(user_message), '\\\\s+', ' '))");
    return when(message.isNull().or(message.equalTo("")), lit(null).cast("string"))
        .otherwise(concat_ws("\u001F", message, expr("concat_ws(',', transform(tool_calls, c -> coalesce(c.tool, '')))")));
  }

  /**
   * {@code examples} with a {@code split} column ({@code train} / {@code validation}) added. The
   * intermediate results are checkpointed locally each round (short lineage); nothing is collected
   * to the driver but the count of labels that changed.
   */
  public static Dataset<Row> assign(Dataset<Row> examples, SplitBy by, double fraction, String splitColumn, String train, String validation) {
    Dataset<Row> keyed = examples.withColumn(GROUP, groupKey(by)).withColumn(DUPLICATE, duplicateKey());
    // A review-added example (derived_from) belongs with the example it was made from.
    Dataset<Row> origins = keyed.select(col("id").as("origin_id"), col(GROUP).as("origin_group"));
    keyed = keyed.join(origins, element_at(col("derived_from"), 1).equalTo(col("origin_id")), "left")
        .withColumn(GROUP, coalesce(col("origin_group"), col(GROUP)))
        .drop("origin_id", "origin_group");
    Dataset<Row> edges = keyed.where(col(DUPLICATE).isNotNull()).select(GROUP, DUPLICATE).distinct().localCheckpoint();
    Dataset<Row> labels = keyed.select(col(GROUP)).distinct().withColumn(COMPONENT, col(GROUP)).localCheckpoint();
    int round = 0;
    while (true) {
      Dataset<Row> byDuplicate = edges.join(labels, GROUP).groupBy(DUPLICATE).agg(min(COMPONENT).as("d_label"));
      Dataset<Row> reached = edges.join(byDuplicate, DUPLICATE).groupBy(GROUP).agg(min("d_label").as("g_label"));
      Dataset<Row> next = labels.join(reached, labels.col(GROUP).equalTo(reached.col(GROUP)), "left")
          .select(labels.col(GROUP), least(labels.col(COMPONENT), coalesce(reached.col("g_label"), labels.col(COMPONENT))).as(COMPONENT))
          .localCheckpoint();
      long changed = next.join(labels.withColumnRenamed(COMPONENT, "before"), GROUP).where(col(COMPONENT).notEqual(col("before"))).count();
      labels = next;
      if (changed == 0) break;
      if (++round >= MAX_ROUNDS) {
        throw new IllegalStateException("splits: groups joined by duplicates still merging after " + MAX_ROUNDS
            + " rounds of label propagation (" + changed + " labels changed in the last); use --split-by with larger groups");
      }
    }
    Column inValidation = expr("pmod(xxhash64(" + COMPONENT + "), " + BUCKETS + ")").lt(lit((long) Math.floor(fraction * BUCKETS)));
    return keyed.join(labels, GROUP)
        .withColumn(splitColumn, when(inValidation, lit(validation)).otherwise(lit(train)))
        .drop(GROUP, DUPLICATE, COMPONENT);
  }
}
