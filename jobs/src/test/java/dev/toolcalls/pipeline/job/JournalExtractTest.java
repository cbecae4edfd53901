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

/** Journals through the extract job: nested folders, README/TEMPLATE skipped, a non-UTF-8 file quarantined, tags from the text. */
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
}
