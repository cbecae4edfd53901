package dev.toolcalls.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's auto JIT rule: as bench applies it (JitChoice) and as bin/lib/jit.sh does. */
class JitChoiceTest {
  private static final long MB = 1024 * 1024;
  private static final List<String> HOT_ONLY = List.of("-XX:Tier4InvocationThreshold=30000", "-XX:Tier4CompileThreshold=35000");
  /** As bin/pipeline starts a C1 run in auto mode: the threshold and the flags a C2 run would get. */
  private static final List<String> AUTO = List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", JitChoice.THRESHOLD_OPTION + "2",
      JitChoice.C2_FLAGS_OPTION + String.join(" ", HOT_ONLY));

  @TempDir Path dir;

  @Test
  void optionsGivenWithoutTheAutoThresholdAreKeptAsTheyAre() throws Exception {
    Path logs = sized(dir.resolve("logs/conversations_2026-01-01.jsonl"), 5).getParent();
    List<String> explicit = List.of("-Xmx1g", "-XX:TieredStopAtLevel=1");
    assertEquals(explicit, JitChoice.forCommand(explicit, List.of("extract", "--logs=" + logs, "--lake=" + dir.resolve("lake"))));
    assertThrows(IllegalArgumentException.class, () -> JitChoice.forCommand(List.of(JitChoice.THRESHOLD_OPTION + "abc"), List.of("demo")));
  }

  @Test
  void workAboveTheThresholdTurnsC2On() throws Exception {
    Path logs = sized(dir.resolve("logs/conversations_2026-01-01.jsonl"), 3).getParent();
    List<String> c2 = new ArrayList<>(List.of("-Xmx1g", JitChoice.THRESHOLD_OPTION + "2", JitChoice.C2_FLAGS_OPTION + String.join(" ", HOT_ONLY)));
    c2.addAll(HOT_ONLY);
    assertEquals(c2, JitChoice.forCommand(AUTO, List.of("extract", "--logs=" + logs, "--lake=" + dir.resolve("lake"))));
    // a C2 parent's own flags are not repeated in its child
    assertEquals(c2, JitChoice.forCommand(c2, List.of("extract", "--logs=" + logs, "--lake=" + dir.resolve("lake"))));
    // the last of each option counts, as in the JVM; without the flags, C2 keeps the JVM's thresholds
    List<String> twice = List.of(JitChoice.THRESHOLD_OPTION + "900", JitChoice.C2_FLAGS_OPTION + "-XX:+UseSerialGC", JitChoice.THRESHOLD_OPTION + "2");
    assertEquals(List.of(JitChoice.THRESHOLD_OPTION + "900", JitChoice.C2_FLAGS_OPTION + "-XX:+UseSerialGC", JitChoice.THRESHOLD_OPTION + "2", "-XX:+UseSerialGC"),
        JitChoice.forCommand(twice, List.of("extract", "--logs=" + logs)));
    assertEquals(List.of(JitChoice.THRESHOLD_OPTION + "2"), JitChoice.forCommand(List.of(JitChoice.THRESHOLD_OPTION + "2"), List.of("extract", "--logs=" + logs)));
    // the launcher passes its C2 flags by that option, so bench's children get the launcher's own list
    String launcher = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("bin/pipeline"));
    assertTrue(launcher.contains("\"" + JitChoice.C2_FLAGS_OPTION + "${C2_HOT_ONLY[*]}\""), "bin/pipeline passes " + JitChoice.C2_FLAGS_OPTION);
    Path sessions = sized(dir.resolve("sessions/a b.jsonl"), 1).getParent();
    assertEquals(List.of("-Xmx1g", JitChoice.THRESHOLD_OPTION + "2", JitChoice.C2_FLAGS_OPTION + String.join(" ", HOT_ONLY), JitChoice.C1_ONLY),
        JitChoice.forCommand(AUTO, List.of("extract", "--sessions", sessions.toString(), "--lake", dir.resolve("lake").toString())));
    // status lists the folder but reads none of it
    assertFalse(JitChoice.c2(JitChoice.forCommand(AUTO, List.of("status", "--logs", logs.toString(), "--lake", dir.resolve("lake").toString()))));
  }

  @Test
  void countsWhatTheRunReadsAndTheLauncherCountsTheSame() throws Exception {
    Path logs = dir.resolve("logs");
    sized(logs.resolve("conversations_2026-01-01.jsonl"), 1);
    sized(logs.resolve("conversations_2026-01-02.jsonl"), 2);
    sized(logs.resolve("old/conversations_2026-01-03.jsonl.gz"), 4);
    sized(logs.resolve("conversations_2026-01-03.log"), 8); // the bot's text twin: not read
    sized(dir.resolve("journals/my notes 2026-01-01.md"), 16); // a space and an old date: journals are read whole
    sized(dir.resolve("journals/README.txt"), 32);
    Path lake = dir.resolve("lake");
    sized(lake.resolve("examples/source=discord/part 0.parquet"), 1);
    sized(lake.resolve("examples/_delta_log/00000000000000000000.json"), 1);
    String out = dir.resolve("out").toString();
    List<List<String>> cases = List.of(
        List.of("extract", "--logs=" + logs, "--lake=" + lake),
        List.of("extract", "--logs", logs.toString(), "--since", "2026-01-02", "--lake", lake.toString()),
        List.of("extract", "--logs=" + logs, "--date=2026-01-02", "--journals=" + dir.resolve("journals"), "--lake=" + lake),
        List.of("extract", "--logs=" + logs, "--changed", "--lake=" + lake),
        List.of("export", "--lake=" + lake, "--out=" + out),
        List.of("sql", "--lake", lake.toString(), "SELECT 1"),
        List.of("run", "--logs=" + logs, "--lake=" + lake, "--out=" + out),
        List.of("demo"));
    List<Long> expected = List.of(7 * MB, 6 * MB, 18 * MB, 7 * MB, 10 * MB, 0L, 17 * MB, 0L);
    assertEquals(expected, work(cases));
    assertEquals(expected, launcherWork(cases));

    // a nightly run on a lake that has run before reads what changed only; a full one reads it all
    Files.createDirectories(lake.resolve("ingest_log/_delta_log"));
    List<List<String>> nightly = List.of(
        List.of("extract", "--logs=" + logs, "--journals", dir.resolve("journals").toString(), "--changed", "--lake=" + lake),
        List.of("run", "--logs=" + logs, "--lake=" + lake, "--out=" + out),
        List.of("run", "--full", "--logs=" + logs, "--lake=" + lake, "--out=" + out));
    assertEquals(List.of(0L, 10 * MB, 17 * MB), work(nightly));
    assertEquals(List.of(0L, 10 * MB, 17 * MB), launcherWork(nightly));
  }

  @Test
  void sizesPastTwoGigabytesAgree() throws Exception {
    Path logs = sized(dir.resolve("big/conversations_2026-01-01.jsonl"), 3 * 1024).getParent(); // sparse
    List<List<String>> cases = List.of(List.of("extract", "--logs=" + logs, "--lake=" + dir.resolve("lake")));
    assertEquals(List.of(3 * 1024 * MB), work(cases));
    assertEquals(List.of(3 * 1024 * MB), launcherWork(cases));
  }

  private static List<Long> work(List<List<String>> cases) {
    return cases.stream().map(JitChoice::workBytes).toList();
  }

  /** bin/lib/jit.sh's estimate of each command line (the repository's copy, found from jobs/). */
  private static List<Long> launcherWork(List<List<String>> cases) throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("bin/lib/jit.sh");
    assertTrue(Files.isRegularFile(script), script.toString());
    List<Long> out = new ArrayList<>();
    for (List<String> args : cases) {
      List<String> cmd = new ArrayList<>(List.of("bash", "-c", "set -euo pipefail; . \"$0\"; jit_work_bytes \"$@\"", script.toString()));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(0, p.waitFor(), printed);
      out.add(Long.parseLong(printed));
    }
    return out;
  }

  /** A file of {@code mb} MB (sparse: its length is what counts). */
  private static Path sized(Path file, int mb) throws Exception {
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(mb * MB);
    }
    return file;
  }
}
