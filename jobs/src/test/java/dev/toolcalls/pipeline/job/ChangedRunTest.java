package dev.toolcalls.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.discord.LogLines;
import static dev.toolcalls.pipeline.testing.TestFiles.settled;

import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nightly runs: only what changed is read, with the neighbouring days, and the tables end as a full run's. */
class ChangedRunTest extends SparkTestBase {
  @TempDir Path tmp;

  ExtractResult extract(Path logs, Path lake, boolean changedOnly) {
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = lake.toString();
    o.changedOnly = changedOnly;
    ExtractResult r = new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    System.out.print(r.toText());
    return r;
  }

  static String day(String date, String rid, String message) {
    return new LogLines().request(rid, date + "T10:00:00.000000", message, "main").command(rid, date + "T10:00:01.000000", "BANK_OPEN")
        .response(rid, date + "T10:00:02.000000", "Opened.").text();
  }

  static List<String> rows(Lake lake) {
    return lake.read(TableNames.EXAMPLES).selectExpr("concat(source_file, ' ', request_id, ' ', user_message)").orderBy("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void onlyChangedFilesAndTheirNeighboursAreReadAndATurnAcrossFilesIsAssembledOnce() throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    for (int d = 1; d <= 4; d++) Files.writeString(logs.resolve("conversations_2026-01-0" + d + ".jsonl"), day("2026-01-0" + d, "100000000" + d, "day " + d));
    // day 4's bot was still busy at midnight: a request whose answer lands in day 5's file
    Files.writeString(logs.resolve("conversations_2026-01-04.jsonl"), new LogLines()
        .request("2359000000", "2026-01-04T23:59:00.000000", "Go fish", "main").text(), StandardOpenOption.APPEND);
    settled(logs);
    Path lake = tmp.resolve("lake");
    assertEquals(4, extract(logs, lake, true).sources().get(0).filesRead());

    ExtractResult nothing = extract(logs, lake, true);
    assertEquals(List.of(), nothing.sources(), "nothing changed: no file read");

    Files.writeString(logs.resolve("conversations_2026-01-05.jsonl"), new LogLines()
        .command("2359000000", "2026-01-05T00:00:10.000000", "FISH")
        .response("2359000000", "2026-01-05T00:00:20.000000", "Started fishing.").text() + day("2026-01-05", "1000000005", "day 5"));
    settled(logs.resolve("conversations_2026-01-05.jsonl"));
    ExtractResult nightly = extract(logs, lake, true);
    assertEquals(2, nightly.sources().get(0).filesRead(), "day 5 and its neighbour day 4");
    assertEquals(0, nightly.sources().get(0).quarantined());

    Lake l = new Lake(spark, lake.toString());
    DiffJob.Result diff = new DiffJob(spark, lake.toString(), TableNames.EXAMPLES, 0, null, 10).execute();
    assertEquals(List.of(2L, 0L, 0L), List.of(diff.added(), diff.removed(), diff.changed()), diff.toText());
    assertEquals(2, diff.partitionsCompared(), "days 4 and 5 only: no other day's files changed");
    DiffJob.Result quarantine = new DiffJob(spark, lake.toString(), TableNames.QUARANTINE, 0, null, 10).execute();
    assertEquals(List.of(0L, 1L, 0L), List.of(quarantine.added(), quarantine.removed(), quarantine.changed()), quarantine.toText());
    List<String> incremental = rows(l);
    assertEquals(6, incremental.size());
    assertEquals(0, l.read(TableNames.QUARANTINE).count(), "day 4's incomplete turn was replaced by the assembled one");
    Path fresh = tmp.resolve("fresh");
    extract(logs, fresh, false);
    assertEquals(rows(new Lake(spark, fresh.toString())), incremental, "the same rows as a full run");
  }

  /** What {@code run} prints (and passes through to the console too). */
  static String runPrinting(String... args) {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream console = System.out;
    System.setOut(new java.io.PrintStream(new org.apache.commons.io.output.TeeOutputStream(console, captured), true));
    try {
      assertEquals(0, dev.toolcalls.pipeline.cli.PipelineCli.run(args));
    } finally {
      System.setOut(console);
    }
    return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void theRunSummaryCountsRowsPerTableInTheTablesOrder() throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-03-01.jsonl"), day("2026-03-01", "3000000001", "day 1"));
    settled(logs);
    String[] run = {"run", "--logs", logs.toString(), "--lake", tmp.resolve("lake").toString(), "--out", tmp.resolve("out").toString(), "--conf", "run.stats=false"};
    String first = runPrinting(run);
    assertEquals(List.of("    examples     created: 1 rows (version 0)", "    quarantine   created: 0 rows (version 0)", "    ingest_log   created: 1 rows (version 0)"), summaryLines(first), first);

    Files.writeString(logs.resolve("conversations_2026-03-02.jsonl"), day("2026-03-02", "3000000002", "day 2") + day("2026-03-02", "3000000003", "day 2 again"));
    settled(logs.resolve("conversations_2026-03-02.jsonl"));
    String second = runPrinting(run);
    assertEquals(List.of("    examples     2 added, 0 changed, 0 removed (version 0 -> 1; `diff` lists them)",
        "    quarantine   unchanged (version 0)",
        "    ingest_log   1 added, 0 changed, 0 removed (version 0 -> 1; `diff` lists them)"), summaryLines(second), second);
    assertEquals(List.of("    examples     unchanged (version 1)", "    quarantine   unchanged (version 0)", "    ingest_log   unchanged (version 1)"), summaryLines(runPrinting(run)));
  }

  private static List<String> summaryLines(String output) {
    List<String> lines = output.lines().toList();
    int from = lines.indexOf("  rows per table (against the previous version):") + 1;
    return lines.subList(from, from + 3);
  }

  @Test
  void aDeletedFileKeepsItsRowsAndIsFlaggedAndAFileStillBeingWrittenIsReadWholeNextRun() throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    for (int d = 1; d <= 3; d++) Files.writeString(logs.resolve("conversations_2026-02-0" + d + ".jsonl"), day("2026-02-0" + d, "200000000" + d, "day " + d));
    // every file settled an hour ago, except the one being written now
    settled(logs);
    Path lake = tmp.resolve("lake");
    extract(logs, lake, true);
    Lake l = new Lake(spark, lake.toString());
    assertEquals(3, l.read(TableNames.EXAMPLES).count());

    // day 2 restored from a backup: a new time, the same bytes (the hash says so): not read again
    Files.setLastModifiedTime(logs.resolve("conversations_2026-02-02.jsonl"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 1_800_000));
    assertEquals(List.of(), extract(logs, lake, true).sources(), "no file read");
    assertEquals(List.of(), extract(logs, lake, true).sources(), "and the new time is remembered");
    // day 3 edited in place to the same size: read again
    Path day3 = logs.resolve("conversations_2026-02-03.jsonl");
    Files.writeString(day3, Files.readString(day3).replace("day 3", "day 8"));
    settled(day3);
    assertEquals(1, extract(logs, lake, true).sources().get(0).filesRead(), "day 3 alone: no turn of it is open at either end, so no neighbour is needed");
    assertEquals(1, l.read(TableNames.EXAMPLES).where("user_message = 'day 8'").count());
    assertEquals(3, l.read(TableNames.INGEST_LOG).where("content_hash RLIKE '^[0-9a-f]{16}$'").count(), "every file read has its hash");

    // day 1 is deleted: its row stays, the run and status say so
    Files.delete(logs.resolve("conversations_2026-02-01.jsonl"));
    ExtractResult afterDelete = extract(logs, lake, true);
    assertEquals(java.util.Map.of("discord", List.of("conversations_2026-02-01.jsonl")), afterDelete.goneFromInput());
    assertEquals(3, l.read(TableNames.EXAMPLES).count(), "history is not lost");
    StatusJob.Result status = new StatusJob(spark, PipelineConfig.defaults(), logs.toString(), lake.toString()).execute();
    assertEquals(List.of("2026-02-01 deleted from input (rows kept)", "2026-02-02 extracted", "2026-02-03 extracted"),
        status.days().stream().map(d -> d.day() + " " + d.state()).toList());

    // day 4 is being written: its last line is not finished yet
    Path day4 = logs.resolve("conversations_2026-02-04.jsonl");
    String whole = day("2026-02-04", "2000000004", "day 4");
    int cut = whole.lastIndexOf("Opened.");
    Files.writeString(day4, whole.substring(0, cut));
    ExtractResult writing = extract(logs, lake, true);
    // the cut response line, and the request and command lines of its turn, which has no answer yet
    assertEquals(java.util.Map.of("unfinished_last_line_left_for_next_run", 1L, "open_turn_lines_left_for_next_run", 2L), writing.sources().get(0).details());
    assertEquals(0, l.read(TableNames.QUARANTINE).count(), "a line being written is not bad input");
    assertEquals("2026-02-04 being written (read again next run)", new StatusJob(spark, PipelineConfig.defaults(), logs.toString(), lake.toString()).execute()
        .days().stream().filter(d -> "2026-02-04".equals(d.day())).map(d -> d.day() + " " + d.state()).findFirst().orElseThrow());

    // the bot finishes the line: the next run reads the file whole
    Files.writeString(day4, whole.substring(cut), StandardOpenOption.APPEND);
    extract(logs, lake, true);
    assertEquals(List.of("conversations_2026-02-04.jsonl 2000000004 day 4"),
        l.read(TableNames.EXAMPLES).where("event_date = '2026-02-04'").selectExpr("concat(source_file, ' ', request_id, ' ', user_message)").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(0, l.read(TableNames.QUARANTINE).count());

    // a crash that cut the last line of a file that has since settled: quarantined
    Path day5 = logs.resolve("conversations_2026-02-05.jsonl");
    Files.writeString(day5, day("2026-02-05", "2000000005", "day 5") + "{\"type\": \"request\", \"request_id\": \"20");
    settled(day5);
    extract(logs, lake, true);
    assertEquals(List.of("conversations_2026-02-05.jsonl 4 truncated_line"),
        l.read(TableNames.QUARANTINE).selectExpr("concat(source_file, ' ', line_number, ' ', reason)").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void aFinishedDayWhoseLastTurnGoesOnInAFileBeingWrittenIsReadAgainNextRun() throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Path day6 = logs.resolve("conversations_2026-03-06.jsonl");
    Files.writeString(day6, day("2026-03-06", "1000000006", "day 6") + new LogLines()
        .request("2359000000", "2026-03-06T23:59:00.000000", "Go fish", "main").text());
    settled(day6);
    // day 7 is being written (modified now): the turn begun in day 6 has no answer yet
    Path day7 = logs.resolve("conversations_2026-03-07.jsonl");
    Files.writeString(day7, new LogLines().command("2359000000", "2026-03-07T00:00:10.000000", "FISH").text() + day("2026-03-07", "1000000007", "day 7"));
    Path lake = tmp.resolve("lake");
    extract(logs, lake, true);
    Lake l = new Lake(spark, lake.toString());
    assertEquals(List.of("conversations_2026-03-06.jsonl settling", "conversations_2026-03-07.jsonl settling"),
        l.read(TableNames.INGEST_LOG).selectExpr("concat(source_file, ' ', status)").orderBy("source_file").as(org.apache.spark.sql.Encoders.STRING()).collectAsList(),
        "day 6 holds lines of a turn still open in day 7: both are read again");
    assertEquals(0, l.read(TableNames.QUARANTINE).count());

    // the answer arrives and day 7 settles: the turn is assembled from both files
    Files.writeString(day7, new LogLines().response("2359000000", "2026-03-07T00:00:20.000000", "Started fishing.").text(), StandardOpenOption.APPEND);
    settled(day7);
    assertEquals(2, extract(logs, lake, true).sources().get(0).filesRead());
    assertEquals(List.of("conversations_2026-03-06.jsonl 1000000006 day 6", "conversations_2026-03-06.jsonl 2359000000 Go fish", "conversations_2026-03-07.jsonl 1000000007 day 7"),
        l.read(TableNames.EXAMPLES).selectExpr("concat(source_file, ' ', request_id, ' ', user_message)").orderBy("source_file", "request_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(List.of("ok", "ok"), l.read(TableNames.INGEST_LOG).orderBy("source_file").select("status").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }
  @Test
  void aNeighbourDayThatContinuesATurnFromTheDayBeforeItIsNotMisreadAsOrphans() throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    // day 1's last turn is answered in day 2's file (the bot restarted at midnight)
    Files.writeString(logs.resolve("conversations_2026-04-01.jsonl"), day("2026-04-01", "1000000001", "day 1") + new LogLines()
        .request("2359000000", "2026-04-01T23:59:00.000000", "Go fish", "main").text());
    Files.writeString(logs.resolve("conversations_2026-04-02.jsonl"), new LogLines()
        .command("2359000000", "2026-04-02T00:00:10.000000", "FISH")
        .response("2359000000", "2026-04-02T00:00:20.000000", "Started fishing.").text() + day("2026-04-02", "1000000002", "day 2")
        + new LogLines().request("2358000000", "2026-04-02T23:58:00.000000", "Go mine", "main").text());
    settled(logs);
    Path lake = tmp.resolve("lake");
    extract(logs, lake, true);
    Lake l = new Lake(spark, lake.toString());
    assertEquals(1, l.read(TableNames.QUARANTINE).count(), "day 2's last turn has no answer yet");

    // day 3 arrives with that answer: the nightly reads day 3, day 2 (the request), and day 1, whose turn goes on in day 2
    Files.writeString(logs.resolve("conversations_2026-04-03.jsonl"), new LogLines()
        .response("2358000000", "2026-04-03T00:00:20.000000", "Mining.").text() + day("2026-04-03", "1000000003", "day 3"));
    settled(logs.resolve("conversations_2026-04-03.jsonl"));
    assertEquals(3, extract(logs, lake, true).sources().get(0).filesRead(), "day 3, its neighbour day 2, and day 1, whose turn goes on in day 2");
    assertEquals(0, l.read(TableNames.QUARANTINE).count(), "day 2's lines of day 1's turn are not orphans, and its last turn is answered");
    Path fresh = tmp.resolve("fresh");
    extract(logs, fresh, false);
    assertEquals(rows(new Lake(spark, fresh.toString())), rows(l), "the same rows as a full run");
  }
}
