package dev.toolcalls.pipeline.source;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * What extraction needs of its first pass besides the examples, in one pass over it: quarantined
 * lines, deferred lines and cross-file markers as they are, the examples counted per file
 * ({@link ExtractRecord.Kind#EXAMPLES_COUNTED}), and the identity rows folded per person and file
 * ({@link ExtractRecord.Kind#PEOPLE_SEEN}, in the identities table's layout). Kept apart, these
 * few rows feed the quarantine and identities writes and the counts, so the large first pass is
 * read once for them all; with a small heap it has spilled to disk, and each pass re-read it.
 * Folds are per partition: the job sums them across partitions (a file's records may reach two,
 * through the cross-file pass).
 */
public final class SmallRecords implements FlatMapFunction<Iterator<ExtractRecord>, ExtractRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public Iterator<ExtractRecord> call(Iterator<ExtractRecord> records) {
    List<ExtractRecord> out = new ArrayList<>();
    Map<List<UTF8String>, long[]> examples = new LinkedHashMap<>(); // (source, file) -> count
    Map<List<UTF8String>, long[]> people = new LinkedHashMap<>(); // (user_key, source, file, user_id, username) -> count, first, last
    while (records.hasNext()) {
      ExtractRecord r = records.next();
      switch (r.kind) {
        case QUARANTINE, DEFERRED, JOINED_WITH_NEXT, JOINED_WITH_PREVIOUS -> out.add(r);
        // Both example schemas start with id, source, source_file.
        case EXAMPLE -> fold(examples, java.util.Arrays.asList(r.row.getUTF8String(1), r.row.getUTF8String(2)), () -> new long[1])[0]++;
        case IDENTITY -> seen(people, r.row);
        default -> { } // reports were collected, hand-overs went to the cross-file pass
      }
    }
    examples.forEach((k, n) -> out.add(ExtractRecord.examplesCounted(k.get(1).toString(), new GenericInternalRow(new Object[] {k.get(0), k.get(1), n[0]}))));
    people.forEach((k, v) -> out.add(ExtractRecord.peopleSeen(k.get(2).toString(), new GenericInternalRow(new Object[] {
        k.get(0), k.get(1), k.get(2), k.get(3), k.get(4), v[1] == Long.MAX_VALUE ? null : v[1], v[2] == Long.MIN_VALUE ? null : v[2], v[0]}))));
    return out.iterator();
  }

  /** A row of {@code IdentitiesSchema.SEEN} (source, source_file, user_key, user_id, username, event_time) added to its person's fold. */
  private static void seen(Map<List<UTF8String>, long[]> people, InternalRow row) {
    List<UTF8String> key = java.util.Arrays.asList(string(row, 2), string(row, 0), string(row, 1), string(row, 3), string(row, 4));
    long[] v = fold(people, key, () -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
    v[0]++;
    if (!row.isNullAt(5)) { // min and max leave out unknown times, as SQL's do
      long t = row.getLong(5);
      v[1] = Math.min(v[1], t);
      v[2] = Math.max(v[2], t);
    }
  }

  /**
   * The fold of a key, looked up by the row's own strings (views into a cached block, no copy per
   * record); a key seen for the first time is stored as copies, with a fresh fold.
   */
  private static long[] fold(Map<List<UTF8String>, long[]> folds, List<UTF8String> key, java.util.function.Supplier<long[]> fresh) {
    long[] v = folds.get(key);
    if (v != null) return v;
    key.replaceAll(s -> s == null ? null : s.copy());
    v = fresh.get();
    folds.put(key, v);
    return v;
  }

  private static UTF8String string(InternalRow row, int ordinal) {
    return row.isNullAt(ordinal) ? null : row.getUTF8String(ordinal);
  }
}
