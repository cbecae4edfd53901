package dev.toolcalls.pipeline.cli;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = "Runs one Spark SQL statement with every lake table registered by its name (examples, quarantine, ingest_log, ..., and the owners-only identities). Time travel works: SELECT * FROM examples VERSION AS OF 0.")
public final class SqlCommand implements Callable<Integer> {
  enum Format { table, json, csv }

  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), json (one JSON object per row) or csv (with a header).")
  Format format = Format.table;

  @Option(names = "--limit", paramLabel = "N", description = "At most N rows (default: 100 for table, all for json and csv).")
  Integer limit;

  @Option(names = "--max-width", paramLabel = "N", description = "Cut table cells longer than N characters (default 80; 0 keeps them whole).")
  int maxWidth = 80;

  @Parameters(paramLabel = "QUERY", arity = "1", description = "The SQL statement (quote it).")
  String query;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline sql");
    Lake l = new Lake(spark, lake);
    // The rules as SQL functions (tags_for, quality_for, ...): try a conf change on stored rows before re-extracting.
    dev.toolcalls.pipeline.rules.RuleColumns.register(spark, dev.toolcalls.pipeline.rules.Rules.from(config));
    java.util.List<String> tables = new java.util.ArrayList<>(l.registerTables());
    // The owners' command: the raw identities are registered here, never in serve-sql, export or stats.
    tables.addAll(l.registerTables(java.util.List.of(dev.toolcalls.schemas.TableNames.IDENTITIES)));
    if (tables.isEmpty()) {
      throw new BadInputException("no tables in lake " + lake + " (run extract first)");
    }
    if (tables.contains(dev.toolcalls.schemas.TableNames.EXAMPLES)) {
      dev.toolcalls.pipeline.enrich.Enrichments.registerTrainingView(spark, tables.contains(dev.toolcalls.schemas.TableNames.ENRICHMENTS));
    }
    Dataset<Row> df = spark.sql(query);
    PrintStream out = System.out;
    switch (format) {
      case json:
        Iterator<String> it = (limit == null ? df : df.limit(limit)).toJSON().toLocalIterator();
        while (it.hasNext()) out.println(it.next());
        break;
      case csv:
        printCsv(flatten(limit == null ? df : df.limit(limit)), out);
        break;
      default:
        printTable(flatten(df), limit == null ? 100 : limit, out);
    }
    out.flush();
    return 0;
  }

  /** Nested values as JSON text and bytes as hex, so every cell is one string. */
  static Dataset<Row> flatten(Dataset<Row> df) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      Column c = df.col("`" + f.name().replace("`", "``") + "`");
      if (f.dataType() instanceof StructType || f.dataType() instanceof ArrayType || f.dataType() instanceof MapType) {
        c = functions.to_json(c);
      } else if (f.dataType() instanceof BinaryType) {
        c = functions.hex(c);
      }
      cols.add(c.cast("string").as(f.name()));
    }
    return df.select(cols.toArray(new Column[0]));
  }

  private void printTable(Dataset<Row> df, int max, PrintStream out) {
    List<Row> rows = df.limit(max + 1).collectAsList();
    TablePrinter p = new TablePrinter(List.of(df.columns()), maxWidth);
    for (int i = 0; i < Math.min(max, rows.size()); i++) p.add(cells(rows.get(i)));
    p.print(out);
    out.println(rows.size() > max ? "(first " + max + " rows; --limit N shows more)" : "(" + rows.size() + " rows)");
  }

  private static void printCsv(Dataset<Row> df, PrintStream out) {
    CsvWriterSettings settings = new CsvWriterSettings();
    settings.setQuoteEscapingEnabled(true);
    CsvWriter w = new CsvWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), settings);
    w.writeHeaders(df.columns());
    Iterator<Row> it = df.toLocalIterator();
    while (it.hasNext()) w.writeRow(cells(it.next()).toArray());
    w.flush();
  }

  private static List<String> cells(Row r) {
    List<String> out = new ArrayList<>(r.length());
    for (int i = 0; i < r.length(); i++) out.add(r.isNullAt(i) ? null : r.getString(i));
    return out;
  }
}
