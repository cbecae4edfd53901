package dev.toolcalls.pipeline.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.generate.DiscordLogGenerator;
import dev.toolcalls.pipeline.util.LineReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures extraction as a user runs it: generates about 1 GB of logs (if absent), extracts one small day, a small and the full set, each in a fresh JVM, and prints MB/s as the slope between the last two sizes, the fixed start-up apart (extrapolated, and measured on the small day), the time of each stage, and a single-threaded Jackson scan of the same files for scale.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "bench-data", description = "Where the generated logs and the lakes go (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--target-mb", paramLabel = "M", defaultValue = "1000", description = "Size of the generated logs (default ${DEFAULT-VALUE} MB).")
  int targetMb;

  @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "Days of generated logs (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--small-days", paramLabel = "N", defaultValue = "3", description = "The small input: the last N days (default ${DEFAULT-VALUE}).")
  int smallDays;

  @Option(names = "--nightly", description = "Instead: nightly runs on 30 and 90 days of history (one new day each, against that day alone into an empty lake), a run with nothing new, and the full reprocess of 90 days; each in a fresh JVM.")
  boolean nightly;

  @Option(names = "--stats", description = "Instead: the statistics job on --rows generated examples (written directly as an examples table, once), in a fresh JVM: wall time, rows/s, peak heap.")
  boolean stats;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "10000000", description = "Examples for --stats (default ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--scale", description = "Instead: extraction and the whole nightly run on about --target-mb of logs with local[1] and local[2] (and --cluster), each in a fresh JVM: MB/s, the 1 -> 2 core speed-up, the driver's peak heap, the load average, and where the time goes per stage (Spark task metrics).")
  boolean scale;

  @Option(names = "--cluster", description = "With --scale: also on a standalone cluster of two 1-core Workers started on this machine (driver submitted as spark-submit does).")
  boolean cluster;

  @Option(names = "--scale-gb", paramLabel = "G", description = "Instead: about G GB of logs extracted, then exported, each in a fresh JVM with a 1 GB heap (driver and local[2] executors): finishes or not, peak heap, stages.")
  Integer scaleGb;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    if (scaleGb != null) {
      if (scaleGb < 1) throw new dev.toolcalls.pipeline.config.BadInputException("--scale-gb must be at least 1");
      return new ScaleBench(dir, configOptions).large(scaleGb);
    }
    if (scale) return new ScaleBench(dir, configOptions).throughput(targetMb, cluster);
    if (cluster) throw new dev.toolcalls.pipeline.config.BadInputException("--cluster goes with --scale");
    if (nightly) return nightly();
    if (stats) return stats();
    Path logs = dir.resolve("logs");
    List<Path> files = dailyFiles(logs);
    if (files.isEmpty()) {
      DiscordLogGenerator.Result g = generate(logs, days, targetMb);
      System.out.printf("generated %.1f MB of logs in %.1f s (%.0f MB/s)%n", g.bytes() / 1e6, g.seconds(), g.bytes() / 1e6 / g.seconds());
      files = dailyFiles(logs);
    }
    long totalBytes = size(files);
    List<Path> small = files.subList(Math.max(0, files.size() - smallDays), files.size());
    String smallSince = dayOf(small.get(0));

    double[] scan = jacksonScan(files);
    // The fixed cost measured, not only extrapolated: the small and full runs differ in their JIT
    // (C1 up to 128 MB, C2 above; see JitChoice), so the intercept is an estimate across that
    // change; and this run, under codegen.from_mb, runs Spark's expressions interpreted (GeneratedCode).
    Run tinyRun = extractInFreshJvm(tinyDay(), dir.resolve("lake-tiny"), null, dir.resolve("summary-tiny.json"));
    Run smallRun = extractInFreshJvm(logs, dir.resolve("lake-small"), smallSince, dir.resolve("summary-small.json"));
    Run bigRun = extractInFreshJvm(logs, dir.resolve("lake-full"), null, dir.resolve("summary-full.json"));

    double slopeMbps = (bigRun.bytes - smallRun.bytes) / 1e6 / (bigRun.wallSeconds - smallRun.wallSeconds);
    double fixed = smallRun.wallSeconds - smallRun.bytes / 1e6 / slopeMbps;
    double jacksonMbps = scan[0] / 1e6 / scan[1];

    System.out.println();
    System.out.println("== extraction benchmark (" + Runtime.getRuntime().availableProcessors() + " cores) ==");
    System.out.printf("input: %d files, %.1f MB (small run: last %d days, %.1f MB)%n", files.size(), totalBytes / 1e6, small.size(), smallRun.bytes / 1e6);
    System.out.printf("%-34s %10s %10s %12s%n", "run (fresh JVM each)", "MB", "wall s", "examples");
    System.out.printf("%-34s %10.1f %10.2f %12d%n", "tiny (one generated day)", tinyRun.bytes / 1e6, tinyRun.wallSeconds, tinyRun.examples);
    System.out.printf("%-34s %10.1f %10.2f %12d%n", "small", smallRun.bytes / 1e6, smallRun.wallSeconds, smallRun.examples);
    System.out.printf("%-34s %10.1f %10.2f %12d%n", "full", bigRun.bytes / 1e6, bigRun.wallSeconds, bigRun.examples);
    System.out.printf("extraction throughput (slope between the two sizes): %.1f MB/s%n", slopeMbps);
    System.out.printf("fixed cost of a fresh run (intercept): %.2f s; JVM start to Spark session: %.2f s%n", fixed, bigRun.startupSeconds);
    System.out.printf("fixed cost measured (the tiny run, JVM start to exit): %.2f s; its JVM start to Spark session: %.2f s%n", tinyRun.wallSeconds, tinyRun.startupSeconds);
    System.out.printf("end to end, fixed cost included (full run, as a user runs it): %.1f MB/s%n", bigRun.bytes / 1e6 / bigRun.wallSeconds);
    System.out.printf("plain single-threaded Jackson scan: %.1f MB/s (%.1f MB in %.2f s); extraction = %.2f x one thread, %.0f%% of %d threads' worth%n",
        jacksonMbps, scan[0] / 1e6, scan[1], slopeMbps / jacksonMbps, 100 * slopeMbps / (jacksonMbps * Runtime.getRuntime().availableProcessors()), Runtime.getRuntime().availableProcessors());
    System.out.println("stages of the full run (s):");
    bigRun.stages.forEach((k, v) -> System.out.printf("  %-20s %8.2f%n", k, v));
    return 0;
  }

  /**
   * The nightly figures: history of 30 and of 90 generated days (about 11 MB a day, 1 GB for 90),
   * each extracted whole (the full reprocess), then one new day with {@code extract --changed}, then
   * a run with nothing new; and that new day alone into an empty lake, the yardstick.
   */
  private int nightly() throws Exception {
    Path all = dir.resolve("nightly-logs");
    List<Path> files = dailyFiles(all);
    if (files.size() < 91) {
      deleteRecursively(all);
      files = generateSettled(all, 91, 11, targetMb);
    }
    List<String> lines = new ArrayList<>();
    for (int history : new int[] {30, 90}) {
      Path logs = dir.resolve("nightly-" + history + "/logs");
      Path lake = dir.resolve("nightly-" + history + "/lake");
      deleteRecursively(logs.getParent());
      Files.createDirectories(logs);
      for (Path f : files.subList(0, history)) Files.createLink(logs.resolve(f.getFileName()), f); // same bytes and time, no copy
      Run full = inFreshJvm("extract --changed: " + history + " days into an empty lake (full reprocess)", lake, List.of("extract", "--logs=" + logs, "--lake=" + lake, "--changed"));
      Path newDay = files.get(history);
      Files.createLink(logs.resolve(newDay.getFileName()), newDay);
      Run night = inFreshJvm("extract --changed: day " + (history + 1) + " on " + history + " days", lake, List.of("extract", "--logs=" + logs, "--lake=" + lake, "--changed"));
      Run nothing = inFreshJvm("extract --changed: nothing new", lake, List.of("extract", "--logs=" + logs, "--lake=" + lake, "--changed"));
      Path alone = dir.resolve("nightly-" + history + "/alone");
      Files.createDirectories(alone.resolve("logs"));
      Files.createLink(alone.resolve("logs").resolve(newDay.getFileName()), newDay);
      Run empty = inFreshJvm("extract: day " + (history + 1) + " alone into an empty lake", alone.resolve("lake"), List.of("extract", "--logs=" + alone.resolve("logs"), "--lake=" + alone.resolve("lake")));
      lines.add(String.format("%3d days of history (%.0f MB): full reprocess %.1f s (%.1f MB/s end to end); new day (%.1f MB): nightly %.1f s vs alone into an empty lake %.1f s (%.2fx); nothing new %.1f s, %d files read",
          history, full.bytes / 1e6, full.wallSeconds, full.bytes / 1e6 / full.wallSeconds, night.bytes / 1e6, night.wallSeconds, empty.wallSeconds, night.wallSeconds / empty.wallSeconds, nothing.wallSeconds, nothing.files));
      lines.add("      nightly stages (s): " + night.stages + "; read " + night.files + " files (the new day and its neighbour)");
    }
    System.out.println();
    System.out.println("== nightly benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, fresh JVM per run) ==");
    lines.forEach(System.out::println);
    return 0;
  }

  /**
   * The statistics figures: {@code rows} examples generated straight into {@code <dir>/stats-<rows>/lake}
   * (kept for the next time), then {@code stats} on them in a fresh JVM.
   */
  private int stats() throws Exception {
    Path lake = dir.resolve("stats-" + rows + "/lake");
    if (!Files.isDirectory(lake.resolve("examples/_delta_log"))) {
      deleteRecursively(lake);
      org.apache.spark.sql.SparkSession spark = dev.toolcalls.pipeline.spark.SparkSessions.getOrCreate(configOptions.load(), "pipeline bench --stats");
      long t0 = System.nanoTime();
      dev.toolcalls.pipeline.generate.SyntheticExamples.rows(spark, rows, days).write().format("delta")
          .partitionBy(dev.toolcalls.schemas.ExamplesSchema.PARTITION_COLUMNS.toArray(new String[0])).save(lake.resolve("examples").toString());
      System.out.printf("generated %d examples over %d days in %.1f s%n", rows, days, (System.nanoTime() - t0) / 1e9);
      spark.stop();
    }
    Path summary = dir.resolve("stats-" + rows + "/summary.json");
    Child c = launch("stats on " + rows + " examples", summary, List.of("stats", "--lake=" + lake));
    System.out.println();
    System.out.println("== statistics benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, fresh JVM) ==");
    System.out.printf("%d examples: %.1f s wall (%.0f examples/s end to end; JVM start to Spark session %.2f s)%n", rows, c.wallSeconds, rows / c.wallSeconds,
        c.summary.path("startup_seconds").asDouble());
    System.out.printf("peak heap (sum of the heap pools' peaks, driver and local executors in one JVM): %.0f MB of %.0f MB max%n",
        c.summary.path("peak_heap_bytes").asDouble() / 1e6, c.summary.path("max_heap_bytes").asDouble() / 1e6);
    System.out.println("rows written: " + c.summary.path("stats").path("rowsWritten"));
    System.out.println("stages (s): " + c.summary.path("stats").path("stageSeconds"));
    return 0;
  }

  /** A folder holding one generated day of about 1 MB (written once under {@code <dir>/tiny-logs}), as a small bot's night brings. */
  private Path tinyDay() throws IOException {
    Path logs = dir.resolve("tiny-logs");
    if (dailyFiles(logs).isEmpty()) generate(logs, 1, 1);
    return logs;
  }

  /** The bench's logs: {@code days} days from 2026-01-01, about {@code mb} MB in all, always the same bytes (seed 7). */
  private static DiscordLogGenerator.Result generate(Path logs, int days, int mb) throws IOException {
    DiscordLogGenerator.Options o = new DiscordLogGenerator.Options();
    o.outDir = logs;
    o.days = days;
    o.start = LocalDate.parse("2026-01-01");
    o.seed = 7;
    o.targetMb = mb;
    return new DiscordLogGenerator(o).generate();
  }

  private record Run(double wallSeconds, long bytes, long examples, double startupSeconds, Map<String, Double> stages, long files) {}

  private Run extractInFreshJvm(Path logs, Path lake, String since, Path summary) throws IOException, InterruptedException {
    deleteRecursively(lake);
    List<String> args = new ArrayList<>(List.of("extract", "--logs=" + logs, "--lake=" + lake));
    if (since != null) args.add("--since=" + since);
    return inFreshJvm("extract " + (since == null ? "--all" : "--since " + since), summary, args);
  }

  private record Child(double wallSeconds, JsonNode summary) {}

  /**
   * The JVM options of a fresh JVM that runs {@code commandArgs} as a user would: this JVM's own (no
   * agents; {@code -Xmx<heap>} in place of the heap settings when {@code heap} is given), with the
   * JIT the launcher's rule gives that command (see JitChoice).
   */
  static List<String> childJvmOptions(List<String> commandArgs, String heap) {
    List<String> options = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-agentlib") || a.startsWith("-javaagent")) continue;
      if (heap != null && (a.startsWith("-Xmx") || a.startsWith("-XX:MaxRAMPercentage"))) continue;
      options.add(a);
    }
    if (heap != null) options.add("-Xmx" + heap);
    return JitChoice.forCommand(options, commandArgs);
  }

  /** Runs a command in a fresh JVM with this JVM's options, as a user would, and reads its --summary-json. */
  private Child launch(String what, Path summary, List<String> args) throws IOException, InterruptedException {
    Files.deleteIfExists(summary);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> jvmOptions = childJvmOptions(args, null);
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PipelineCli.class.getName());
    cmd.addAll(args);
    cmd.add("--summary-json=" + summary);
    cmd.addAll(configOptions.passThrough());
    System.out.println("running: " + what + " in a fresh JVM (JIT: " + (JitChoice.c2(jvmOptions) ? "C2" : "C1 only") + ") ...");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    int code = p.waitFor();
    double wall = (System.nanoTime() - t0) / 1e9;
    if (code != 0) throw new IllegalStateException("the " + args.get(0) + " run failed with exit code " + code);
    return new Child(wall, new ObjectMapper().readTree(summary.toFile()));
  }

  /** Runs extract in a fresh JVM, as a user would, and reads its --summary-json. */
  private Run inFreshJvm(String what, Path lakeOrSummary, List<String> args) throws IOException, InterruptedException {
    Path summary = lakeOrSummary.toString().endsWith(".json") ? lakeOrSummary : lakeOrSummary.resolveSibling(lakeOrSummary.getFileName() + "-summary.json");
    Child c = launch(what, summary, args);
    JsonNode s = c.summary;
    double wall = c.wallSeconds;
    long bytes = 0, examples = 0, files = 0;
    for (JsonNode src : s.path("extract").path("sources")) {
      bytes += src.path("bytesRead").asLong();
      examples += src.path("examplesWritten").asLong();
      files += src.path("filesRead").asLong();
    }
    Map<String, Double> stages = new java.util.LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("extract").path("stageSeconds").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      stages.put(e.getKey(), e.getValue().asDouble());
    }
    return new Run(wall, bytes, examples, s.path("startup_seconds").asDouble(), stages, files);
  }

  /** One thread, every line through Jackson's streaming parser: the bare cost of reading the JSON. */
  private static double[] jacksonScan(List<Path> files) throws IOException {
    JsonFactory f = new JsonFactory();
    long bytes = 0, tokens = 0;
    long t0 = System.nanoTime();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        LineReader lines = new LineReader(in);
        while (lines.next()) {
          if (lines.length() == 0) continue;
          try (JsonParser p = f.createParser(lines.buffer(), lines.start(), lines.length())) {
            while (p.nextToken() != null) tokens++;
          } catch (IOException bad) {
            // counted as read; a scan has nothing to quarantine
          }
        }
        bytes += lines.bytesRead();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("jackson scan: %d tokens%n", tokens);
    return new double[] {bytes, seconds};
  }

  /**
   * Generates {@code days} of logs from 2026-01-01 into {@code logs} and dates the files a day
   * back: written a moment ago, they would count as being written, as last night's files do not.
   */
  static List<Path> generateSettled(Path logs, int days, long seed, int targetMb) throws IOException {
    DiscordLogGenerator.Options o = new DiscordLogGenerator.Options();
    o.outDir = logs;
    o.days = days;
    o.start = LocalDate.parse("2026-01-01");
    o.seed = seed;
    o.targetMb = targetMb;
    DiscordLogGenerator.Result g = new DiscordLogGenerator(o).generate();
    System.out.printf("generated %.1f MB of logs (%d days) in %.1f s%n", g.bytes() / 1e6, days, g.seconds());
    List<Path> files = dailyFiles(logs);
    for (Path f : files) Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));
    return files;
  }

  static List<Path> dailyFiles(Path logs) throws IOException {
    if (!Files.isDirectory(logs)) return new ArrayList<>();
    try (Stream<Path> s = Files.list(logs)) {
      return new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("conversations_\\d{4}-\\d{2}-\\d{2}\\.jsonl")).sorted().toList());
    }
  }

  private static String dayOf(Path p) {
    String n = p.getFileName().toString();
    return n.substring("conversations_".length(), "conversations_".length() + 10);
  }

  static long size(List<Path> files) throws IOException {
    long n = 0;
    for (Path p : files) n += Files.size(p);
    return n;
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
