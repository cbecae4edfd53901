package dev.toolcalls.pipeline.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.schemas.TableNames;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The lake folder: one Delta table per sub-folder, named as in {@link TableNames}. */
public final class Lake {
  private final SparkSession spark;
  private final String root;

  public Lake(SparkSession spark, String root) {
    this.spark = spark;
    this.root = qualify(spark, root);
  }

  /** The lake's root as a fully qualified Hadoop path. */
  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  /**
   * The save mode of a write that replaces a table's rows (all of them, or a replaceWhere's) or
   * creates it: Overwrite when it exists; ErrorIfExists when it does not, since an overwrite lists
   * the files of the empty table it replaces (a Spark job over an empty state in each new table's
   * first commit: a cold 1 MB extract's ingest_log stage 1.0-1.15 s -> 0.7-0.9 s), and a table made
   * meanwhile by another writer is an error, not something to replace.
   */
  public SaveMode replacingMode(String table) {
    return exists(table) ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
  }

  /** Whether the table has a commit: a look at its _delta_log folder, no Spark job. */
  public boolean exists(String table) {
    try {
      Path log = new Path(path(table), "_delta_log");
      org.apache.hadoop.fs.FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(log) && version(table) >= 0;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot look at " + path(table) + ": " + e.getMessage(), e);
    }
  }

  /** Every row of a small table (ingest_log), read on the driver without a Spark job (see SmallTable). */
  public List<Row> readSmall(String table, StructType schema) {
    return SmallTable.readAll(spark.sparkContext().hadoopConfiguration(), path(table), schema);
  }

  /** Fails with a clear message, before any work, when a table the command needs is not there. */
  public void require(String table) {
    if (!exists(table)) throw new dev.toolcalls.pipeline.config.BadInputException("no " + table + " table in " + root + ": run extract first");
  }

