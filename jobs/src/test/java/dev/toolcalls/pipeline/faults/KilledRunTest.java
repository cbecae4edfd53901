package dev.toolcalls.pipeline.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.cli.PipelineCli;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.pipeline.testing.TestFiles;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly run killed with SIGKILL at several points, from writing the examples to the export: every table
 * stays readable, and the next run ends with exactly the rows (and the dataset bytes) of a run that
 * was never killed; no row twice, no review lost.
 */
class KilledRunTest extends SparkTestBase {
  /** The statistics stage has no kill point of its own here, and would double the time of every run. */
  static final String NO_STATS = "--conf=run.stats=false";

  @TempDir static Path tmp;
  static Path logs;
  static Path base;
  static Snapshot clean;

  /** The tables' rows (run-specific columns left out) and the dataset's files, to compare runs by. */
  record Snapshot(Map<String, List<String>> rows, Map<String, String> datasetFiles) {}

  /** History of three days, reviewed and exported; then day 3 grows and day 4 arrives: the night's work. */
  @BeforeAll
  static void history() throws Exception {
    logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    for (int d = 1; d <= 3; d++) Files.writeString(day(d), turns(d, 3));
    base = tmp.resolve("base");
    TestFiles.settled(logs);
    assertEquals(0, PipelineCli.run("run", "--logs", logs.toString(), "--lake", lake(base), "--out", out(base), NO_STATS));
    String id = spark.read().format("delta").load(lake(base) + "/" + TableNames.EXAMPLES).where("request_id = '3000000102'").select("id").as(Encoders.STRING()).first();
    Path review = tmp.resolve("review.jsonl");
    Files.writeString(review, "{\"id\": \"" + id + "\", \"example_type\": \"negative\", \"reasoning\": \"Fished without a net.\", \"quality_score\": 0.2}\n");
    assertEquals(0, PipelineCli.run("enrich", "apply", "--lake", lake(base), "--file", review.toString(), "--reviewer", "tester"));
    assertEquals(0, PipelineCli.run("export", "--lake", lake(base), "--out", out(base), "--include-negatives"));

    Files.writeString(day(3), turns(3, 5).substring(turns(3, 3).length()), StandardOpenOption.APPEND);
    // a turn across midnight: asked on day 4, answered in day 5's file, which does not exist yet
    Files.writeString(day(4), turns(4, 4) + new LogLines().request("4000002359", "2026-03-04T23:59:30.000000", "Fish until dawn", "main").text());
    TestFiles.settled(logs);

    Path reference = copyOfBase("reference");
    assertEquals(0, PipelineCli.run("run", "--logs", logs.toString(), "--lake", lake(reference), "--out", out(reference), NO_STATS));
    clean = snapshot(reference);
    System.out.println("clean dataset files: " + clean.datasetFiles().keySet());
    assertEquals(15, clean.rows().get(TableNames.EXAMPLES).size(), "3 + 3 + 5 + 4 answered turns");
    assertEquals(1, clean.rows().get(TableNames.QUARANTINE).size(), "the request still open at the end of the last day");
  }

  @Test
  void aRunKilledAtAnyPointIsCompletedByTheNextRunWithTheCleanRows() throws Exception {
    // Points seen from outside, as an operator would: a data file of the examples is being written,
    // the examples are committed, the ingest_log is committed, the datasets are being staged. (A
    // kill while only planning is left out: it leaves the lock file and nothing else, which every
    // point here leaves too, and it cost the suite half a minute.)
    Map<String, Predicate<Path>> points = new java.util.LinkedHashMap<>();
    points.put("writing examples", dir -> newDataFiles(dir, TableNames.EXAMPLES) > 0);
    points.put("examples committed", dir -> Files.exists(commit(dir, TableNames.EXAMPLES, 1)));
    points.put("ingest_log committed", dir -> Files.exists(commit(dir, TableNames.INGEST_LOG, 1)));
    points.put("exporting", dir -> hasStaging(dir.resolve("out")));
    List<String> report = new ArrayList<>();
    for (String point : points.keySet()) {
      // One child at a time: side by side on two cores they slow each other past every point.
      Path dir = copyOfBase(point.replace(' ', '-'));
      Files.deleteIfExists(dir.resolve("lake/_pipeline.lock"));
      try (ChildRun child = ChildRun.start(dir.resolve("child.log"), "run", "--logs", logs.toString(), "--lake", lake(dir), "--out", out(dir), NO_STATS)) {
        String reached = waitFor(child, dir, points.get(point));
        int exit = reached.equals("reached") ? child.kill() : child.waitFor();
        report.add(point + ": " + reached + ", exit " + exit + ", versions at death " + versions(dir));
      }
      for (String table : new Lake(spark, lake(dir)).existingTables()) {
        spark.read().format("delta").load(lake(dir) + "/" + table).count(); // readable after the crash
      }
      assertEquals(0, PipelineCli.run("run", "--logs", logs.toString(), "--lake", lake(dir), "--out", out(dir), NO_STATS), point);
      Snapshot after = snapshot(dir);
      assertEquals(clean.rows(), after.rows(), "rows after a kill while " + point);
      assertEquals(clean.datasetFiles(), after.datasetFiles(), "dataset after a kill while " + point);
    }
    System.out.println("killed runs:\n  " + String.join("\n  ", report));
    assertTrue(report.stream().filter(r -> r.contains("reached, exit 137")).count() >= 3, "most kills landed where intended: " + report);
  }

