package dev.toolcalls.pipeline.job;

import static dev.toolcalls.pipeline.testing.TestFiles.settled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.lake.LakeLock;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users do between runs: compress old days, run twice at once. */
class RerunSafetyTest extends SparkTestBase {
  @TempDir Path tmp;

  static final String DAY = new LogLines()
      .request("1000000000", "2026-01-25T10:00:00.000000", "Bank Open", "main")
      .command("1000000000", "2026-01-25T10:00:01.000000", "BANK_OPEN")
      .response("1000000000", "2026-01-25T10:00:02.000000", "Opened.")
      .request("1100000000", "2026-01-25T11:00:00.000000", "Fish", "main").text();

  ExtractResult extract(Path logs) {
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = tmp.resolve("lake").toString();
    return new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
  }

  @Test
  void compressingAnExtractedDayKeepsItsRowsSingle() throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Path plain = logs.resolve("conversations_2026-01-25.jsonl");
    Files.writeString(plain, DAY);
    settled(plain);
    extract(logs);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(logs.resolve("conversations_2026-01-25.jsonl.gz")))) {
      out.write(DAY.getBytes(StandardCharsets.UTF_8));
    }
    settled(logs);
    BadInputException both = assertThrows(BadInputException.class, () -> extract(logs));
    assertTrue(both.getMessage().startsWith("both conversations_2026-01-25.jsonl and its .gz are in"), both.getMessage());
    Files.delete(plain);
    extract(logs);
    Lake lake = new Lake(spark, tmp.resolve("lake").toString());
    assertEquals(1, lake.read(TableNames.EXAMPLES).count());
    assertEquals("conversations_2026-01-25.jsonl.gz", lake.read(TableNames.EXAMPLES).first().getAs("source_file"));
    assertEquals(1, lake.read(TableNames.QUARANTINE).count());
    assertEquals(1, lake.read(TableNames.INGEST_LOG).count());
  }

  @Test
  void aSecondWritingRunOnTheSameLakeFailsFast() throws IOException {
    Path logs = tmp.resolve("logs2");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-01-25.jsonl"), DAY);
    try (LakeLock held = LakeLock.acquire(tmp.resolve("lake").toString(), "test")) {
      LakeLock.BusyException e = assertThrows(LakeLock.BusyException.class, () -> extract(logs));
      assertTrue(e.getMessage().startsWith("another run is writing to the lake"), e.getMessage());
    }
    assertEquals(1, extract(logs).examplesWritten());
  }
}
