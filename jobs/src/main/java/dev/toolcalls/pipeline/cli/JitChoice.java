package dev.toolcalls.pipeline.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The launcher's JIT rule ({@code bin/pipeline}, {@code PIPELINE_JIT=auto}) for the JVMs that
 * {@code bench} starts, so that each run gets the JIT a user running that command would get: C1
 * only ({@code -XX:TieredStopAtLevel=1}) for little work, C2 from {@code c2FromMb} MB of it, with the
 * launcher's C2 flags (its {@code C2_HOT_ONLY}, raised thresholds).
 * The work is estimated as {@code bin/pipeline} does it (see {@link #workBytes}). The launcher passes the threshold as
 * {@code -Dpipeline.jit.c2FromMb=N} and its C2 flags as {@code -Dpipeline.jit.c2Flags=...} (space-separated) only in
 * auto mode; without the threshold the JVM options are left as given.
 */
final class JitChoice {
  static final String THRESHOLD_OPTION = "-Dpipeline.jit.c2FromMb=";
  static final String C2_FLAGS_OPTION = "-Dpipeline.jit.c2Flags=";
  static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
  private static final Set<String> READ_WHOLE_LAKE = Set.of("run", "export", "stats");

  private JitChoice() {}

  /** {@code jvmOptions} with the JIT flag the launcher's auto rule gives {@code commandArgs}. */
  static List<String> forCommand(List<String> jvmOptions, List<String> commandArgs) {
    // The last of each, as the JVM itself keeps the last -D of a name.
    String thresholdOption = last(jvmOptions, THRESHOLD_OPTION);
    if (thresholdOption == null) return jvmOptions;
    long threshold = threshold(thresholdOption);
    // Without the option (a hand-written PIPELINE_JAVA_OPTS), C2 keeps the JVM's own thresholds.
    String flagsOption = last(jvmOptions, C2_FLAGS_OPTION);
    List<String> c2Flags = flagsOption == null ? List.of()
        : Stream.of(flagsOption.substring(C2_FLAGS_OPTION.length()).trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
    List<String> out = new ArrayList<>();
    for (String o : jvmOptions) if (!o.startsWith("-XX:TieredStopAtLevel=") && !c2Flags.contains(o)) out.add(o);
    if (workBytes(commandArgs) <= threshold * 1024 * 1024) out.add(C1_ONLY);
    else out.addAll(c2Flags);
    return out;
  }

  private static String last(List<String> jvmOptions, String prefix) {
    String found = null;
    for (String o : jvmOptions) if (o.startsWith(prefix)) found = o;
    return found;
  }

  private static long threshold(String option) {
    String mb = option.substring(THRESHOLD_OPTION.length());
    if (!mb.matches("\\d{1,9}")) throw new IllegalArgumentException(option + ": the C2 threshold must be a whole number of MB");
    return Long.parseLong(mb);
  }

  /** True when {@code jvmOptions} leave C2 on. */
  static boolean c2(List<String> jvmOptions) {
    return !jvmOptions.contains(C1_ONLY);
  }

  /**
   * The work of a command in bytes, as {@code bin/lib/jit.sh} estimates it: for extract and run, the
   * log files (*.jsonl, *.jsonl.gz) whose name's date is inside --date/--since, the journals (*.md)
   * and the sessions (*.jsonl), none of them for a nightly run (run without --full, extract
   * --changed) once the lake has an ingest_log; plus ten times the lake's examples for run, export
   * and stats, which read all of it.
   */
  static long workBytes(List<String> commandArgs) {
    String command = commandArgs.isEmpty() ? "" : commandArgs.get(0);
    java.util.Map<String, String> options = new java.util.HashMap<>();
    boolean changed = command.equals("run");
    for (int i = 1; i < commandArgs.size(); i++) {
      String a = commandArgs.get(i);
      if (a.equals("--changed")) changed = true;
      else if (a.equals("--full")) changed = false;
      else if (a.startsWith("--") && a.contains("=")) options.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      else if (VALUED.contains(a) && i + 1 < commandArgs.size()) options.put(a, commandArgs.get(++i));
    }
    String lake = options.get("--lake");
    long bytes = 0;
    boolean nightly = changed && lake != null && Files.isDirectory(Path.of(lake, "ingest_log"));
    if ((command.equals("extract") || command.equals("run")) && !nightly) {
      bytes += size(options.get("--logs"), List.of(".jsonl", ".jsonl.gz"), options.get("--since"), options.get("--date"));
      bytes += size(options.get("--journals"), List.of(".md"), null, null);
      bytes += size(options.get("--sessions"), List.of(".jsonl"), null, null);
    }
    if (lake != null && READ_WHOLE_LAKE.contains(command)) bytes += dev.toolcalls.pipeline.spark.GeneratedCode.LOG_BYTES_PER_EXAMPLES_BYTE * size(Path.of(lake, "examples").toString(), List.of(".parquet"), null, null);
    return bytes;
  }

  /** The options the rule reads that take a value as the next argument. */
  private static final Set<String> VALUED = Set.of("--logs", "--journals", "--sessions", "--lake", "--since", "--date");

  /**
   * Bytes of the files under a folder (links followed) whose name ends in one of {@code suffixes}
   * and whose name's date, if it has one, is {@code day} (when given) and not before {@code since};
   * 0 when it is not a folder.
   */
  private static long size(String folder, List<String> suffixes, String since, String day) {
    if (folder == null || !Files.isDirectory(Path.of(folder))) return 0;
    try (Stream<Path> files = Files.walk(Path.of(folder), java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> suffixes.stream().anyMatch(f.getFileName().toString()::endsWith))
          .filter(f -> inDays(f.getFileName().toString(), since, day))
          .mapToLong(f -> {
            try {
              return Files.size(f);
            } catch (IOException e) {
              return 0; // gone or unreadable: the run itself will say so
            }
          }).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // only a JIT hint: the run reports unreadable folders itself
    }
  }

  private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private static boolean inDays(String name, String since, String day) {
    java.util.regex.Matcher m = DATE.matcher(name);
    if (!m.find()) return true;
    String d = m.group();
    return (day == null || d.equals(day)) && (since == null || d.compareTo(since) >= 0);
  }
}
