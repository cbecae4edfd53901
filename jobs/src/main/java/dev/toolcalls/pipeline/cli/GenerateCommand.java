package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.generate.DiscordLogGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Writes deterministic synthetic Discord bot logs (one conversations_YYYY-MM-DD.jsonl per day): varied commands, game states, multi-tool turns, errors, failures and self-corrections. Same options, same bytes.")
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write the daily files into (created if absent).")
  Path out;

  @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "Number of days (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--start", paramLabel = "YYYY-MM-DD", defaultValue = "2026-01-01", description = "First day (default ${DEFAULT-VALUE}).")
  String start;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--requests-per-day", paramLabel = "K", defaultValue = "400", description = "Requests per day (default ${DEFAULT-VALUE}); ignored with --target-mb.")
  int requestsPerDay;

  @Option(names = "--target-mb", paramLabel = "M", description = "Aim for about M megabytes in total instead (1000 gives about 1 GB).")
  Integer targetMb;

  @Option(names = "--clean", description = "Write only well-formed turns (no duplicates, incomplete turns or other rare messy cases).")
  boolean clean;

  @Override
  public Integer call() throws Exception {
    if (days < 1) throw new BadInputException("--days must be at least 1");
    if (requestsPerDay < 1) throw new BadInputException("--requests-per-day must be at least 1");
    if (targetMb != null && targetMb < 1) throw new BadInputException("--target-mb must be at least 1");
    DiscordLogGenerator.Options o = new DiscordLogGenerator.Options();
    o.outDir = out;
    o.days = days;
    o.start = LocalDate.parse(ExtractCommand.day(start, "--start"));
    o.seed = seed;
    o.requestsPerDay = requestsPerDay;
    o.targetMb = targetMb;
    o.messy = !clean;
    DiscordLogGenerator.Result r = new DiscordLogGenerator(o).generate();
    System.out.printf("generated %d files, %d requests, %.1f MB in %s in %.1f s (%.0f MB/s)%n",
        r.files().size(), r.requests(), r.bytes() / 1e6, out, r.seconds(), r.bytes() / 1e6 / Math.max(r.seconds(), 1e-9));
    return 0;
  }
}
