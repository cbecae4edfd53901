package dev.toolcalls.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolcalls.pipeline.cli.PipelineCli;
import dev.toolcalls.pipeline.generate.DiscordLogGenerator;
import dev.toolcalls.pipeline.spark.LocalStandaloneCluster;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.pipeline.testing.TestFiles;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The application jar on a Spark standalone cluster (a Master and two Workers, each a JVM of its
 * own on 127.0.0.1, from the Spark jars Maven resolved), submitted as spark-submit does: extract,
 * enrich apply and export in three driver JVMs whose executors run in JVMs the Workers start. The
 * tables must hold the rows, and the datasets the bytes, of the same commands run locally.
 * Differences allowed, and why: {@code ingest_log.run_id} and {@code processed_at} (each run's
 * own id and clock) and the export manifest's {@code created_at}.
 */
class StandaloneClusterIT extends SparkTestBase {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final Path APP_JAR = TARGET.resolve("pipeline.jar");
  private static final Path DIR = TARGET.resolve("cluster-it");
  private static final String QUICK_START = "-XX:TieredStopAtLevel=1";

  @Test
  void extractEnrichExportOnTheClusterEqualTheLocalRun() throws Exception {
    assertTrue(Files.isRegularFile(APP_JAR) && Files.isDirectory(TARGET.resolve("lib")), "run by Failsafe after package: target/pipeline.jar and target/lib are needed");
    assertNoSparkScalaOrDeltaInside(APP_JAR);
    deleteRecursively(DIR);
    Path logs = generateLogs(DIR.resolve("logs"));
    Path review = DIR.resolve("review.jsonl");

    // The local run, in this JVM on the tests' local[2] session.
    Path localLake = DIR.resolve("local/lake"), localOut = DIR.resolve("local/out");
    assertEquals(0, PipelineCli.run("extract", "--logs", logs.toString(), "--lake", localLake.toString()));
    writeReview(review, localLake);
    assertEquals(0, PipelineCli.run("enrich", "apply", "--lake", localLake.toString(), "--file", review.toString()));
    assertEquals(0, PipelineCli.run("export", "--lake", localLake.toString(), "--out", localOut.toString()));

    // The same commands submitted to the cluster.
    Path clusterLake = DIR.resolve("cluster/lake"), clusterOut = DIR.resolve("cluster/out");
    try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(DIR.resolve("spark-home"), TARGET.resolve("lib"), APP_JAR,
        new LocalStandaloneCluster.Shape(2, 1, "1g"), Duration.ofSeconds(180))) {
      submit(cluster, "extract", List.of("extract", "--logs", logs.toString(), "--lake", clusterLake.toString()));
      submit(cluster, "enrich-apply", List.of("enrich", "apply", "--lake", clusterLake.toString(), "--file", review.toString()));
      submit(cluster, "export", List.of("export", "--lake", clusterLake.toString(), "--out", clusterOut.toString()));
      // Executors ran in JVMs the Workers started (one per Worker), not in the driver's.
      for (int w = 1; w <= 2; w++) {
        assertTrue(executorDirs(cluster.home().resolve("work/worker-" + w)) >= 1, "worker " + w + " ran no executor\n" + cluster.tails());
      }
    }

