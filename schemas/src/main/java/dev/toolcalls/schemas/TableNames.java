package dev.toolcalls.schemas;

import java.util.List;

/** The name of every table and view under a lake folder; each table lives in {@code <lake>/<name>}. */
public final class TableNames {
  public static final String EXAMPLES = "examples";
  public static final String QUARANTINE = "quarantine";
  public static final String INGEST_LOG = "ingest_log";

  /** Tables in the order the SQL command registers them. */
  public static final List<String> ALL = List.of(EXAMPLES, QUARANTINE, INGEST_LOG);

  private TableNames() {}
}
