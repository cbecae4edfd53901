package dev.toolcalls.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.EnrichApplyJob;
import dev.toolcalls.pipeline.generate.DiscordLogGenerator;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.serve.SqlServer;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.stats.StatsJob;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.pipeline.testing.TestFiles;
import dev.toolcalls.schemas.TableNames;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysts' notebooks (notebooks/*.ipynb) run top to bottom, as Jupyter runs them, against a
 * small lake that has every table they read, served by serve-sql in this JVM: every cell runs,
 * none fails, and every query returns rows (LAKE_NOTEBOOK_STRICT makes an empty result an error).
 * The Python side (Debian's python3 with ipykernel, nbconvert, JPype, pandas, matplotlib) is a
 * requirement of the test, never a reason to skip it: bin/install-test-deps installs it.
 */
class NotebooksTest extends SparkTestBase {
  static final Path NOTEBOOKS = Path.of("../notebooks").toAbsolutePath().normalize();
  static final Path EXECUTED = Path.of("target/notebooks-executed").toAbsolutePath();
  /** Debian's interpreter, which the apt packages install into (a pyenv or venv python3 on PATH has none of them). */
  static final String PYTHON = "/usr/bin/python3";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String STRIP = "strip them: /usr/bin/python3 -m nbconvert --clear-output --ClearMetadataPreprocessor.enabled=True"
      + " --ClearMetadataPreprocessor.preserve_nb_metadata_mask=kernelspec --inplace notebooks/*.ipynb";

  @TempDir Path tmp;

  static List<Path> notebooks() throws IOException {
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  @Test
  void committedNotebooksCarryNoOutputs() throws IOException {
    List<Path> all = notebooks();
    assertEquals(List.of("01_tables_tour.ipynb", "02_quality.ipynb", "03_tools_and_failures.ipynb"), all.stream().map(p -> p.getFileName().toString()).toList());
    for (Path nb : all) {
      for (JsonNode cell : JSON.readTree(nb.toFile()).get("cells")) {
        if (!"code".equals(cell.get("cell_type").asText())) continue;
        assertTrue(cell.get("execution_count").isNull(), nb + ": a cell has an execution count; " + STRIP);
        assertEquals(0, cell.get("outputs").size(), nb + ": a cell has outputs; " + STRIP);
        assertFalse(cell.path("metadata").has("execution"), nb + ": a cell has execution times; " + STRIP);
      }
    }
  }

  @Test
  void everyNotebookRunsTopToBottomAndEveryQueryReturnsRows() throws Exception {
    requirePython();
    long t0 = System.nanoTime();
    Path lake = lake();
    System.out.printf("notebook lake built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Files.createDirectories(EXECUTED);
    t0 = System.nanoTime();
    List<Path> notebooks = notebooks();
    List<Process> runs = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    try (SqlServer server = SqlServer.start(spark, lake.toString(), "127.0.0.1", ServeSqlTest.freePort())) {
      // One nbconvert per notebook, side by side: a kernel's start-up and its Python work overlap
      // the server's queries for another (measured on a busy machine: 96 s one after the other, 73 s side by side).
      for (Path nb : notebooks) {
        Files.deleteIfExists(EXECUTED.resolve(nb.getFileName()));
        Path log = tmp.resolve(nb.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(PYTHON, "-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300",
            "--output-dir", EXECUTED.toString(), nb.toString()).directory(NOTEBOOKS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LAKE_JDBC_URL", server.jdbcUrl());
        pb.environment().put("LAKE_JDBC_CLASSPATH", driverClasspath());
        pb.environment().put("LAKE_NOTEBOOK_STRICT", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // JPype starts this JDK's JVM
        runs.add(pb.start());
        logs.add(log);
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      for (int i = 0; i < runs.size(); i++) {
        if (!runs.get(i).waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          runs.forEach(Process::destroyForcibly);
          fail(notebooks.get(i) + " did not finish within 10 minutes\n" + Files.readString(logs.get(i)));
        }
      }
    }
    System.out.printf("notebooks executed in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    for (int i = 0; i < runs.size(); i++) {
      assertEquals(0, runs.get(i).exitValue(), notebooks.get(i).getFileName() + " failed (a cell raised, or a query returned no rows):\n" + tail(Files.readString(logs.get(i)), 6000));
    }
    for (Path nb : notebooks()) {
      Path executed = EXECUTED.resolve(nb.getFileName());
      int cells = 0, charts = 0;
      for (JsonNode cell : JSON.readTree(executed.toFile()).get("cells")) {
        if (!"code".equals(cell.get("cell_type").asText())) continue;
        cells++;
        assertFalse(cell.get("execution_count").isNull(), executed + ": a cell did not run");
        for (JsonNode out : cell.get("outputs")) {
          assertFalse("error".equals(out.path("output_type").asText()), executed + ": " + out);
          if (out.path("data").has("image/png")) charts++;
        }
        String source = String.join("", JSON.convertValue(cell.get("source"), String[].class));
        if (source.contains("query(")) assertTrue(cell.get("outputs").size() > 0, executed + ": a query cell shows nothing:\n" + source);
      }
      assertTrue(cells >= 8, executed + ": " + cells + " code cells");
      assertTrue(charts >= 1, executed + ": no chart was drawn");
    }
  }

  /** A missing package fails here, naming the fix, before any Spark work. */
  static void requirePython() throws Exception {
    if (!new File(PYTHON).canExecute()) fail(PYTHON + " is missing: run bin/install-test-deps (Debian's python3 and the notebook packages)");
    Process p = new ProcessBuilder(PYTHON, "-c", "import ipykernel, nbclient, nbconvert, jpype, pandas, matplotlib").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) fail("the notebook test needs Python packages that are missing: run bin/install-test-deps\n" + out);
  }

  /** The Hive JDBC driver and its jars: this test JVM's class path (surefire's, which holds spark-hive-thriftserver). */
  static String driverClasspath() {
    String cp = System.getProperty("java.class.path");
    assertTrue(cp.contains("hive-jdbc"), "no hive-jdbc jar on the test class path: " + cp);
    return cp;
  }

  /**
   * Six generated days (with their duplicates and unfinished turns), then a seventh that goes wrong:
   * a command refused and sent again as is (a retry), two turns ending in errors, and a line that
   * is not JSON. Extracted, reviewed (an override, a negative, an added lesson), and counted.
   */
  Path lake() throws IOException {
    Path logs = tmp.resolve("logs");
    DiscordLogGenerator.Options g = new DiscordLogGenerator.Options();
    g.outDir = logs;
    g.days = 6;
    g.start = LocalDate.of(2026, 1, 1);
    g.seed = 8;
    g.requestsPerDay = 30;
    g.threads = 1;
    new DiscordLogGenerator(g).generate();
    String day = "2026-01-07";
    Files.writeString(logs.resolve("conversations_" + day + ".jsonl"), new LogLines()
        .request("2000000001", day + "T09:00:00.000000", "Walk to the bank", "main")
        .tool("2000000001", day + "T09:00:01.000000", "send_command", "{\"command\": \"GOTO 3200 3200 0\"}", "{\"success\": false, \"error\": \"Path blocked\"}")
        .command("2000000001", day + "T09:00:02.000000", "GOTO 3200 3200 0")
        .response("2000000001", day + "T09:00:03.000000", "Done, second try.")
        .request("2000000002", day + "T10:00:00.000000", "Fish", "main").command("2000000002", day + "T10:00:01.000000", "FISH_DRAYNOR_LOOP")
        .error("2000000002", day + "T10:00:02.000000", "No net")
        .request("2000000003", day + "T11:00:00.000000", "Bank it all", "main").command("2000000003", day + "T11:00:01.000000", "BANK_DEPOSIT_ALL")
        .error("2000000003", day + "T11:00:02.000000", "Bank not open")
        .raw("{\"type\": \"response\", \"request_id\": ")
        .text());
    TestFiles.settled(logs);
    Path lakeDir = tmp.resolve("lake");
    ExtractJob.Options x = new ExtractJob.Options();
    x.logsDir = logs.toString();
    x.lakeDir = lakeDir.toString();
    new ExtractJob(spark, PipelineConfig.defaults(), x).execute();

    List<String> lowest = new Lake(spark, lakeDir.toString()).read(TableNames.EXAMPLES).orderBy("quality_score", "id").limit(3)
        .select("id").collectAsList().stream().map(r -> r.getString(0)).toList();
    Path review = tmp.resolve("review.jsonl");
    Files.writeString(review, String.join("\n",
        "{\"id\": \"" + lowest.get(0) + "\", \"example_type\": \"negative\", \"quality_score\": 0.1, \"reasoning\": \"It retried what had failed.\"}",
        "{\"id\": \"" + lowest.get(1) + "\", \"quality_score\": 0.9, \"tags_add\": [\"reviewed_ok\"], \"note\": \"the error was the game's, the answer right\"}",
        "{\"id\": \"" + lowest.get(2) + "\", \"reasoning\": \"Checked the state first.\"}",
        "{\"derived_from\": [\"" + lowest.get(0) + "\"], \"example_type\": \"reasoning_chain\", \"user_message\": \"Why did it fail?\","
            + " \"problem\": \"The command failed\", \"root_cause\": \"It was sent again unchanged\", \"response_text\": \"Read the error before retrying.\"}") + "\n");
    EnrichApplyJob.Options r = new EnrichApplyJob.Options();
    r.lakeDir = lakeDir.toString();
    r.file = review.toString();
    r.reviewer = "notebook-test";
    new EnrichApplyJob(spark, r).execute();

    StatsJob.Options s = new StatsJob.Options();
    s.lakeDir = lakeDir.toString();
    new StatsJob(spark, PipelineConfig.defaults(), s).execute();
    return lakeDir;
  }

  static String tail(String s, int chars) {
    return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
  }
}