    for (String table : List.of(TableNames.EXAMPLES, TableNames.QUARANTINE, TableNames.INGEST_LOG, TableNames.ENRICHMENTS)) {
      Dataset<Row> local = table(localLake, table), onCluster = table(clusterLake, table);
      assertTrue(local.count() > 0, table + " is empty: the comparison would prove nothing");
      assertSameRows(local, onCluster);
    }
    assertSameExport(localOut, clusterOut);
  }

  private static void submit(LocalStandaloneCluster cluster, String name, List<String> args) throws IOException, InterruptedException {
    // C1 alone in the driver and the executors: short-lived JVMs on tiny inputs start faster without
    // the optimising compiler (as bin/pipeline does for small runs).
    // Generated code set on explicitly: the jobs would run these tiny inputs interpreted (GeneratedCode),
    // as this JVM's session does, and the comparison is to hold for both.
    List<String> conf = new java.util.ArrayList<>(List.of("spark.ui.enabled=false", "spark.executor.memory=512m", "spark.sql.shuffle.partitions=4",
        "spark.databricks.delta.snapshotPartitions=2", "spark.executor.extraJavaOptions=" + QUICK_START));
    conf.addAll(WITH_GENERATED_CODE);
    Path log = DIR.resolve("driver-" + name + ".log");
    Files.createDirectories(DIR.resolve("driver"));
    Process p = cluster.processBuilder(cluster.submitCommand("1g", List.of(QUICK_START), conf, APP_JAR, PipelineCli.class.getName(), args))
        .directory(DIR.resolve("driver").toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      // Generous: on a quiet 2-core machine a submission takes under a minute, but a shared machine
      // under load can take several times longer just to start the executor JVMs.
      assertTrue(p.waitFor(600, TimeUnit.SECONDS), name + " on the cluster did not finish in 600 s\n" + cluster.tails());
      assertEquals(0, p.exitValue(), name + " on the cluster failed:\n" + Files.readString(log) + "\n" + cluster.tails());
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A few generated days of bot logs, with the generator's messy lines (quarantine rows too). */
  private static Path generateLogs(Path logs) throws IOException {
    DiscordLogGenerator.Options o = new DiscordLogGenerator.Options();
    o.outDir = logs;
    o.days = 2;
    o.start = LocalDate.parse("2026-02-01");
    o.seed = 9;
    o.requestsPerDay = 40;
    o.threads = 1;
    new DiscordLogGenerator(o).generate();
    return TestFiles.settled(logs);
  }

  /** Reviews of three examples (one lowered below the export's threshold) and an added one. */
  private static void writeReview(Path review, Path lake) throws IOException {
    List<Row> ids = spark.read().format("delta").load(lake.resolve(TableNames.EXAMPLES).toString()).select("id").orderBy("id").limit(3).collectAsList();
    assertEquals(3, ids.size());
    List<String> lines = new ArrayList<>();
    lines.add("{\"id\": \"" + ids.get(0).getString(0) + "\", \"quality_score\": 0.95, \"tags_add\": [\"reviewed\"], \"reviewer\": \"ana\", \"reviewed_at\": \"2026-02-05T10:00:00Z\"}");
    lines.add("{\"id\": \"" + ids.get(1).getString(0) + "\", \"quality_score\": 0.1, \"reviewer\": \"ana\", \"reviewed_at\": \"2026-02-05T10:01:00Z\"}");
    lines.add("{\"id\": \"" + ids.get(2).getString(0) + "\", \"reasoning\": \"checks the bank first\", \"reviewer\": \"bob\", \"reviewed_at\": \"2026-02-05T10:02:00Z\"}");
    Files.write(review, lines, StandardCharsets.UTF_8);
  }

  private static Dataset<Row> table(Path lake, String table) {
    Dataset<Row> t = spark.read().format("delta").load(lake.resolve(table).toString());
    return table.equals(TableNames.INGEST_LOG) ? t.drop("run_id", "processed_at") : t;
  }

  /** Every file of the datasets byte for byte; the manifest without its creation time. */
  private static void assertSameExport(Path local, Path onCluster) throws IOException {
    Map<String, Path> a = files(local), b = files(onCluster);
    assertEquals(a.keySet(), b.keySet());
    assertTrue(a.keySet().stream().anyMatch(f -> f.endsWith(".jsonl")), "no dataset was written: " + a.keySet());
    for (String f : a.keySet()) {
      if (f.equals("manifest.json")) {
        assertEquals(withoutCreatedAt(a.get(f)), withoutCreatedAt(b.get(f)));
      } else {
        assertArrayEquals(Files.readAllBytes(a.get(f)), Files.readAllBytes(b.get(f)), f);
      }
    }
  }

  private static JsonNode withoutCreatedAt(Path manifest) throws IOException {
    ObjectNode m = (ObjectNode) new ObjectMapper().readTree(manifest.toFile());
    assertFalse(m.path("created_at").isMissingNode());
    m.remove("created_at");
    return m;
  }

  private static Map<String, Path> files(Path root) throws IOException {
    Map<String, Path> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), p);
    }
    return out;
  }

  private static long executorDirs(Path workerDir) throws IOException {
    if (!Files.isDirectory(workerDir)) return 0;
    try (Stream<Path> s = Files.walk(workerDir, 2)) {
      return s.filter(p -> p.getNameCount() - workerDir.getNameCount() == 2 && Files.isRegularFile(p.resolve("stderr"))).count();
    }
  }

  /** The application jar carries none of what the cluster provides. */
  private static void assertNoSparkScalaOrDeltaInside(Path jar) throws IOException {
    try (ZipFile z = new ZipFile(jar.toFile())) {
      List<String> provided = z.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/") || n.startsWith("io/delta/sql/") || n.startsWith("io/delta/tables/")
              || n.startsWith("org/apache/spark/sql/delta/") || n.startsWith("io/delta/storage/") || n.startsWith("org/apache/hadoop/"))
          .limit(5).toList();
      assertEquals(List.of(), provided, "the application jar must not carry Spark, Scala, Delta or Hadoop");
      assertTrue(z.getEntry("conf/pipeline.yaml") != null && z.getEntry("conf/profiles/cluster.yaml") != null, "conf/ must be packed in the jar");
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
    }
  }
}