  /** The status of a file the user named (a review file, say), or a clear error. */
  public org.apache.hadoop.fs.FileStatus inputFile(String file, String what) {
    try {
      Path p = new Path(file);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(p);
    } catch (java.io.FileNotFoundException e) {
      throw new dev.toolcalls.pipeline.config.BadInputException(what + " not found: " + file);
    } catch (java.io.IOException e) {
      throw new dev.toolcalls.pipeline.config.BadInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(path(table));
  }

  /** The tables that exist in this lake (the owners-only identities table left out). */
  public List<String> existingTables() {
    return existingTables(TableNames.ALL);
  }

  /** Those of {@code tables} that exist in this lake. */
  public List<String> existingTables(List<String> tables) {
    List<String> out = new ArrayList<>();
    for (String t : tables) if (exists(t)) out.add(t);
    return out;
  }

  /**
   * Registers every existing table under its name in the session catalog, so SQL (time travel
   * included: {@code examples VERSION AS OF 3}) can name it. Returns the names registered.
   */
  public List<String> registerTables() {
    return registerTables(TableNames.ALL);
  }

  /** The same for those of {@code tables} that exist (the owners-only identities table is never among the default ones). */
  public List<String> registerTables(List<String> tables) {
    List<String> names = existingTables(tables);
    for (String t : names) {
      spark.sql("DROP TABLE IF EXISTS `" + t + "`"); // external: drops the name only, never the data
      spark.sql("CREATE TABLE `" + t + "` USING delta LOCATION '" + path(t).replace("'", "\\'") + "'");
    }
    return names;
  }

  /**
   * Replaces, in one Delta commit, exactly the rows of {@code table} that came from the given
   * files (per source) with {@code rows}: a {@code replaceWhere} on source and source_file, so rows
   * of other files are untouched. The first write creates the table with its partitioning and the
   * columns Delta keeps min/max statistics for: the default (every one of the first 32 columns)
   * copies every long JSON text at write time and helps no query.
   */
  public void replaceFileRows(String table, Dataset<Row> rows, List<String> partitionColumns, List<String> statsColumns, Map<String, ? extends Collection<String>> filesBySource, String commitNote) {
    replaceFileRows(table, rows, partitionColumns, statsColumns, filesBySource, commitNote, false);
  }

  /** As above; {@code addNewColumns} lets a table made by an older release gain the columns added since. */
  public void replaceFileRows(String table, Dataset<Row> rows, List<String> partitionColumns, List<String> statsColumns, Map<String, ? extends Collection<String>> filesBySource, String commitNote, boolean addNewColumns) {
    String predicate =
        filesBySource.entrySet().stream()
            .filter(e -> !e.getValue().isEmpty())
            .map(e -> "(source = '" + escape(e.getKey()) + "' AND source_file IN ("
                + e.getValue().stream().map(f -> "'" + escape(f) + "'").collect(Collectors.joining(", ")) + "))")
            .collect(Collectors.joining(" OR "));
    if (predicate.isEmpty()) throw new IllegalArgumentException("no file to replace the rows of in " + table);
    var writer = rows.write().format("delta").option("userMetadata", commitNote);
    if (addNewColumns) writer = writer.option("mergeSchema", "true");
    if (exists(table)) {
      writer.mode(SaveMode.Overwrite).option("replaceWhere", predicate).save(path(table));
      return;
    }
    // A write that creates the table stores its "delta."-prefixed options as table properties
    // (per writer: no shared session setting, so the side-by-side writes cannot mix them up).
    // ErrorIfExists: see replacingMode.
    writer.mode(SaveMode.ErrorIfExists)
        .option("delta.dataSkippingStatsColumns", String.join(",", statsColumns))
        .partitionBy(partitionColumns.toArray(new String[0]))
        .save(path(table));
  }

  /**
   * About the bytes of a table's data, for choosing how to run a job (no Spark job): the
   * {@code tableSizeBytes} of the checksum file Delta writes with each commit, else the sizes of
   * every Parquet file under the table (removed ones too) as bin/lib/jit.sh counts them.
   */
  public long sizeBytes(String table) {
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path dir = new Path(path(table));
    try {
      org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(hadoop);
      Path checksum = new Path(dir, String.format("_delta_log/%020d.crc", version(table)));
      if (fs.exists(checksum)) {
        try (java.io.InputStream in = fs.open(checksum)) {
          com.fasterxml.jackson.databind.JsonNode size = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("tableSizeBytes");
          if (size.canConvertToLong()) return size.asLong();
        }
      }
      long bytes = 0;
      for (org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(dir, true); it.hasNext(); ) {
        org.apache.hadoop.fs.LocatedFileStatus f = it.next();
        if (f.getPath().getName().endsWith(".parquet") && !f.getPath().toString().contains("/_delta_log/")) bytes += f.getLen();
      }
      return bytes;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the size of " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * About the bytes of the data files of a partitioned table whose partition {@code column} has a
   * value {@code values} accepts (null for the null partition), from one recursive listing: no Spark
   * job; files of older versions not yet vacuumed count too, as in {@link #sizeBytes}.
   */
  public long sizeBytesWhere(String table, String column, java.util.function.Predicate<String> values) {
    Path dir = new Path(path(table));
    String prefix = column + "=";
    long bytes = 0;
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(dir, true); it.hasNext(); ) {
        org.apache.hadoop.fs.LocatedFileStatus f = it.next();
        if (!f.getPath().getName().endsWith(".parquet")) continue;
        for (Path p = f.getPath().getParent(); p != null && !p.equals(dir); p = p.getParent()) {
          if (!p.getName().startsWith(prefix)) continue;
          String value = org.apache.hadoop.fs.Path.getPathWithoutSchemeAndAuthority(p).getName().substring(prefix.length());
          value = "__HIVE_DEFAULT_PARTITION__".equals(value) ? null : org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils.unescapePathName(value);
          if (values.test(value)) bytes += f.getLen();
          break;
        }
      }
      return bytes;
    } catch (FileNotFoundException gone) {
      return 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the size of " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * The rows a commit added, from its file (the {@code numRecords} Delta keeps in each added file's
   * statistics), without a Spark job; empty when an added file has no such figure. For version 0,
   * the rows of the table as created.
   */
  public java.util.OptionalLong rowsAddedBy(String table, long version) {
    ObjectMapper json = new ObjectMapper();
    long rows = 0;
    try {
      for (JsonNode action : commitActions(table, version)) {
        JsonNode add = action.path("add");
        if (add.isMissingNode()) continue;
        JsonNode n = add.path("stats").isTextual() ? json.readTree(add.path("stats").asText()).path("numRecords") : null;
        if (n == null || !n.canConvertToLong()) return java.util.OptionalLong.empty();
        rows += n.asLong();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read commit " + version + " of " + table + ": " + e.getMessage(), e);
    }
    return java.util.OptionalLong.of(rows);
  }

  /**
   * The note ({@code userMetadata}) of the newest commit of a table that has one, read from the
   * commit files without a Spark job, passing over the commits after it that changed no data
   * ({@code maintain}'s OPTIMIZE rewrites files with dataChange=false, VACUUM commits no file):
   * what the note says of the rows still holds. Null when a commit after it changed data or
   * metadata, when a commit file is gone (log clean-up), or when no commit has a note.
   */
  public String lastNote(String table) {
    try {
      for (long v = version(table); v >= 0; v--) {
        String note = null;
        boolean changed = false;
        for (JsonNode action : commitActions(table, v)) {
          JsonNode n = action.path("commitInfo").path("userMetadata");
          if (n.isTextual()) note = n.asText();
          JsonNode file = action.has("add") ? action.get("add") : action.get("remove");
          if (action.has("metaData") || (file != null && file.path("dataChange").asBoolean(true))) changed = true;
        }
        if (note != null) return note;
        if (changed) return null;
      }
      return null;
    } catch (FileNotFoundException gone) {
      return null;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the Delta log of " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * The actions of one commit, read from its file in the table's _delta_log (one JSON object a
   * line; blank lines skipped) on the driver; FileNotFoundException when the file is gone.
   */
  private List<JsonNode> commitActions(String table, long version) throws IOException {
    Path commit = new Path(path(table), String.format("_delta_log/%020d.json", version));
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> actions = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        commit.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(commit), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.isBlank()) actions.add(json.readTree(line));
      }
    }
    return actions;
  }

  /**
   * The Delta table id (its metadata's, new for a table deleted and created again), to tell that
   * versions noted earlier belong to the same table.
   */
  public String tableId(String table) {
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path(table)).update(false, scala.Option.empty(), scala.Option.empty()).metadata().id();
  }

  /** The latest version of a table: the highest commit file in its _delta_log (no Spark job). */
  public long version(String table) {
    try {
      Path log = new Path(path(table), "_delta_log");
      long latest = -1;
      for (org.apache.hadoop.fs.FileStatus st : log.getFileSystem(spark.sparkContext().hadoopConfiguration()).listStatus(log)) {
        String n = st.getPath().getName();
        if (n.matches("\\d{20}\\.json")) latest = Math.max(latest, Long.parseLong(n.substring(0, 20)));
      }
      return latest;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the Delta log of " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fails with a clear message (naming {@code where} the version came from) unless {@code table}
   * can still be read as it was at {@code version}: the table and that version are in the lake,
   * and every data file of that version is still there (VACUUM deletes the files only older
   * versions read).
   */
  public void requireVersion(String table, long version, String where) {
    Optional<String> why = whyUnreadable(table, version, table + " version " + version + where);
    if (why.isPresent()) throw new dev.toolcalls.pipeline.config.BadInputException(why.get());
  }

  /**
   * Why {@code table} cannot be read as it was at {@code version} (its message starting with
   * {@code what}), or empty when it can: see {@link #requireVersion}.
   */
  public Optional<String> whyUnreadable(String table, long version, String what) {
    if (!exists(table)) return Optional.of("no " + table + " table in " + root + ", so no " + what);
    long latest = version(table);
    if (version > latest) return Optional.of(what + " is not in " + root + ": its latest version is " + latest + " (another lake?)");
    String[] files;
    try {
      files = spark.read().format("delta").option("versionAsOf", version).load(path(table)).inputFiles();
    } catch (Exception e) { // Delta's own (a checked AnalysisException to Java): the version's log entries were cleaned up
      return Optional.of(what + " is no longer in the lake: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    List<String> missing = missingFiles(files);
    if (!missing.isEmpty()) {
      return Optional.of(what + " is no longer in the lake: " + missing.size() + " of its " + files.length
          + " data files were deleted (VACUUM removes the files only older versions read), e.g. " + missing.get(0));
    }
    return Optional.empty();
  }

  /**
   * The partitions (each a map of every partition column to its value as the Delta log writes it,
   * null for a null value) in which some data file was added or removed between two versions of a
   * table, in either order: every row outside them is the same at both versions. Read from the
   * commit files in between, on the driver, without a Spark job. Empty when that cannot be told: a
   * commit file is gone (log clean-up), a commit changed the table's metadata (schema,
   * partitioning, properties), an action does not name its partition, or the table has no
   * partition columns.
   */
  public Optional<Set<Map<String, String>>> partitionsChangedBetween(String table, long versionA, long versionB) {
    Set<Map<String, String>> touched = new LinkedHashSet<>();
    try {
      for (long v = Math.min(versionA, versionB) + 1; v <= Math.max(versionA, versionB); v++) {
        List<JsonNode> actions;
        try {
          actions = commitActions(table, v);
        } catch (FileNotFoundException gone) {
          return Optional.empty(); // cleaned up with the log's old entries
        }
        for (JsonNode action : actions) {
          if (action.has("metaData")) return Optional.empty();
          JsonNode file = action.has("add") ? action.get("add") : action.get("remove");
          if (file == null) continue;
          JsonNode values = file.get("partitionValues");
          if (values == null || !values.isObject()) return Optional.empty();
          Map<String, String> partition = new LinkedHashMap<>();
          // The protocol: an empty string is a null partition value of any type.
          values.fields().forEachRemaining(f -> partition.put(f.getKey(), f.getValue().isNull() || f.getValue().asText().isEmpty() ? null : f.getValue().asText()));
          touched.add(partition);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the Delta log of " + table + ": " + e.getMessage(), e);
    }
    // Delta-Spark leaves null values out of a remove action's partitionValues (only AddFile keeps
    // them): every map gets every column seen, absent ones null. No column at all: not partitioned.
    Set<String> columns = new LinkedHashSet<>();
    touched.forEach(p -> columns.addAll(p.keySet()));
    if (columns.isEmpty() && !touched.isEmpty()) return Optional.empty();
    Set<Map<String, String>> complete = new LinkedHashSet<>();
    for (Map<String, String> p : touched) {
      Map<String, String> full = new LinkedHashMap<>();
      for (String c : columns) full.put(c, p.get(c));
      complete.add(full);
    }
    return Optional.of(complete);
  }

  /** SQL naming a registered table at a version (Delta time travel): {@code `examples` VERSION AS OF 3}. */
  public static String asOf(String table, long version) {
    return "`" + table + "` VERSION AS OF " + version;
  }

  /** Those of {@code files} that do not exist: one listing per folder, not one call per file. */
  private List<String> missingFiles(String[] files) {
    Map<Path, List<Path>> byFolder = new java.util.LinkedHashMap<>();
    for (String f : files) {
      Path p = new Path(f);
      byFolder.computeIfAbsent(p.getParent(), k -> new ArrayList<>()).add(p);
    }
    List<String> missing = new ArrayList<>();
    try {
      org.apache.hadoop.fs.FileSystem fs = new Path(root).getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (Map.Entry<Path, List<Path>> folder : byFolder.entrySet()) {
        java.util.Set<String> present = new java.util.HashSet<>();
        if (fs.exists(folder.getKey())) {
          for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(folder.getKey())) present.add(st.getPath().getName());
        }
        for (Path p : folder.getValue()) if (!present.contains(p.getName())) missing.add(p.toString());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot list the files of " + root + ": " + e.getMessage(), e);
    }
    return missing;
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }

  private static String qualify(SparkSession spark, String dir) {
    try {
      Path p = new Path(dir);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot resolve lake folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
