package dev.toolcalls.pipeline.job;


import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.schemas.IngestLogSchema;
import dev.toolcalls.schemas.TableNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import dev.toolcalls.pipeline.source.ContentHash;
import dev.toolcalls.pipeline.spark.HadoopConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * What a nightly run reads: the files that are new, grew or changed since {@code ingest_log} last
 * saw them (size or modification time differ, or the last read failed), and, for daily logs, the
 * day before and the day after each of them: a turn can start in one file and end in the next, and
 * a file is only ever processed whole, so reading the neighbours assembles such a turn once,
 * whichever file changed. A file whose size and time are unchanged is not read at all.
 */
final class ChangedFiles {
  private ChangedFiles() {}

  /** ingest_log's row of one file, as the last run that read it left it. */
  record Seen(long sizeBytes, long modifiedMillis, boolean ok, String contentHash, boolean joinedWithNext, boolean joinedWithPrevious, Row row) {}

  /** ingest_log's view of every source: source to relative path to the file's last row. */
  static Map<String, Map<String, Seen>> lastSeen(Lake lake) {
    Map<String, Map<String, Seen>> out = new HashMap<>();
    if (!lake.exists(TableNames.INGEST_LOG)) return out;
    // One row per input file (the folder's size, not the data's), read on the driver without a
    // Spark job; a lake from before content_hash existed reads it as null (judged by size and time).
    for (Row r : lake.readSmall(TableNames.INGEST_LOG, IngestLogSchema.TABLE)) {
      out.computeIfAbsent(r.getAs(IngestLogSchema.SOURCE), s -> new HashMap<>()).put(r.getAs(IngestLogSchema.SOURCE_FILE),
          new Seen(r.<Long>getAs(IngestLogSchema.SIZE_BYTES), r.<java.sql.Timestamp>getAs(IngestLogSchema.MODIFIED_TIME).getTime(),
              "ok".equals(r.getAs(IngestLogSchema.STATUS)), r.getAs(IngestLogSchema.CONTENT_HASH),
              Boolean.TRUE.equals(r.getAs(IngestLogSchema.JOINED_WITH_NEXT)), Boolean.TRUE.equals(r.getAs(IngestLogSchema.JOINED_WITH_PREVIOUS)), r));
    }
    return out;
  }

  static boolean changed(InputFile f, Map<String, Seen> seen) {
    Seen s = seen.get(f.relativePath);
    return s == null || s.sizeBytes() != f.sizeBytes || s.modifiedMillis() != f.modifiedMillis || !s.ok();
  }

  /**
   * Files whose time moved while their size did not (a copy, a restore, a {@code touch}): worth a
   * hash before a re-extraction, since most such files did not change at all.
   */
  static List<InputFile> timeMovedOnly(List<InputFile> files, Map<String, Seen> seen) {
    List<InputFile> out = new ArrayList<>();
    for (InputFile f : files) {
      Seen s = seen.get(f.relativePath);
      if (s != null && s.ok() && s.contentHash() != null && s.sizeBytes() == f.sizeBytes && s.modifiedMillis() != f.modifiedMillis) out.add(f);
    }
    return out;
  }

