package dev.toolcalls.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.spark.LocalStandaloneCluster;
import dev.toolcalls.pipeline.spark.StageMetricsListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --scale}: throughput of extraction and of the whole nightly {@code run} with one
 * and two cores and on a two-Worker standalone cluster, and ({@code --scale-gb}) a large input
 * extracted and exported with a 1 GB driver heap. Every run is a fresh JVM (the cluster's driver
 * is submitted through SparkSubmit), watched by {@link StageMetricsListener} for where the time
 * goes and the driver's peak heap. The machine's load average is printed with every figure, since
 * a shared machine's figures mean little without it.
 */
final class ScaleBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final ConfigOptions configOptions;

  ScaleBench(Path dir, ConfigOptions configOptions) {
    this.dir = dir.toAbsolutePath();
    this.configOptions = configOptions;
  }

  /** One measured run. */
  record Run(String mode, String command, long bytes, double wallSeconds, double sparkSeconds, long peakHeap, long maxHeap, String load, JsonNode stages) {
    double wallMbps() {
      return bytes / 1e6 / wallSeconds;
    }

    double sparkMbps() {
      return bytes / 1e6 / sparkSeconds;
    }
  }

  /** The one-core run: local[1] in a JVM pinned to CPU 0. */
  private static final String ONE_CPU = "local[1] on 1 CPU";
  private static final String TASKSET = "/usr/bin/taskset";

  /** The throughput figures on about {@code targetMb} of logs. */
  int throughput(int targetMb, boolean withCluster) throws Exception {
    Path logs = logs("scale-" + targetMb + "mb", targetMb);
    long bytes = BenchCommand.size(BenchCommand.dailyFiles(logs));
    List<Run> runs = new ArrayList<>();
    for (int cores : new int[] {1, 2}) {
      String mode = "local[" + cores + "]";
      runs.add(local(mode, "extract", logs, bytes, null));
      runs.add(local(mode, "run", logs, bytes, null));
    }
    // local[1] alone is one task thread, not one core: the JIT compiler and the GC threads still use
    // the others. Pinned to one CPU, it is the run a one-core machine would give.
    boolean pinnable = Runtime.getRuntime().availableProcessors() > 1 && Files.isExecutable(Path.of(TASKSET));
    if (pinnable) {
      runs.add(local(ONE_CPU, "extract", logs, bytes, null));
      runs.add(local(ONE_CPU, "run", logs, bytes, null));
    }
    if (withCluster) {
      Path appJar = codeSource(PipelineCli.class);
      Path sparkJars = codeSource(org.apache.spark.SparkContext.class).getParent();
      if (!appJar.toString().endsWith(".jar")) throw new BadInputException("--cluster needs the application jar (bin/pipeline runs from jobs/target/pipeline.jar), not " + appJar);
      try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(dir.resolve("spark-home"), sparkJars, appJar,
          new LocalStandaloneCluster.Shape(2, 1, "3g"), Duration.ofSeconds(120))) {
        System.out.println("standalone cluster up: " + cluster.masterUrl() + " (2 workers, 1 core and 3 GB each)");
        runs.add(onCluster(cluster, appJar, "extract", logs, bytes));
        runs.add(onCluster(cluster, appJar, "run", logs, bytes));
      }
    }
    System.out.println();
    System.out.printf("== scale benchmark: %.1f MB of logs, %d cores on this machine, a fresh JVM per run ==%n", bytes / 1e6, Runtime.getRuntime().availableProcessors());
    printRuns(runs);
    for (String command : List.of("extract", "run")) {
      Run one = find(runs, "local[1]", command), two = find(runs, "local[2]", command);
      System.out.printf("%s: local[1] -> local[2] speed-up %.2fx wall, %.2fx Spark time%n", command, one.wallSeconds / two.wallSeconds, one.sparkSeconds / two.sparkSeconds);
      if (pinnable) {
        Run pinned = find(runs, ONE_CPU, command);
        System.out.printf("%s: 1 CPU (local[1] pinned with taskset) -> local[2] on %d CPUs speed-up %.2fx wall, %.2fx Spark time%n", command,
            Runtime.getRuntime().availableProcessors(), pinned.wallSeconds / two.wallSeconds, pinned.sparkSeconds / two.sparkSeconds);
      }
    }
    for (Run r : runs) printStages(r);
    return PipelineCli.EXIT_OK;
  }

  /** About {@code gb} GB extracted, then exported, each in a JVM with a 1 GB heap (driver and local executors). */
  int large(int gb) throws Exception {
    Path logs = logs("scale-" + gb + "gb", gb * 1000);
    long bytes = BenchCommand.size(BenchCommand.dailyFiles(logs));
    List<Run> runs = new ArrayList<>();
    Path lake = dir.resolve("scale-" + gb + "gb/lake");
    BenchCommand.deleteRecursively(lake);
    runs.add(local("local[2], 1g heap", "extract", logs, bytes, "1g"));
    runs.add(local("local[2], 1g heap", "export", logs, bytes, "1g"));
    System.out.println();
    System.out.printf("== scale benchmark: %.1f MB of logs with a 1 GB driver heap (local[2]: the executors share it) ==%n", bytes / 1e6);
    printRuns(runs);
    for (Run r : runs) printStages(r);
    BenchCommand.deleteRecursively(lake);
    BenchCommand.deleteRecursively(dir.resolve("scale-" + gb + "gb/out"));
    return PipelineCli.EXIT_OK;
  }

  private Path logs(String name, int targetMb) throws IOException {
    Path logs = dir.resolve(name + "/logs");
    if (BenchCommand.dailyFiles(logs).isEmpty()) BenchCommand.generateSettled(logs, 30, 13, targetMb);
    return logs;
  }

  /** The command's arguments; each run starts from an empty lake (and datasets folder), export excepted. */
  private List<String> args(String command, Path logs, Path lake, Path out) throws IOException {
    if (!command.equals("export")) BenchCommand.deleteRecursively(lake);
    BenchCommand.deleteRecursively(out);
    return switch (command) {
      case "extract" -> List.of("extract", "--logs=" + logs, "--lake=" + lake);
      case "run" -> List.of("run", "--logs=" + logs, "--lake=" + lake, "--out=" + out);
      case "export" -> List.of("export", "--lake=" + lake, "--out=" + out);
      default -> throw new IllegalArgumentException(command);
    };
  }

  private Run local(String mode, String command, Path logs, long bytes, String heap) throws Exception {
    Path base = logs.getParent();
    Path metrics = base.resolve("metrics-" + slug(mode) + "-" + command + ".json");
    List<String> cmd = new ArrayList<>();
    if (mode.equals(ONE_CPU)) cmd.addAll(List.of(TASKSET, "-c", "0"));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> commandArgs = args(command, logs, base.resolve("lake"), base.resolve("out"));
    cmd.addAll(BenchCommand.childJvmOptions(commandArgs, heap));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PipelineCli.class.getName()));
    cmd.addAll(commandArgs);
    String master = mode.substring(0, mode.indexOf(']') + 1);
    for (String c : sparkConf(metrics, "spark.master=" + master)) cmd.add("--conf=" + c);
    cmd.addAll(configOptions.passThrough());
    return measure(mode, command, bytes, new ProcessBuilder(cmd), metrics);
  }

  private Run onCluster(LocalStandaloneCluster cluster, Path appJar, String command, Path logs, long bytes) throws Exception {
    Path base = logs.getParent();
    Path metrics = base.resolve("metrics-cluster-" + command + ".json");
    List<String> args = new ArrayList<>(args(command, logs, base.resolve("lake"), base.resolve("out")));
    args.addAll(configOptions.passThrough());
    // As many shuffle partitions as the local profile: the cluster profile's 200 are sized for a
    // real cluster and would make this one's figures about task overhead.
    List<String> conf = new ArrayList<>(sparkConf(metrics, "spark.executor.memory=2g"));
    conf.add("spark.sql.shuffle.partitions=8");
    List<String> cmd = cluster.submitCommand("2g", conf, appJar, PipelineCli.class.getName(), args);
    return measure("cluster 2x1 core", command, bytes, cluster.processBuilder(cmd), metrics);
  }

  private static List<String> sparkConf(Path metrics, String extra) {
    return List.of(extra, "spark.extraListeners=" + StageMetricsListener.class.getName(), StageMetricsListener.FILE_SETTING + "=" + metrics);
  }

  private Run measure(String mode, String command, long bytes, ProcessBuilder pb, Path metrics) throws Exception {
    Files.deleteIfExists(metrics);
    Path log = metrics.resolveSibling(metrics.getFileName().toString().replace(".json", ".log"));
    String loadBefore = loadAverage();
    System.out.printf("running %s on %s in a fresh JVM (JIT: %s; log: %s; load average %s) ...%n", command, mode,
        JitChoice.c2(pb.command()) ? "C2" : "C1 only", log, loadBefore);
    long t0 = System.nanoTime();
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int code;
    try {
      code = p.waitFor();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    if (code != 0 || !Files.isRegularFile(metrics)) {
      List<String> lines = Files.readAllLines(log);
      throw new IllegalStateException(command + " on " + mode + " failed with exit code " + code + "; last lines of " + log + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
    }
    JsonNode m = JSON.readTree(metrics.toFile());
    Run r = new Run(mode, command, bytes, wall, m.path("app_ms").asDouble() / 1000, m.path("driver_peak_heap_bytes").asLong(), m.path("driver_max_heap_bytes").asLong(),
        loadBefore + " -> " + loadAverage(), m.path("stages"));
    // Each figure as soon as it is known: a long benchmark stopped half-way still reports.
    System.out.printf("  %s on %s: %.1f MB in %.1f s wall (%.1f MB/s), %.1f s Spark (%.1f MB/s); driver peak heap %.0f MB; load %s%n", command, mode, bytes / 1e6,
        r.wallSeconds, r.wallMbps(), r.sparkSeconds, r.sparkMbps(), r.peakHeap / 1e6, r.load);
    return r;
  }

  private static void printRuns(List<Run> runs) {
    System.out.printf("%-20s %-8s %8s %8s %8s %8s %8s %16s  %s%n", "mode", "command", "MB", "wall s", "MB/s", "Spark s", "MB/s", "driver heap MB", "load (1 min) before -> after");
    for (Run r : runs) {
      System.out.printf("%-20s %-8s %8.1f %8.1f %8.1f %8.1f %8.1f %7.0f of %5.0f  %s%n", r.mode, r.command, r.bytes / 1e6, r.wallSeconds, r.wallMbps(), r.sparkSeconds,
          r.sparkMbps(), r.peakHeap / 1e6, r.maxHeap / 1e6, r.load);
    }
    System.out.println("(wall: the fresh JVM's whole life; Spark: SparkContext start to stop; driver heap: peak, the sum of the heap pools' peaks)");
  }

  /** Where a run's time went, per label, from Spark's task metrics (seconds summed over tasks). */
  static void printStages(Run r) {
    System.out.println();
    System.out.printf("stages of %s on %s (task times summed over tasks; wall from stage submission to completion)%n", r.command, r.mode);
    System.out.printf("  %-46s %6s %6s %8s %8s %8s %6s %9s %9s %9s%n", "label (job description or stage)", "stages", "tasks", "wall s", "run s", "CPU s", "GC s", "read MB", "write MB", "shuffle MB");
    for (Iterator<Map.Entry<String, JsonNode>> it = r.stages.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode s = e.getValue();
      String label = e.getKey().length() > 46 ? e.getKey().substring(0, 45) + "…" : e.getKey();
      System.out.printf("  %-46s %6d %6d %8.1f %8.1f %8.1f %6.1f %9.1f %9.1f %9.1f%n", label, s.path("stages").asLong(), s.path("tasks").asLong(),
          s.path("wallMs").asLong() / 1e3, s.path("executorRunMs").asLong() / 1e3, s.path("executorCpuMs").asLong() / 1e3, s.path("gcMs").asLong() / 1e3,
          s.path("inputBytes").asLong() / 1e6, s.path("outputBytes").asLong() / 1e6, (s.path("shuffleReadBytes").asLong() + s.path("shuffleWriteBytes").asLong()) / 1e6);
    }
  }

  private static Run find(List<Run> runs, String mode, String command) {
    return runs.stream().filter(r -> r.mode.equals(mode) && r.command.equals(command)).findFirst().orElseThrow();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static Path codeSource(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static String slug(String mode) {
    return mode.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
  }
}
