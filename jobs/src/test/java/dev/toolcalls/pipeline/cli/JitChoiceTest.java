package dev.toolcalls.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's auto JIT rule as bench applies it to the runs it starts. */
class JitChoiceTest {
  private static final List<String> AUTO = List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", JitChoice.THRESHOLD_OPTION + "2");

  @TempDir Path dir;

  @Test
  void optionsGivenWithoutTheAutoThresholdAreKeptAsTheyAre() throws Exception {
    Path logs = sized(dir.resolve("logs/conversations_2026-01-01.jsonl"), 5);
    List<String> explicit = List.of("-Xmx1g", "-XX:TieredStopAtLevel=1");
    assertEquals(explicit, JitChoice.forCommand(explicit, List.of("extract", "--logs=" + logs.getParent(), "--lake=" + dir.resolve("lake"))));
  }

  @Test
  void inputFoldersAboveTheThresholdTurnC2On() throws Exception {
    Path logs = sized(dir.resolve("logs/conversations_2026-01-01.jsonl"), 3).getParent();
    List<String> big = JitChoice.forCommand(AUTO, List.of("extract", "--logs=" + logs, "--lake=" + dir.resolve("lake")));
    assertEquals(List.of("-Xmx1g", JitChoice.THRESHOLD_OPTION + "2"), big);
    // the two spellings of an option, and the other input folders, count alike
    Path sessions = sized(dir.resolve("sessions/a.jsonl"), 1).getParent();
    assertEquals(List.of("-Xmx1g", JitChoice.THRESHOLD_OPTION + "2", JitChoice.C1_ONLY),
        JitChoice.forCommand(AUTO, List.of("extract", "--sessions", sessions.toString(), "--lake", dir.resolve("lake").toString())));
  }

  @Test
  void theLakeCountsTenfoldOnlyForCommandsThatReadAllOfIt() throws Exception {
    Path lake = dir.resolve("lake");
    sized(lake.resolve("examples/source=discord/part-0.parquet"), 1); // 1 MB on disk: 10 MB of work for export
    assertEquals(10L * 1024 * 1024, JitChoice.workBytes(List.of("export", "--lake=" + lake, "--out=" + dir.resolve("out"))));
    assertEquals(0L, JitChoice.workBytes(List.of("sql", "--lake=" + lake, "select 1")));
    assertEquals(true, JitChoice.c2(JitChoice.forCommand(AUTO, List.of("run", "--lake", lake.toString(), "--logs", dir.resolve("none").toString()))));
    assertEquals(false, JitChoice.c2(JitChoice.forCommand(AUTO, List.of("sql", "--lake", lake.toString(), "select 1"))));
  }

  @Test
  void onlyTheLogDaysTheRunReadsCount() throws Exception {
    Path logs = dir.resolve("logs");
    sized(logs.resolve("conversations_2026-01-01.jsonl"), 1);
    sized(logs.resolve("conversations_2026-01-02.jsonl"), 2);
    sized(logs.resolve("conversations_2026-01-03.jsonl.gz"), 4);
    sized(logs.resolve("notes.txt"), 8); // no date in its name: always counted
    long mb = 1024 * 1024;
    Path lake = dir.resolve("lake");
    assertEquals(15 * mb, JitChoice.workBytes(List.of("extract", "--logs=" + logs, "--lake=" + lake)));
    assertEquals(14 * mb, JitChoice.workBytes(List.of("extract", "--logs", logs.toString(), "--since", "2026-01-02", "--lake", lake.toString())));
    assertEquals(10 * mb, JitChoice.workBytes(List.of("extract", "--logs=" + logs, "--date=2026-01-02", "--lake=" + lake)));
    // a nightly run on a lake that has run before reads what is new only; the first one reads it all
    assertEquals(15 * mb, JitChoice.workBytes(List.of("extract", "--logs=" + logs, "--changed", "--lake=" + lake)));
    Files.createDirectories(lake.resolve("ingest_log/_delta_log"));
    assertEquals(0L, JitChoice.workBytes(List.of("extract", "--logs=" + logs, "--changed", "--lake=" + lake)));
    assertEquals(0L, JitChoice.workBytes(List.of("run", "--logs=" + logs, "--lake=" + lake, "--out=" + dir.resolve("out"))));
    assertEquals(15 * mb, JitChoice.workBytes(List.of("run", "--full", "--logs=" + logs, "--lake=" + lake, "--out=" + dir.resolve("out"))));
  }

  /** A file of {@code mb} MB (sparse: its length is what counts). */
  private static Path sized(Path file, int mb) throws Exception {
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(mb * 1024L * 1024L);
    }
    return file;
  }
}
