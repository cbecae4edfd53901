package dev.toolcalls.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.discord.LogLines;
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
    Path lake = tmp.resolve("lake");
    assertEquals(4, extract(logs, lake, true).sources().get(0).filesRead());

    ExtractResult nothing = extract(logs, lake, true);
    assertEquals(List.of(), nothing.sources(), "nothing changed: no file read");

    Files.writeString(logs.resolve("conversations_2026-01-05.jsonl"), new LogLines()
        .command("2359000000", "2026-01-05T00:00:10.000000", "FISH")
        .response("2359000000", "2026-01-05T00:00:20.000000", "Started fishing.").text() + day("2026-01-05", "1000000005", "day 5"));
    ExtractResult nightly = extract(logs, lake, true);
    assertEquals(2, nightly.sources().get(0).filesRead(), "day 5 and its neighbour day 4");
    assertEquals(0, nightly.sources().get(0).quarantined());

    Lake l = new Lake(spark, lake.toString());
    DiffJob.Result diff = new DiffJob(spark, lake.toString(), TableNames.EXAMPLES, 0, null, 10).execute();
    assertEquals(List.of(2L, 0L, 0L), List.of(diff.added(), diff.removed(), diff.changed()), diff.toText());
    DiffJob.Result quarantine = new DiffJob(spark, lake.toString(), TableNames.QUARANTINE, 0, null, 10).execute();
    assertEquals(List.of(0L, 1L, 0L), List.of(quarantine.added(), quarantine.removed(), quarantine.changed()), quarantine.toText());
    List<String> incremental = rows(l);
    assertEquals(6, incremental.size());
    assertEquals(0, l.read(TableNames.QUARANTINE).count(), "day 4's incomplete turn was replaced by the assembled one");
    Path fresh = tmp.resolve("fresh");
    extract(logs, fresh, false);
    assertEquals(rows(new Lake(spark, fresh.toString())), incremental, "the same rows as a full run");
  }
}
