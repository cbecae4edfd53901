package dev.toolcalls.pipeline.job;

import static org.apache.spark.sql.functions.col;

import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.schemas.IngestLogSchema;
import dev.toolcalls.schemas.TableNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * What a nightly run reads: the files that are new, grew or changed since {@code ingest_log} last
 * saw them (size or modification time differ, or the last read failed), and, for daily logs, the
 * day before and the day after each of them: a turn can start in one file and end in the next, and
 * a file is only ever processed whole, so reading the neighbours assembles such a turn once,
 * whichever file changed. A file whose size and time are unchanged is not read at all.
 */
final class ChangedFiles {
  private ChangedFiles() {}

  /** ingest_log's view of one source: relative path to (size, modified millis, status). */
  static Map<String, long[]> lastSeen(Lake lake, String source) {
    Map<String, long[]> out = new HashMap<>();
    if (!lake.exists(TableNames.INGEST_LOG)) return out;
    // One row per input file (the folder's size, not the data's): small enough for the driver.
    for (Row r : lake.read(TableNames.INGEST_LOG).where(col(IngestLogSchema.SOURCE).equalTo(source))
        .select(IngestLogSchema.SOURCE_FILE, IngestLogSchema.SIZE_BYTES, IngestLogSchema.MODIFIED_TIME, IngestLogSchema.STATUS).collectAsList()) {
      out.put(r.getString(0), new long[] {r.getLong(1), r.getTimestamp(2).getTime(), "ok".equals(r.getString(3)) ? 1 : 0});
    }
    return out;
  }

  static boolean changed(InputFile f, Map<String, long[]> seen) {
    long[] s = seen.get(f.relativePath);
    return s == null || s[0] != f.sizeBytes || s[1] != f.modifiedMillis || s[2] != 1;
  }

  /** The changed files, in the listing's order. */
  static List<InputFile> select(List<InputFile> files, Map<String, long[]> seen) {
    List<InputFile> out = new ArrayList<>();
    for (InputFile f : files) if (changed(f, seen)) out.add(f);
    return out;
  }

  /** Daily files: the changed ones and the day before and after each (files sorted by day). */
  static List<InputFile> selectWithNeighbours(List<InputFile> files, Map<String, long[]> seen) {
    List<InputFile> byDay = new ArrayList<>(files);
    byDay.sort(java.util.Comparator.comparing((InputFile f) -> f.day == null ? "" : f.day).thenComparing(f -> f.relativePath));
    TreeSet<Integer> take = new TreeSet<>();
    for (int i = 0; i < byDay.size(); i++) {
      if (!changed(byDay.get(i), seen)) continue;
      for (int j = Math.max(0, i - 1); j <= Math.min(byDay.size() - 1, i + 1); j++) take.add(j);
    }
    List<InputFile> out = new ArrayList<>();
    for (int i : take) out.add(byDay.get(i));
    out.sort(java.util.Comparator.comparing(f -> f.relativePath));
    return out;
  }
}
