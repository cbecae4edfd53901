package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.job.ForgetJob;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forget", mixinStandardHelpOptions = true,
    description = {
      "Deletes one person's rows from every table, on request: their examples, the reviews of those examples (and examples reviews derived from them),"
          + " their identities rows and the quarantined lines holding their id or name; statistics are computed again. Prints the rows deleted per table.",
      "Delta keeps deleted rows in older versions until VACUUM: --vacuum removes them at once (retention 0 for the tables changed: their older versions go too).",
      "Holds the lake lock: exit 3 while a nightly run writes."
    })
public final class ForgetCommand implements Callable<Integer> {
  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Option(names = "--user-id", paramLabel = "ID", description = "The person's Discord user id (its pseudonym comes from the configured key).")
  String userId;

  @Option(names = "--user-key", paramLabel = "KEY", description = "Or the pseudonym itself (examples.user_key, identities.user_key: u-...).")
  String userKey;

  @Option(names = "--vacuum", description = "VACUUM the tables changed with retention 0, so no older version still holds the rows.")
  boolean vacuum;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    ForgetJob.Options o = new ForgetJob.Options();
    o.lakeDir = lake;
    o.userId = userId;
    o.userKey = userKey;
    o.vacuum = vacuum;
    o.validate();
    PipelineConfig config = configOptions.load();
    ForgetJob.Result r = new ForgetJob(SparkSessions.getOrCreate(config, "pipeline forget"), config, o).execute();
    System.out.print(r.toText());
    return PipelineCli.EXIT_OK;
  }
}
