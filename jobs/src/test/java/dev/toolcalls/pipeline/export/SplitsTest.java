package dev.toolcalls.pipeline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.ExamplesSchema;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** No group and no near duplicate crosses splits, whatever the grouping, and chains of duplicates are followed. */
class SplitsTest extends SparkTestBase {
  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("id", DataTypes.StringType, false),
      DataTypes.createStructField("source", DataTypes.StringType, false),
      DataTypes.createStructField("source_file", DataTypes.StringType, false),
      DataTypes.createStructField("account_id", DataTypes.StringType, true),
      DataTypes.createStructField("user_key", DataTypes.StringType, true),
      DataTypes.createStructField("event_date", DataTypes.DateType, false),
      DataTypes.createStructField("user_message", DataTypes.StringType, true),
      DataTypes.createStructField("tool_calls", DataTypes.createArrayType(ExamplesSchema.TOOL_CALL, true), false),
      DataTypes.createStructField("derived_from", DataTypes.createArrayType(DataTypes.StringType, true), true)));

  static Row example(String id, String account, String user, int day, String message, String... tools) {
    List<Row> calls = new ArrayList<>();
    for (String t : tools) calls.add(RowFactory.create(t, "{}", null, false));
    return RowFactory.create(id, "discord", "conversations_2026-01-" + day + ".jsonl", account, user, Date.valueOf("2026-01-" + day), message, calls, null);
  }

  /**
   * 2 accounts x 10 days, 3 requests each, plus a chain of near duplicates over four sessions (main
   * 10 ~ aux 11 ~ main 12 ~ aux 13: three rounds of propagation), a lesson without message and a
   * review-added example derived from one of the chain.
   */
  static Dataset<Row> examples() {
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (int day = 10; day < 20; day++) {
      for (String account : List.of("main", "aux")) {
        String user = account.equals("main") ? "u-000000000000000a" : "u-000000000000000b";
        for (int i = 0; i < 3; i++) rows.add(example("dc-" + n++, account, user, day, "Go to spot " + account + day + i, "send_command"));
      }
    }
    rows.add(example("dc-c1", "main", "u-000000000000000a", 10, "Open the bank", "send_command"));
    rows.add(example("dc-c2", "aux", "u-000000000000000b", 11, "open  the Bank ", "send_command")); // same after normalising
    rows.add(example("dc-c3", "aux", "u-000000000000000b", 11, "Chop the tree", "get_game_state", "send_command"));
    rows.add(example("dc-c4", "main", "u-000000000000000a", 12, "chop the tree", "get_game_state", "send_command"));
    rows.add(example("dc-c5", "main", "u-000000000000000a", 12, "Mine rocks", "send_command"));
    rows.add(example("dc-c6", "aux", "u-000000000000000b", 13, "Mine rocks", "send_command"));
    rows.add(example("dc-c7", "aux", "u-000000000000000b", 14, "Mine rocks", "get_game_state")); // other tools: not a duplicate
    rows.add(RowFactory.create("jr-1", "journal", "lessons.md", null, null, Date.valueOf("2026-01-15"), null, List.of(), null));
    rows.add(RowFactory.create("en-1", "review", "review.jsonl", null, null, Date.valueOf("2026-01-30"), "Bank first", List.of(), List.of("dc-c6")));
    return spark.createDataFrame(rows, SCHEMA);
  }

  static String duplicateKey(Row r) {
    if (r.isNullAt(r.fieldIndex("user_message"))) return null;
    List<String> tools = new ArrayList<>();
    for (Row c : r.<Row>getList(r.fieldIndex("tool_calls"))) tools.add(c.getString(0));
    return r.<String>getAs("user_message").trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT) + "|" + tools;
  }

  static String group(Row r, Splits.SplitBy by) {
    String session = r.getAs("account_id") + "|" + r.getAs("event_date");
    return switch (by) {
      case ID -> r.getAs("id");
      case SESSION -> session;
      case USER -> r.getAs("user_key") == null ? session : r.getAs("user_key");
      case DAY -> String.valueOf(r.<Date>getAs("event_date"));
    };
  }

  /** Each key's examples in one split: returns key to split, failing on the first key in two. */
  static Map<String, String> oneSplitPer(List<Row> rows, java.util.function.Function<Row, String> key) {
    Map<String, String> out = new HashMap<>();
    for (Row r : rows) {
      String k = key.apply(r);
      if (k == null) continue;
      String before = out.putIfAbsent(k, r.getAs("split"));
      assertTrue(before == null || before.equals(r.getAs("split")), "key " + k + " is in both splits");
    }
    return out;
  }

  @Test
  void noGroupAndNoDuplicateCrossesSplits() {
    Dataset<Row> examples = examples().cache();
    for (Splits.SplitBy by : List.of(Splits.SplitBy.SESSION, Splits.SplitBy.ID, Splits.SplitBy.DAY)) {
      List<Row> rows = Splits.assign(examples, by, 0.5, "split", "train", "validation").collectAsList();
      assertEquals(examples.count(), rows.size(), by.label());
      Map<String, String> groups = oneSplitPer(rows, r -> r.getAs("source").equals("discord") ? group(r, by) : null);
      oneSplitPer(rows, SplitsTest::duplicateKey);
      Set<String> splits = new HashSet<>();
      Map<String, String> byId = new HashMap<>();
      for (Row r : rows) {
        splits.add(r.getAs("split"));
        byId.put(r.getAs("id"), r.getAs("split"));
      }
      assertEquals(Set.of("train", "validation"), splits, by.label() + ": both splits used at fraction 0.5 over " + groups.size() + " groups");
      // Duplicates go together, across groups; the review goes with its origin.
      for (List<String> together : List.of(List.of("dc-c1", "dc-c2"), List.of("dc-c3", "dc-c4"), List.of("dc-c5", "dc-c6", "en-1"))) {
        for (String id : together) assertEquals(byId.get(together.get(0)), byId.get(id), by.label() + " " + together);
      }
      // By session or day the chain (three hops through duplicates) is one component.
      if (by != Splits.SplitBy.ID) {
        for (String id : List.of("dc-c3", "dc-c5")) assertEquals(byId.get("dc-c1"), byId.get(id), by.label() + " " + id);
      }
    }
    // The same data gives the same split on every run.
    assertEquals(Splits.assign(examples, Splits.SplitBy.SESSION, 0.5, "split", "train", "validation").orderBy("id").collectAsList(),
        Splits.assign(examples, Splits.SplitBy.SESSION, 0.5, "split", "train", "validation").orderBy("id").collectAsList());
    // By user: the two people are two groups (the lesson and the review ride along).
    List<Row> byUser = Splits.assign(examples, Splits.SplitBy.USER, 0.5, "split", "train", "validation").collectAsList();
    oneSplitPer(byUser, r -> r.getAs("source").equals("discord") ? group(r, Splits.SplitBy.USER) : null);
    examples.unpersist();
  }

  @Test
  void splitByIsCheckedAndNamed() {
    assertEquals(Splits.SplitBy.USER, Splits.SplitBy.parse(" User "));
    assertEquals("session", Splits.SplitBy.SESSION.label());
    assertThrows(BadInputException.class, () -> Splits.SplitBy.parse("account"));
  }
}