  /**
   * Hashes the given files (in Spark tasks: the files may be on a cluster's storage) and returns,
   * for those whose hash is the one ingest_log holds, their ingest_log row with the new time; they
   * are then taken as seen in {@code seen}, so they are not read.
   */
  static List<Row> sameContent(JavaSparkContext jsc, HadoopConf hadoop, List<InputFile> candidates, Map<String, Seen> seen) {
    if (candidates.isEmpty()) return List.of();
    List<Tuple2<String, String>> hashes = jsc.parallelize(candidates, candidates.size())
        .map(f -> {
          org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f.uri);
          try {
            return new Tuple2<>(f.relativePath, ContentHash.of(p.getFileSystem(hadoop.get()), p));
          } catch (java.io.IOException e) {
            return new Tuple2<>(f.relativePath, ""); // unreadable now: taken as changed, the reader reports it as failed
          }
        })
        .collect();
    Map<String, InputFile> byPath = new HashMap<>();
    for (InputFile f : candidates) byPath.put(f.relativePath, f);
    List<Row> refreshed = new ArrayList<>();
    for (Tuple2<String, String> h : hashes) {
      Seen s = seen.get(h._1());
      if (!h._2().equals(s.contentHash())) continue;
      InputFile f = byPath.get(h._1());
      Object[] values = new Object[s.row().size()];
      for (int i = 0; i < values.length; i++) values[i] = s.row().get(i);
      values[IngestLogSchema.TABLE.fieldIndex(IngestLogSchema.MODIFIED_TIME)] = new java.sql.Timestamp(f.modifiedMillis);
      values[IngestLogSchema.TABLE.fieldIndex(IngestLogSchema.DETAIL)] = "time moved, content unchanged (same hash): not read again";
      refreshed.add(new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(values, IngestLogSchema.TABLE));
      seen.put(h._1(), new Seen(s.sizeBytes(), f.modifiedMillis, true, s.contentHash(), s.joinedWithNext(), s.joinedWithPrevious(), s.row()));
    }
    return refreshed;
  }

  /** The changed files, in the listing's order. */
  static List<InputFile> select(List<InputFile> files, Map<String, Seen> seen) {
    List<InputFile> out = new ArrayList<>();
    for (InputFile f : files) if (changed(f, seen)) out.add(f);
    return out;
  }

  /**
   * Daily files: the changed ones, and the days ingest_log says they share a turn with (its
   * joined_with_* flags, from the run that last read them), and so on along such a chain: read
   * alone, a file's part of a turn begun or answered in a file not read would look like orphan lines
   * or an incomplete turn and replace the assembled example. The other neighbours a changed file
   * may need are only known once it has been read (see {@link #neighboursNeeded}).
   */
  static List<InputFile> selectWithJoined(List<InputFile> files, Map<String, Seen> seen) {
    List<InputFile> byDay = byDay(files);
    TreeSet<Integer> take = new TreeSet<>();
    for (int i = 0; i < byDay.size(); i++) if (changed(byDay.get(i), seen)) take.add(i);
    followJoins(byDay, take, seen);
    return pick(byDay, take);
  }

  /**
   * After the first pass of a nightly run: the listed days not read yet that a file read may share a
   * turn with: the day before a file that handed lines without their request to the cross-file pass
   * (the request may be there), the day after a file with turns still open at its end (the answer
   * may be there), and, by ingest_log's flags, the days those share turns with.
   */
  static List<InputFile> neighboursNeeded(List<InputFile> listed, java.util.Set<String> read, List<FileReport> reports, Map<String, Seen> seen) {
    List<InputFile> byDay = byDay(listed);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < byDay.size(); i++) index.put(byDay.get(i).relativePath, i);
    TreeSet<Integer> take = new TreeSet<>();
    for (int i = 0; i < byDay.size(); i++) if (read.contains(byDay.get(i).relativePath)) take.add(i);
    TreeSet<Integer> needed = new TreeSet<>();
    for (FileReport r : reports) {
      Integer i = index.get(r.file.relativePath);
      if (i == null || r.error != null) continue;
      if (r.orphansHandedOver > 0 && i > 0) needed.add(i - 1);
      if (r.handedOver > r.orphansHandedOver && i < byDay.size() - 1) needed.add(i + 1);
    }
    needed.removeAll(take);
    if (needed.isEmpty()) return List.of();
    take.addAll(needed);
    TreeSet<Integer> before = new TreeSet<>(take);
    followJoins(byDay, take, seen);
    for (int i : take) if (!before.contains(i)) needed.add(i);
    return pick(byDay, needed);
  }

  /** Adds to {@code take} every day a taken day shares a turn with, by ingest_log's flags, until none is left. */
  private static void followJoins(List<InputFile> byDay, TreeSet<Integer> take, Map<String, Seen> seen) {
    for (boolean grew = true; grew; ) {
      grew = false;
      for (int i : new ArrayList<>(take)) {
        Seen s = seen.get(byDay.get(i).relativePath);
        if (s == null) continue;
        if (s.joinedWithPrevious() && i > 0) grew |= take.add(i - 1);
        if (s.joinedWithNext() && i < byDay.size() - 1) grew |= take.add(i + 1);
      }
    }
  }

  private static List<InputFile> byDay(List<InputFile> files) {
    List<InputFile> byDay = new ArrayList<>(files);
    byDay.sort(java.util.Comparator.comparing((InputFile f) -> f.day == null ? "" : f.day).thenComparing(f -> f.relativePath));
    return byDay;
  }

  private static List<InputFile> pick(List<InputFile> byDay, java.util.Collection<Integer> indexes) {
    List<InputFile> out = new ArrayList<>();
    for (int i : indexes) out.add(byDay.get(i));
    out.sort(java.util.Comparator.comparing(f -> f.relativePath));
    return out;
  }

  /**
   * The files ingest_log has seen that are no longer in the input (in neither form, for daily
   * logs): their rows are kept, history is not lost, but the summary and {@code status} say so.
   */
  static List<String> gone(List<InputFile> listed, Map<String, Seen> seen, boolean daily) {
    java.util.Set<String> present = new java.util.HashSet<>();
    for (InputFile f : listed) present.addAll(daily ? dev.toolcalls.pipeline.source.SourceFiles.bothForms(f.relativePath) : List.of(f.relativePath));
    return seen.keySet().stream().filter(p -> !present.contains(p)).sorted().toList();
  }
}
