package dev.toolcalls.schemas;

import java.util.List;

/** The name of every table and view under a lake folder; each table lives in {@code <lake>/<name>}. */
public final class TableNames {
  public static final String EXAMPLES = "examples";
  public static final String QUARANTINE = "quarantine";
  public static final String INGEST_LOG = "ingest_log";
  public static final String ENRICHMENTS = "enrichments";

  /** The view: examples with every enrichment applied, plus the examples reviews added. */
  public static final String TRAINING_EXAMPLES = "training_examples";

  /** Tables in the order the SQL command registers them. */
  public static final List<String> ALL = List.of(EXAMPLES, QUARANTINE, INGEST_LOG, ENRICHMENTS);

  private TableNames() {}
}
