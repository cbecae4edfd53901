package dev.toolcalls.pipeline.testing;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.discord.LogLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A small lake whose statistics are known exactly (used by the stats and report tests): seven quiet
 * days (a walk answered "Done." scores 0.85, a bank request answered "Opened." 0.7) and an eighth
 * that fails (two turns with an error event, 0.3 each; one sends the same GOTO twice, the first
 * call failed), so the eighth day drifts for all three reasons.
 */
public final class StatsLakes {
  private StatsLakes() {}

  /** Writes the logs under {@code dir/logs} and extracts them into {@code dir/lake}. */
  public static Lake eightDays(SparkSession spark, Path dir) throws IOException {
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    for (int d = 1; d <= 7; d++) {
      String day = String.format("2026-01-%02d", d);
      Files.writeString(logs.resolve("conversations_" + day + ".jsonl"), new LogLines()
          .request("1000000000", day + "T10:00:00.000000", "Go to the bank", "main").command("1000000000", day + "T10:00:01.000000", "GOTO 3200 3200 0")
          .response("1000000000", day + "T10:00:02.000000", "Done.")
          .request("1100000000", day + "T11:00:00.000000", "Open the bank", "main").command("1100000000", day + "T11:00:01.000000", "BANK_OPEN")
          .response("1100000000", day + "T11:00:02.000000", "Opened.")
          .text());
    }
    String day = "2026-01-08";
    Files.writeString(logs.resolve("conversations_" + day + ".jsonl"), new LogLines()
        .request("1000000000", day + "T10:00:00.000000", "Go to the bank", "main")
        .tool("1000000000", day + "T10:00:01.000000", "send_command", "{\"command\": \"GOTO 3200 3200 0\"}", "{\"success\": false, \"error\": \"blocked\"}")
        .command("1000000000", day + "T10:00:02.000000", "GOTO 3200 3200 0")
        .error("1000000000", day + "T10:00:03.000000", "Path blocked")
        .request("1200000000", day + "T12:00:00.000000", "Fish", "main").command("1200000000", day + "T12:00:01.000000", "FISH_DRAYNOR_LOOP")
        .error("1200000000", day + "T12:00:02.000000", "No net")
        .text());
    TestFiles.settled(logs);
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = dir.resolve("lake").toString();
    new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    return new Lake(spark, o.lakeDir);
  }
}
