package dev.toolcalls.pipeline.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A Spark standalone cluster on this machine, from the Spark jars Maven resolved: one Master and
 * N Workers, each a JVM of its own on 127.0.0.1, and drivers submitted to it through {@code
 * SparkSubmit} as {@code spark-submit} does, so executors run in JVMs the Workers start, apart
 * from the driver. Used by the cluster integration test and {@code bench --scale --cluster}.
 *
 * <p>Spark needs a SPARK_HOME: a folder whose {@code jars/} holds the jars (links to the resolved
 * ones), an empty {@code RELEASE} file (without it a Worker looks for a source build's jars and its
 * executors fail with "Cannot find any build directories") and {@code SPARK_SCALA_VERSION=2.12}.
 * Jars whose classes the application jar already carries are left out, so a run also proves the
 * application jar needs nothing but what a cluster provides.
 */
public final class LocalStandaloneCluster implements AutoCloseable {
  /** Spark on Java 17 needs these in every JVM it runs in (the list bin/pipeline and the pom use). */
  public static final List<String> JAVA17_OPENS = Stream.of(
          "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent",
          "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")
      .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  private final Path home;
  private final Path logs;
  private final int masterPort;
  private final List<Process> processes = new ArrayList<>();

  private LocalStandaloneCluster(Path home, int masterPort) {
    this.home = home;
    this.logs = home.resolve("logs");
    this.masterPort = masterPort;
  }

  /** Sizes of the cluster. */
  public record Shape(int workers, int coresPerWorker, String workerMemory) {}

  /**
   * Builds SPARK_HOME under {@code home} from the jars in {@code sparkJars} (those not inside
   * {@code appJar}), starts the Master and the Workers and waits until every Worker has
   * registered. Whatever was started is stopped again if this fails.
   */
  public static LocalStandaloneCluster start(Path home, Path sparkJars, Path appJar, Shape shape, Duration timeout) throws IOException, InterruptedException {
    deleteRecursively(home);
    Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("logs"));
    Files.createFile(home.resolve("RELEASE"));
    linkJars(sparkJars, appJar, home.resolve("jars"));
    int masterPort = freePort();
    int masterUi = freePort();
    LocalStandaloneCluster c = new LocalStandaloneCluster(home, masterPort);
    try {
      c.daemon("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUi)));
      for (int i = 1; i <= shape.workers(); i++) {
        Path dir = home.resolve("work/worker-" + i);
        Files.createDirectories(dir);
        c.daemon("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", String.valueOf(freePort()),
            "--webui-port", String.valueOf(freePort()), "--cores", String.valueOf(shape.coresPerWorker()), "--memory", shape.workerMemory(),
            "--work-dir", dir.toString(), c.masterUrl()));
      }
      c.awaitWorkers(masterUi, shape.workers(), timeout);
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  public Path home() {
    return home;
  }

  /**
   * The command line of a driver submitted to this cluster in client mode: {@code SparkSubmit}
   * (what {@code spark-submit} runs) in a JVM of its own, with the given driver heap, Spark
   * settings, application jar and arguments.
   */
  public List<String> submitCommand(String driverMemory, List<String> sparkConf, Path appJar, String mainClass, List<String> args) {
    return submitCommand(driverMemory, List.of(), sparkConf, appJar, mainClass, args);
  }

  /** The same, the driver's JVM started with {@code driverJvmOptions} too (as spark-submit's {@code --driver-java-options}). */
  public List<String> submitCommand(String driverMemory, List<String> driverJvmOptions, List<String> sparkConf, Path appJar, String mainClass, List<String> args) {
    List<String> jvm = new ArrayList<>(driverJvmOptions);
    jvm.add(0, "-Xmx" + driverMemory);
    List<String> cmd = javaCommand(jvm.toArray(new String[0]));
    cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(), "--deploy-mode", "client", "--class", mainClass,
        "--driver-memory", driverMemory));
    for (String c : sparkConf) cmd.addAll(List.of("--conf", c));
    cmd.add(appJar.toString());
    cmd.addAll(args);
    return cmd;
  }

  /** A process started with this cluster's environment (SPARK_HOME, Scala version, loopback). */
  public ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // The driver must read conf/ from the application jar, as on a real cluster.
    env.remove("PIPELINE_CONF_DIR");
    return pb;
  }

  /** The java command of a JVM on this cluster's jars, with the opens Spark needs on Java 17. */
  private List<String> javaCommand(String... jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(JAVA17_OPENS);
    cmd.add("-cp");
    cmd.add(home.resolve("jars") + File.separator + "*");
    return cmd;
  }

  private void daemon(String name, List<String> mainAndArgs) throws IOException {
    List<String> cmd = javaCommand("-Xmx256m");
    cmd.addAll(mainAndArgs);
    Path log = logs.resolve(name + ".log");
    Process p = processBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
  }

  private void awaitWorkers(int masterUi, int expected, Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUi + "/json")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int alive = 0;
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) throw new IllegalStateException("a cluster process ended with exit code " + p.exitValue() + "; logs: " + logs + "\n" + tails());
      }
      try {
        Matcher m = ALIVE_WORKERS.matcher(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
        if (m.find()) alive = Integer.parseInt(m.group(1));
        if (alive >= expected) return;
      } catch (IOException notUpYet) {
        // the Master's web UI is not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(alive + " of " + expected + " workers registered within " + timeout.toSeconds() + " s; logs: " + logs + "\n" + tails());
  }

  /** The last lines of each daemon's log, for an error message. */
  public String tails() {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(logs)) {
      for (Path log : s.sorted().toList()) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        sb.append("--- ").append(log.getFileName()).append('\n');
        lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append(l).append('\n'));
      }
    } catch (IOException | UncheckedIOException e) {
      sb.append("(logs unreadable: ").append(e.getMessage()).append(")");
    }
    return sb.toString();
  }

  /**
   * Stops every process started here and what they started (the executors the Workers launched):
   * SIGTERM first, so a Worker can stop its executors, then SIGKILL what is left after 10 s.
   */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : processes) {
      p.descendants().forEach(all::add);
      all.add(p.toHandle());
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception stillAlive) {
        h.destroyForcibly();
      }
    }
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // nothing more can be done than SIGKILL; reported by the caller's process checks if it matters
      }
    }
    processes.clear();
  }

  /** Links every jar of {@code from} into {@code to}, except those whose classes are in {@code appJar}. */
  private static void linkJars(Path from, Path appJar, Path to) throws IOException {
    List<String> appClasses;
    try (ZipFile app = new ZipFile(appJar.toFile())) {
      appClasses = app.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList();
    }
    java.util.Set<String> inApp = new java.util.HashSet<>(appClasses);
    try (Stream<Path> s = Files.list(from)) {
      for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
        if (carriedBy(jar, inApp)) continue;
        Files.createSymbolicLink(to.resolve(jar.getFileName()), jar.toAbsolutePath());
      }
    }
  }

  private static boolean carriedBy(Path jar, java.util.Set<String> appClasses) throws IOException {
    try (ZipFile z = new ZipFile(jar.toFile())) {
      return z.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class")).findFirst().map(appClasses::contains).orElse(false);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
    }
  }
}
