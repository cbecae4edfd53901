package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.job.MaintainJob;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = {
      "Table upkeep (weekly): OPTIMIZE (compacts small files) then VACUUM every table of the lake; rows and recent time travel are kept.",
      "VACUUM keeps each table's own retention (delta.deletedFileRetentionDuration, 7 days unless set); Delta's retention check stays on.",
      "Holds the lake lock: exit 3 while a nightly run writes."
    })
public final class MaintainCommand implements Callable<Integer> {
  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Option(names = "--retain-hours", paramLabel = "H",
      description = "Keep removed files H hours (default: each table's retention). Below a table's retention Delta's check refuses it: exit 2, nothing changed.")
  Integer retainHours;

  @Option(names = "--dry-run", description = "List what VACUUM would delete; change nothing (no OPTIMIZE, no lock taken).")
  boolean dryRun;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    MaintainJob.Options o = new MaintainJob.Options();
    o.lakeDir = lake;
    o.retainHours = retainHours;
    o.dryRun = dryRun;
    o.validate();
    SparkSession spark = SparkSessions.getOrCreate(configOptions.load(), "pipeline maintain");
    MaintainJob.Result r = new MaintainJob(spark, o).execute();
    String retention = r.retainHours() == null ? "each table's own retention" : r.retainHours() + " hours";
    System.out.printf("maintain %s%s (run %s): VACUUM retention %s%n", r.lake(), r.dryRun() ? " --dry-run, nothing changed" : "", r.runId(), retention);
    TablePrinter p = r.dryRun()
        ? new TablePrinter(List.of("table", "version", "files", "VACUUM would delete", "seconds"), 0)
        : new TablePrinter(List.of("table", "version", "files before", "files after", "compacted (removed -> added)", "vacuumed", "seconds"), 0);
    for (MaintainJob.TableResult t : r.tables()) {
      String seconds = String.format("%.1f", t.seconds());
      p.add(r.dryRun()
          ? List.of(t.table(), String.valueOf(t.versionBefore()), String.valueOf(t.filesBefore()), String.valueOf(t.vacuumed()), seconds)
          : List.of(t.table(), t.versionBefore() + " -> " + t.versionAfter(), String.valueOf(t.filesBefore()), String.valueOf(t.filesAfter()),
              t.compactedRemoved() + " -> " + t.compactedAdded(), String.valueOf(t.vacuumed()), seconds));
    }
    p.print(System.out);
    for (MaintainJob.TableResult t : r.tables()) {
      if (t.vacuumList().isEmpty()) continue;
      System.out.println(t.table() + ": VACUUM would delete");
      for (String f : t.vacuumList()) System.out.println("  " + f);
    }
    System.out.printf("  total: %.1f s%n", r.seconds());
    return PipelineCli.EXIT_OK;
  }
}
