package dev.toolcalls.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journals and sessions through the extract job: nested folders, README/TEMPLATE skipped, a
 * non-UTF-8 file quarantined, tags from the text; all three sources in one job, each counted apart.
 */
class JournalExtractTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void journalsLandInExamplesWithTheirOwnSummary() throws IOException {
    Path j = tmp.resolve("journals");
    Files.createDirectories(j.resolve("combat"));
    Files.writeString(j.resolve("combat/kill_loop_2025-01-20.md"), String.join("\n",
        "# KILL_LOOP argument order",
        "## Problem",
        "`KILL_LOOP Giant_frog 250` stopped after one kill.",
        "## Root Cause",
        "The food argument was read as the count.",
        "## Anti-Patterns",
        "- **Don't** pass the count before the food - `KILL_LOOP` reads food second",
        ""));
    Files.writeString(j.resolve("README.md"), "# Journals\n## Problem\nnot a journal\n## Root Cause\nreadme\n");
    Files.writeString(j.resolve("TEMPLATE.md"), "# Template\n## Problem\n...\n## Root Cause\n...\n");
    Files.write(j.resolve("broken.md"), new byte[] {'#', ' ', 'x', '\n', 'a', (byte) 0xC3, (byte) 0x28, '\n'});
    ExtractJob.Options o = new ExtractJob.Options();
    o.journalsDir = j.toString();
    o.lakeDir = tmp.resolve("lake").toString();
    ExtractResult r = new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    System.out.print(r.toText());
    ExtractResult.SourceSummary s = r.sources().get(0);
    assertEquals("journal", s.source());
    assertEquals(2, s.filesRead());
    assertEquals(2, s.examplesWritten());
    assertEquals(Map.of("invalid_utf8", 1L), s.quarantinedByReason());
    Lake lake = new Lake(spark, o.lakeDir);
    List<Row> rows = lake.read(TableNames.EXAMPLES).orderBy("example_type")
        .selectExpr("source", "source_file", "example_type", "concat_ws(',', tags)", "cast(event_date as string)").collectAsList();
    assertEquals("[[journal,combat/kill_loop_2025-01-20.md,negative,combat,2025-01-20], [journal,combat/kill_loop_2025-01-20.md,reasoning_chain,combat,2025-01-20]]", rows.toString());
    Row q = lake.read(TableNames.QUARANTINE).selectExpr("source", "source_file", "line_number", "reason").first();
    assertEquals("[journal,broken.md,2,invalid_utf8]", q.toString());
  }

  @Test
  void logsJournalsAndSessionsInOneJobEachWithItsCounts() throws Exception {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-01-25.jsonl"), new dev.toolcalls.pipeline.source.discord.LogLines()
        .request("1000000000", "2026-01-25T10:00:00.000000", "Bank Open", "main")
        .command("1000000000", "2026-01-25T10:00:01.000000", "BANK_OPEN")
        .response("1000000000", "2026-01-25T10:00:02.000000", "Opened.").text());
    Path j = tmp.resolve("journals");
    Files.createDirectories(j);
    Files.writeString(j.resolve("bank.md"), "# Bank\n## Anti-Patterns\n- **Don't** withdraw before `BANK_OPEN` finishes - it takes 4 s\n");
    Path sessions = Path.of(getClass().getResource("/sessions/projects").toURI());
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.journalsDir = j.toString();
    o.sessionsDir = sessions.toString();
    o.lakeDir = tmp.resolve("lake").toString();
    ExtractResult r = new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    System.out.print(r.toText());
    assertEquals(List.of("discord", "journal", "claude_session"), r.sources().stream().map(ExtractResult.SourceSummary::source).toList());
    assertEquals(1, r.sources().get(0).examplesWritten());
    assertEquals(1, r.sources().get(1).examplesWritten());
    ExtractResult.SourceSummary s = r.sources().get(2);
    assertEquals(4, s.filesRead());
    Lake lake = new Lake(spark, o.lakeDir);
    assertEquals(s.examplesWritten(), lake.read(TableNames.EXAMPLES).where("source = 'claude_session'").count());
    assertEquals(s.quarantined(), lake.read(TableNames.QUARANTINE).where("source = 'claude_session'").count());
    assertEquals(1 + 1 + s.examplesWritten(), lake.read(TableNames.EXAMPLES).count());
    assertEquals(List.of(), lake.read(TableNames.EXAMPLES).groupBy("id").count().where("count > 1").collectAsList());
  }
}
