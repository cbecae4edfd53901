package dev.toolcalls.pipeline.serve;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.Function1;
import scala.Option;
import scala.runtime.BoxedUnit;

/**
 * A session extension that makes SQL read-only once {@link #lock() locked}: an analyzer check rule
 * refuses every command but SHOW, DESCRIBE (Delta's DESCRIBE HISTORY / DETAIL included), EXPLAIN,
 * SET, RESET and USE, before anything runs. Queries are not commands and run as usual. An allow
 * list rather than a list of writes, so a command added by a later Spark or Delta (or INSERT
 * OVERWRITE DIRECTORY, ADD JAR, CACHE TABLE, VACUUM, RESTORE) is refused too.
 *
 * <p>Locked, not refusing from the start, because the server registers its tables and view in
 * the same session before it lets clients in.
 */
public final class ReadOnlySql implements Function1<SparkSessionExtensions, BoxedUnit> {
  /** Thrown (to the JDBC client, as the query's error) for a refused statement. */
  public static final class RefusedException extends RuntimeException {
    RefusedException(String message) {
      super(message);
    }
  }

  /** Commands that only read or set session state, by class name (Spark's and Delta's). */
  private static final Set<String> ALLOWED = Set.of("SetCommand", "ResetCommand", "ExplainCommand", "SetCatalogAndNamespace", "SetNamespaceCommand");

  /**
   * Delta's DELETE / UPDATE / MERGE nodes before they become commands (a rule later in analysis
   * turns them into DeleteCommand and the like; refused here whichever form reaches the check).
   */
  private static final Set<String> DELTA_WRITES = Set.of("DeltaDelete", "DeltaUpdateTable", "DeltaMergeInto");

  private final AtomicBoolean locked = new AtomicBoolean();

  /** From now on, only reads run in the sessions built with this extension. */
  public void lock() {
    locked.set(true);
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    Function1<SparkSession, Function1<LogicalPlan, BoxedUnit>> rule = session -> plan -> {
      if (locked.get()) check(plan);
      return BoxedUnit.UNIT;
    };
    extensions.injectCheckRule(rule);
    return BoxedUnit.UNIT;
  }

  static void check(LogicalPlan plan) {
    Option<LogicalPlan> refused = plan.find(ReadOnlySql::refused);
    if (refused.isDefined()) {
      throw new RefusedException("serve-sql is read-only: " + refused.get().nodeName() + " refused (only queries, SHOW, DESCRIBE, EXPLAIN, SET and USE run here; the lake is changed by bin/pipeline)");
    }
  }

  private static boolean refused(LogicalPlan node) {
    String name = node.getClass().getSimpleName();
    if (DELTA_WRITES.contains(name)) return true;
    if (!(node instanceof Command)) return false;
    return !(name.startsWith("Show") || name.startsWith("Describe") || ALLOWED.contains(name));
  }
}
