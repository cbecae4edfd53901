package dev.toolcalls.pipeline.cli;

import static dev.toolcalls.pipeline.testing.TestFiles.settled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user types them, in this JVM (sharing the test Spark session). */
class PipelineCliTest extends SparkTestBase {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = PipelineCli.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void aMissingOrEmptyInputFolderIsExitCode2WithAClearMessage() throws Exception {
    Run missing = run("extract", "--logs", tmp.resolve("nope").toString(), "--lake", tmp.resolve("lake").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("input folder not found"), missing.err());
    assertTrue(!missing.err().contains("\tat "), "no stack trace: " + missing.err());

    Files.createDirectories(tmp.resolve("empty"));
    Run empty = run("extract", "--logs", tmp.resolve("empty").toString(), "--lake", tmp.resolve("lake").toString());
    assertEquals(2, empty.code());
    assertTrue(empty.err().contains("no input files"), empty.err());

    Run badDate = run("extract", "--logs", tmp.toString(), "--lake", tmp.resolve("lake").toString(), "--date", "yesterday");
    assertEquals(2, badDate.code());
    Run unknownOption = run("extract", "--logz", tmp.toString());
    assertEquals(2, unknownOption.code());
  }

  @Test
  void anUnreadableFileIsReportedAndSkippedWithExitCode1WhileTheOthersAreWritten() throws Exception {
    Path logs = tmp.resolve("logs-corrupt");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-03-01.jsonl.gz"), "this is not gzip\n");
    byte[] whole = gzip(new LogLines()
        .request("1000000000", "2026-03-02T10:00:00.000000", "Hi", "aux")
        .response("1000000000", "2026-03-02T10:00:01.000000", "Hello!").text().repeat(200));
    Files.write(logs.resolve("conversations_2026-03-02.jsonl.gz"), java.util.Arrays.copyOf(whole, whole.length / 2)); // cut short
    Files.writeString(logs.resolve("conversations_2026-03-03.jsonl"), new LogLines()
        .request("1100000000", "2026-03-03T11:00:00.000000", "Bank open", "aux")
        .response("1100000000", "2026-03-03T11:00:01.000000", "Opened.").text());
    String lake = tmp.resolve("lake-corrupt").toString();
    settled(logs);
    Run r = run("extract", "--logs", logs.toString(), "--lake", lake);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("FAILED files"), r.out());
    assertTrue(r.out().contains("conversations_2026-03-01.jsonl.gz") && r.out().contains("conversations_2026-03-02.jsonl.gz"), r.out());
    Run rows = run("sql", "--lake", lake, "--format", "csv", "SELECT source_file, count(*) AS n FROM examples GROUP BY source_file");
    assertEquals("source_file,n\nconversations_2026-03-03.jsonl,1\n", rows.out().replace("\r\n", "\n"));
    Run log = run("sql", "--lake", lake, "--format", "csv", "SELECT source_file, status FROM ingest_log ORDER BY source_file");
    assertEquals("source_file,status\nconversations_2026-03-01.jsonl.gz,failed\nconversations_2026-03-02.jsonl.gz,failed\nconversations_2026-03-03.jsonl,ok\n",
        log.out().replace("\r\n", "\n"));
  }

  static byte[] gzip(String text) throws java.io.IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(b)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  @Test
  void helpListsEveryCommandAndEveryOption() {
    Run top = run("--help");
    assertEquals(0, top.code());
    for (String c : List.of("generate", "extract", "sql", "serve-sql", "status", "demo", "bench")) assertTrue(top.out().contains(c), c);
    Run extract = run("extract", "--help");
    for (String o : List.of("--logs", "--lake", "--all", "--date", "--since", "--config", "--conf", "--profile")) assertTrue(extract.out().contains(o), o);
  }

  @Test
  void exportAsOfAManifestTakesNoSelectionOptions() {
    String manifest = tmp.resolve("manifest.json").toString();
    // even options given with their default values: the manifest fixes them
    Run both = run("export", "--lake", tmp.resolve("lake").toString(), "--out", tmp.resolve("out").toString(), "--as-of-manifest", manifest,
        "--format", "unified,chatml,axolotl,openai", "--since", "2026-01-01");
    assertEquals(2, both.code(), both.err());
    assertTrue(both.err().contains("leave out --format, --since"), both.err());
    Run missing = run("export", "--lake", tmp.resolve("lake").toString(), "--out", tmp.resolve("out").toString(), "--as-of-manifest", manifest);
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("manifest not found: " + manifest), missing.err());
  }

  @Test
  void extractThenSqlStatusAsJsonCsvAndTable() throws Exception {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-02-01.jsonl"), new LogLines()
        .request("1000000000", "2026-02-01T10:00:00.000000", "Bank open", "aux")
        .command("1000000000", "2026-02-01T10:00:01.000000", "BANK_OPEN")
        .response("1000000000", "2026-02-01T10:00:02.000000", "Opened the bank, \"as asked\".")
        .raw("{broken").text());
    Files.writeString(logs.resolve("conversations_2026-02-02.jsonl"), "");
    String lake = tmp.resolve("lake").toString();

    settled(logs);
    Run extract = run("extract", "--logs", logs.toString(), "--lake", lake, "--date", "2026-02-01", "--summary-json", tmp.resolve("s.json").toString());
    assertEquals(0, extract.code(), extract.err());
    assertTrue(extract.out().contains("wrote:       1 examples"), extract.out());
    assertTrue(extract.out().contains("quarantined: 1 lines {invalid_json=1}"), extract.out());
    JsonNode summary = new ObjectMapper().readTree(tmp.resolve("s.json").toFile());
    assertEquals(1, summary.path("extract").path("sources").get(0).path("examplesWritten").asInt());

    Run json = run("sql", "--lake", lake, "--format", "json", "SELECT request_id, tags, quality_score FROM examples");
    assertEquals(0, json.code(), json.err());
    JsonNode row = new ObjectMapper().readTree(json.out().strip());
    assertEquals("1000000000", row.path("request_id").asText());
    assertEquals("banking", row.path("tags").get(0).asText());

    Run csv = run("sql", "--lake", lake, "--format", "csv", "SELECT response_text, tags FROM examples");
    assertEquals("response_text,tags\n\"Opened the bank, \"\"as asked\"\".\",\"[\"\"banking\"\"]\"\n", csv.out().replace("\r\n", "\n"));

    // The conf rules are SQL functions there too: what a rule gives the stored calls, before any re-extract.
    Run rules = run("sql", "--lake", lake, "--format", "csv",
        "SELECT tags_for(tool_calls.tool, tool_calls.arguments) = tags AS same_tags, task_type_for(logged_task_type, user_message, tool_calls.tool, tool_calls.arguments) AS task_type FROM examples");
    assertEquals(0, rules.code(), rules.err());
    assertEquals("same_tags,task_type\ntrue,simple_command\n", rules.out().replace("\r\n", "\n"));

    Run table = run("sql", "--lake", lake, "SELECT reason, line_number FROM quarantine");
    assertTrue(table.out().contains("| invalid_json | 4           |"), table.out());

    Run status = run("status", "--logs", logs.toString(), "--lake", lake);
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains("2 days: 1 extracted, 1 pending (2026-02-02)"), status.out());

    Run noLake = run("sql", "--lake", tmp.resolve("nolake").toString(), "SELECT 1");
    assertEquals(2, noLake.code());

    Run typo = run("sql", "--lake", lake, "SELEC id FROM examples");
    assertEquals(2, typo.code());
    assertEquals("error: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)", typo.err().strip());

    Run view = run("sql", "--lake", lake, "--format", "json", "SELECT id, reviewed FROM training_examples");
    assertEquals(0, view.code(), view.err());
    assertTrue(view.out().contains("\"reviewed\":false"), view.out());
  }

  @Test
  void sqlReadsEarlierVersionsByNumberAndByTime() throws Exception {
    Path logs = tmp.resolve("logs-history");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-02-01.jsonl"), new LogLines()
        .request("1000000001", "2026-02-01T10:00:00.000000", "Bank open", "aux").command("1000000001", "2026-02-01T10:00:01.000000", "BANK_OPEN")
        .response("1000000001", "2026-02-01T10:00:02.000000", "Opened.").text());
    settled(logs);
    String lake = tmp.resolve("lake-history").toString();
    assertEquals(0, run("extract", "--logs", logs.toString(), "--lake", lake).code());
    Run history = run("sql", "--lake", lake, "--format", "json", "DESCRIBE HISTORY examples");
    assertEquals(0, history.code(), history.err());
    String at = new ObjectMapper().readTree(history.out().strip().lines().findFirst().orElseThrow()).path("timestamp").asText();
    Files.writeString(logs.resolve("conversations_2026-02-02.jsonl"), new LogLines()
        .request("1000000002", "2026-02-02T10:00:00.000000", "Fish", "aux").command("1000000002", "2026-02-02T10:00:01.000000", "FISH")
        .response("1000000002", "2026-02-02T10:00:02.000000", "Fishing.").text());
    settled(logs);
    Thread.sleep(1100); // commit times have a second's resolution in TIMESTAMP AS OF
    assertEquals(0, run("extract", "--logs", logs.toString(), "--lake", lake, "--changed").code());

    assertEquals("n\n2\n", run("sql", "--lake", lake, "--format", "csv", "SELECT count(*) AS n FROM examples").out().replace("\r\n", "\n"));
    assertEquals("n\n1\n", run("sql", "--lake", lake, "--format", "csv", "SELECT count(*) AS n FROM examples VERSION AS OF 0").out().replace("\r\n", "\n"));
    Run byTime = run("sql", "--lake", lake, "--format", "csv", "SELECT count(*) AS n FROM examples TIMESTAMP AS OF '" + at + "'");
    assertEquals("n\n1\n", byTime.out().replace("\r\n", "\n"), byTime.err());
  }
}
