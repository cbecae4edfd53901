package dev.toolcalls.pipeline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class SmallRecordsTest {
  private static UTF8String u(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }

  /** An example row: only id, source and source_file are read. */
  private static ExtractRecord example(String file) {
    return ExtractRecord.example(file, new GenericInternalRow(new Object[] {u("id"), u("discord"), u(file)}));
  }

  /** A row of IdentitiesSchema.SEEN: source, source_file, user_key, user_id, username, event_time. */
  private static ExtractRecord identity(String file, String key, String username, Long micros) {
    return ExtractRecord.identity(file, new GenericInternalRow(new Object[] {u("discord"), u(file), u(key), u("123"), u(username), micros}));
  }

  @Test
  void examplesAreCountedPerFileAndPeopleFoldedPerPersonAndFileTheRestPassesOrIsDropped() throws Exception {
    InternalRow quarantined = new GenericInternalRow(new Object[] {u("discord"), u("a.jsonl"), 3L, u("invalid_json")});
    List<ExtractRecord> in = List.of(
        example("a.jsonl"), example("a.jsonl"), example("b.jsonl"),
        identity("a.jsonl", "u-1", "Ann", 300L), identity("a.jsonl", "u-1", "Ann", 100L), identity("a.jsonl", "u-1", "Ann", null),
        identity("a.jsonl", "u-1", null, 200L), // another username: another row, as the table's grouping has it
        identity("b.jsonl", "u-2", "Bob", null),
        ExtractRecord.quarantine("a.jsonl", quarantined), ExtractRecord.deferred("b.jsonl"), ExtractRecord.joined("a.jsonl", ExtractRecord.Kind.JOINED_WITH_NEXT),
        ExtractRecord.handOver("a.jsonl", new GenericInternalRow(1)));
    List<ExtractRecord> out = new ArrayList<>();
    new SmallRecords().call(in.iterator()).forEachRemaining(out::add);

    Map<String, Long> counted = new TreeMap<>();
    List<String> people = new ArrayList<>();
    List<String> passed = new ArrayList<>();
    for (ExtractRecord r : out) {
      switch (r.kind) {
        case EXAMPLES_COUNTED -> counted.put(r.row.getUTF8String(0) + "/" + r.row.getUTF8String(1), r.row.getLong(2));
        case PEOPLE_SEEN -> people.add(String.format("%s %s %s %s %s first=%s last=%s n=%d", r.row.getUTF8String(0), r.row.getUTF8String(1), r.row.getUTF8String(2), r.row.getUTF8String(3),
            r.row.isNullAt(4) ? null : r.row.getUTF8String(4), r.row.isNullAt(5) ? null : r.row.getLong(5), r.row.isNullAt(6) ? null : r.row.getLong(6), r.row.getLong(7)));
        default -> passed.add(r.kind + " " + r.sourceFile);
      }
    }
    assertEquals(Map.of("discord/a.jsonl", 2L, "discord/b.jsonl", 1L), counted);
    assertEquals(List.of(
        "u-1 discord a.jsonl 123 Ann first=100 last=300 n=3",
        "u-1 discord a.jsonl 123 null first=200 last=200 n=1",
        "u-2 discord b.jsonl 123 Bob first=null last=null n=1"), people);
    assertEquals(List.of("QUARANTINE a.jsonl", "DEFERRED b.jsonl", "JOINED_WITH_NEXT a.jsonl"), passed);
    assertEquals("a.jsonl", out.stream().filter(r -> r.kind == ExtractRecord.Kind.PEOPLE_SEEN).findFirst().orElseThrow().sourceFile);
  }
}
