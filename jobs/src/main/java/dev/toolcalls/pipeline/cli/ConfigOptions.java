package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command takes to find and adjust its configuration. */
public final class ConfigOptions {
  @Option(names = "--conf-dir", paramLabel = "DIR", description = "Configuration folder (default: the conf/ packed in the jar; bin/pipeline passes the repository's conf/).")
  Path confDir;

  @Option(names = "--config", paramLabel = "FILE", description = "Your YAML settings, merged over the shipped defaults.")
  Path configFile;

  @Option(names = "--profile", paramLabel = "NAME", description = "local (embedded Spark, the default) or cluster (under spark-submit).")
  String profile;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Override one setting, e.g. --conf discord.answered_grace_seconds=600 or --conf spark.sql.shuffle.partitions=4. Repeatable.")
  List<String> overrides = new ArrayList<>();

  PipelineConfig load() {
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.confDir = confDir != null ? confDir : envConfDir();
    s.userFile = configFile;
    s.profile = profile;
    s.overrides = overrides;
    return PipelineConfig.load(s);
  }

  /** These options as arguments of a command run in another JVM (the benchmarks' fresh runs). */
  List<String> passThrough() {
    List<String> args = new ArrayList<>();
    if (confDir != null) args.add("--conf-dir=" + confDir);
    if (configFile != null) args.add("--config=" + configFile);
    if (profile != null) args.add("--profile=" + profile);
    for (String c : overrides) args.add("--conf=" + c);
    return args;
  }

  private static Path envConfDir() {
    String env = System.getenv("PIPELINE_CONF_DIR");
    return env == null || env.isBlank() ? null : Path.of(env);
  }
}