  @Test
  void twoRunsAtOnceOnOneLakeEndWithTheCleanRowsOrOneGivesUpWithExit3() throws Exception {
    Path dir = copyOfBase("side-by-side");
    Files.deleteIfExists(dir.resolve("lake/_pipeline.lock"));
    try (ChildRun first = ChildRun.start(dir.resolve("first.log"), "run", "--logs", logs.toString(), "--lake", lake(dir), "--out", out(dir), NO_STATS);
        ChildRun second = ChildRun.start(dir.resolve("second.log"), "run", "--logs", logs.toString(), "--lake", lake(dir), "--out", out(dir), NO_STATS)) {
      List<Integer> exits = new ArrayList<>(List.of(first.waitFor(), second.waitFor()));
      String logsText = Files.readString(dir.resolve("first.log")) + Files.readString(dir.resolve("second.log"));
      System.out.println("two runs at once: exit codes " + exits);
      assertTrue(exits.contains(0), "one of them finished: " + exits + "\n" + logsText);
      for (int exit : exits) {
        assertTrue(exit == 0 || exit == 3, "0 or 3, never a failure: " + exits + "\n" + logsText);
        if (exit == 3) assertTrue(logsText.contains("another run is writing to the lake"), logsText);
      }
    }
    Snapshot after = snapshot(dir);
    assertEquals(clean.rows(), after.rows(), "no row twice, none lost");
    assertEquals(clean.datasetFiles(), after.datasetFiles());
  }

  // ---- fixtures and helpers ----------------------------------------------------------------------

  static Path day(int d) {
    return logs.resolve("conversations_2026-03-0" + d + ".jsonl");
  }

  /** Turns 1..n of a day; turn 2 of day 1 fails, turn 3 of every day uses two tools. */
  static String turns(int d, int n) {
    LogLines l = new LogLines();
    for (int t = 1; t <= n; t++) {
      String rid = d + "0000001" + String.format("%02d", t);
      String ts = "2026-03-0" + d + "T1" + t + ":00:0";
      l.request(rid, ts + "0.000000", "Day " + d + " task " + t, t % 2 == 0 ? "alt" : "main");
      l.command(rid, ts + "1.000000", t == 3 ? "BANK_OPEN" : "FISH");
      if (t == 3) l.tool(rid, ts + "2.000000", "get_game_state", "{}", "{\"state\": {\"hp\": " + (10 + d) + "}}");
      if (d == 1 && t == 2) l.error(rid, ts + "3.000000", "Timed out");
      else l.response(rid, ts + "4.000000", "Done " + d + "." + t);
    }
    return l.text();
  }

  static String lake(Path dir) {
    return dir.resolve("lake").toString();
  }

  static String out(Path dir) {
    return dir.resolve("out").toString();
  }

  static Path copyOfBase(String name) throws IOException {
    Path to = tmp.resolve(name);
    try (Stream<Path> all = Files.walk(base)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(base.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
    return to;
  }

  static Path commit(Path dir, String table, int afterBase) {
    long v = new Lake(spark, lake(base)).version(table) + afterBase;
    return dir.resolve("lake").resolve(table).resolve("_delta_log").resolve(String.format("%020d.json", v));
  }

  static long newDataFiles(Path dir, String table) {
    return dataFiles(dir.resolve("lake").resolve(table)) - dataFiles(base.resolve("lake").resolve(table));
  }

  static long dataFiles(Path table) {
    try (Stream<Path> all = Files.walk(table)) {
      return all.filter(p -> p.toString().endsWith(".parquet")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // a folder appeared or went while listing: look again
    }
  }

  static boolean hasStaging(Path out) {
    try (Stream<Path> all = Files.list(out)) {
      return all.anyMatch(p -> p.getFileName().toString().startsWith(".export-"));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** Polls every few milliseconds until the point is reached ("reached") or the child has ended on its own. */
  static String waitFor(ChildRun child, Path dir, Predicate<Path> point) throws InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (point.test(dir)) return "reached";
      if (!child.process.isAlive()) return "ended before the point";
      Thread.sleep(2);
    }
    return "timed out";
  }

  static Map<String, Long> versions(Path dir) {
    Lake l = new Lake(spark, lake(dir));
    Map<String, Long> v = new TreeMap<>();
    for (String t : l.existingTables()) v.put(t, l.version(t));
    return v;
  }

  static Snapshot snapshot(Path dir) throws IOException {
    String root = lake(dir) + "/";
    Map<String, List<String>> rows = new TreeMap<>();
    rows.put(TableNames.EXAMPLES, json(root + TableNames.EXAMPLES, "*"));
    rows.put(TableNames.QUARANTINE, json(root + TableNames.QUARANTINE, "*"));
    rows.put(TableNames.ENRICHMENTS, json(root + TableNames.ENRICHMENTS, "*"));
    rows.put(TableNames.INGEST_LOG, json(root + TableNames.INGEST_LOG, "source, source_file, size_bytes, modified_time, lines, examples, quarantined, status, detail, rules_version"));
    Map<String, String> files = new TreeMap<>();
    Path out = dir.resolve("out");
    try (Stream<Path> all = Files.walk(out)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String rel = out.relativize(p).toString();
        if (rel.startsWith(".") || rel.equals("manifest.json")) continue; // the manifest names the run's own table versions
        files.put(rel, sha256(Files.readAllBytes(p)));
      }
    }
    return new Snapshot(rows, files);
  }

  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> json(String table, String columns) {
    return spark.read().format("delta").load(table).selectExpr("to_json(struct(" + columns + "))").as(Encoders.STRING()).collectAsList().stream().sorted().toList();
  }
}
