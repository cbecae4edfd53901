package dev.toolcalls.pipeline.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.schemas.StatsSchemas;
import dev.toolcalls.schemas.TableNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which days' summaries a stats run computes again, and why: every day when there are none yet
 * (or they were computed by another release, under other privacy settings, or from a table since
 * deleted and made again, or the logs between cannot tell), otherwise only the days whose
 * examples or reviews changed since the versions the summaries were computed from, plus the days
 * from {@code --since} on. The examples' changed days come from their commits' partitions
 * ({@code event_date}), read on the driver; the reviews' from the rows that differ between the two
 * versions of {@code enrichments} (a small table), mapped to their examples' days by one Spark job.
 *
 * @param all every day (the summaries are rewritten whole)
 * @param days the days to recompute (ISO dates), when not all
 * @param nullDay whether the examples without a day are recomputed too
 * @param since recompute every day from this one on as well (null: none)
 * @param why for the summary line
 */
public record RecomputedDays(boolean all, SortedSet<String> days, boolean nullDay, String since, String why) {
  public RecomputedDays {
    days = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(days));
  }

  static RecomputedDays all(String why) {
    return new RecomputedDays(true, new TreeSet<>(), false, null, why);
  }

  /** Nothing to compute again: the stored summaries are those of these inputs. */
  public boolean none() {
    return !all && days.isEmpty() && !nullDay && since == null;
  }

  /** The SQL condition on a date column that holds for the days to recompute. */
  public String predicate(String column) {
    if (all) return "true";
    List<String> parts = new java.util.ArrayList<>();
    if (!days.isEmpty()) parts.add(column + " IN (" + days.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", ")) + ")");
    if (nullDay) parts.add(column + " IS NULL");
    if (since != null) parts.add(column + " >= DATE'" + since + "'");
    return parts.isEmpty() ? "false" : "(" + String.join(" OR ", parts) + ")";
  }

  /** Whether the examples of {@code day} (ISO date, null for none) are among those recomputed. */
  public boolean covers(String day) {
    return all || (day == null ? nullDay : days.contains(day) || (since != null && day.compareTo(since) >= 0));
  }

  public String toText() {
    if (all) return "every day (" + why + ")";
    if (none()) return "no day (" + why + ")";
    String which = days.size() <= 5 ? String.join(", ", days) : days.size() + " days, " + days.first() + " .. " + days.last();
    if (nullDay) which = which.isEmpty() ? "the examples without a day" : which + " and the examples without a day";
    if (since != null) which = which.isEmpty() ? "every day from " + since : which + "; every day from " + since;
    return which + " (" + why + ")";
  }

  /** The note stored with each commit of the summaries: what they were computed from and how. */
  static String note(String runId, Map<String, Long> inputs, String privacy, Map<String, String> tableIds) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("run_id", runId);
    n.put("format", StatsSchemas.DAY_SUMMARIES_FORMAT);
    n.put("privacy", privacy);
    n.put("table_ids", tableIds);
    n.put("input_versions", inputs);
    try {
      return new ObjectMapper().writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What to recompute for summaries to match {@code inputs} (the tables' versions this run reads),
   * under the privacy settings {@code privacy} (Scrubber's fingerprint), from the tables whose
   * Delta ids are {@code tableIds}.
   */
  static RecomputedDays plan(SparkSession spark, Lake lake, Map<String, Long> inputs, String privacy, Map<String, String> tableIds, String since) {
    String table = TableNames.STATS_DAY_SUMMARIES;
    if (!lake.exists(table)) return all("no day summaries yet");
    String text = lake.lastNote(table);
    if (text == null) return all("the day summaries' log does not say what they were computed from");
    JsonNode note = read(text);
    if (note == null || note.path("format").asInt(-1) != StatsSchemas.DAY_SUMMARIES_FORMAT) return all("the day summaries were computed by another release");
    if (!privacy.equals(note.path("privacy").asText())) return all("the privacy settings changed: conf/privacy.yaml or the pseudonym key");
    Map<String, String> notedIds = new LinkedHashMap<>();
    note.path("table_ids").fields().forEachRemaining(f -> notedIds.put(f.getKey(), f.getValue().asText()));
    if (!Objects.equals(notedIds.get(TableNames.EXAMPLES), tableIds.get(TableNames.EXAMPLES))) return all("the examples table was made again");
    Map<String, Long> noted = new LinkedHashMap<>();
    note.path("input_versions").fields().forEachRemaining(f -> noted.put(f.getKey(), f.getValue().asLong()));
    long was = noted.getOrDefault(TableNames.EXAMPLES, -1L), now = inputs.get(TableNames.EXAMPLES);
    if (was < 0 || was > now) return all("the examples table is older than the summaries");
    Long reviewsWas = noted.get(TableNames.ENRICHMENTS), reviewsNow = inputs.get(TableNames.ENRICHMENTS);
    if (reviewsWas != null) {
      if (!Objects.equals(notedIds.get(TableNames.ENRICHMENTS), tableIds.get(TableNames.ENRICHMENTS))) return all("the enrichments table was deleted or made again");
      if (reviewsWas > reviewsNow) return all("the enrichments table is older than the summaries");
      // VACUUM (maintain, forget --vacuum) may have deleted the files of the version the summaries read.
      Optional<String> gone = lake.whyUnreadable(TableNames.ENRICHMENTS, reviewsWas, "enrichments version " + reviewsWas + ", which the summaries were computed from,");
      if (gone.isPresent()) return all(gone.get());
    }
    SortedSet<String> days = new TreeSet<>();
    boolean nullDay = false;
    List<String> changes = new java.util.ArrayList<>();
    if (was != now) {
      Optional<Set<Map<String, String>>> touched = lake.partitionsChangedBetween(TableNames.EXAMPLES, was, now);
      if (touched.isEmpty()) return all("the examples' log between versions " + was + " and " + now + " does not say which days changed");
      for (Map<String, String> p : touched.get()) {
        if (!p.containsKey(dev.toolcalls.schemas.ExamplesSchema.EVENT_DATE)) return all("the examples are not partitioned by " + dev.toolcalls.schemas.ExamplesSchema.EVENT_DATE);
        String day = p.get(dev.toolcalls.schemas.ExamplesSchema.EVENT_DATE);
        if (day == null) nullDay = true;
        else days.add(day);
      }
      changes.add("examples " + was + " -> " + now);
    }
    if (!Objects.equals(reviewsWas, reviewsNow)) {
      for (Row r : reviewedDays(spark, lake, reviewsWas, reviewsNow, now)) {
        if (r.isNullAt(0)) nullDay = true;
        else days.add(r.getString(0));
      }
      changes.add("enrichments " + (reviewsWas == null ? "none" : reviewsWas) + " -> " + (reviewsNow == null ? "none" : reviewsNow));
    }
    String why = changes.isEmpty() ? "nothing changed since they were computed" : String.join(", ", changes);
    return new RecomputedDays(false, days, nullDay, since, why);
  }

  /**
   * The days (ISO text, null for none) of the enrichment rows that differ between two versions
   * (null: no table): a review's example's day, an added example's review day. One row per day.
   */
  private static List<Row> reviewedDays(SparkSession spark, Lake lake, Long from, Long to, long examplesVersion) {
    Dataset<Row> a = reviewRows(spark, lake, from), b = reviewRows(spark, lake, to);
    Dataset<Row> changed = a.except(b).union(b.except(a));
    Dataset<Row> examples = spark.read().format("delta").option("versionAsOf", examplesVersion).load(lake.path(TableNames.EXAMPLES))
        .select(col("id"), col("event_date").as("example_day"));
    return changed.join(examples, changed.col("id").equalTo(examples.col("id")), "left")
        .selectExpr("CAST(CASE WHEN kind = 'added' THEN CAST(reviewed_at AS DATE) ELSE example_day END AS STRING) AS day")
        .distinct().collectAsList(); // one row per day
  }

  private static Dataset<Row> reviewRows(SparkSession spark, Lake lake, Long version) {
    Dataset<Row> rows = version == null
        ? spark.createDataFrame(List.of(), dev.toolcalls.schemas.EnrichmentsSchema.TABLE)
        : spark.read().format("delta").option("versionAsOf", version).load(lake.path(TableNames.ENRICHMENTS));
    return rows.select(col("id"), col("kind"), col("reviewed_at"), to_json(org.apache.spark.sql.functions.struct(col("*"))).as("row"));
  }

  private static JsonNode read(String note) {
    if (note == null) return null;
    try {
      return new ObjectMapper().readTree(note);
    } catch (java.io.IOException e) {
      return null; // not our note
    }
  }
}
