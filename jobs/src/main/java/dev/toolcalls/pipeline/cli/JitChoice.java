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
 * only ({@code -XX:TieredStopAtLevel=1}) for little work, C2 from {@code c2FromMb} MB of it.
 * The work is the size of the input folders named plus ten times the lake's examples table for the
 * commands that read all of it. The launcher passes the threshold as
 * {@code -Dpipeline.jit.c2FromMb=N} only in auto mode; without it the JVM options are left as given.
 */
final class JitChoice {
  static final String THRESHOLD_OPTION = "-Dpipeline.jit.c2FromMb=";
  static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
  private static final Set<String> READ_WHOLE_LAKE = Set.of("run", "export", "stats");
  /** Compressed Parquet holds about a tenth of the log bytes it came from. */
  private static final int LAKE_WEIGHT = 10;

  private JitChoice() {}

  /** {@code jvmOptions} with the JIT flag the launcher's auto rule gives {@code commandArgs}. */
  static List<String> forCommand(List<String> jvmOptions, List<String> commandArgs) {
    Long threshold = jvmOptions.stream().filter(o -> o.startsWith(THRESHOLD_OPTION)).map(o -> Long.parseLong(o.substring(THRESHOLD_OPTION.length()))).findFirst().orElse(null);
    if (threshold == null) return jvmOptions;
    List<String> out = new ArrayList<>();
    for (String o : jvmOptions) if (!o.startsWith("-XX:TieredStopAtLevel=")) out.add(o);
    if (workBytes(commandArgs) <= threshold * 1024 * 1024) out.add(C1_ONLY);
    return out;
  }

  /** True when {@code jvmOptions} leave C2 on. */
  static boolean c2(List<String> jvmOptions) {
    return !jvmOptions.contains(C1_ONLY);
  }

  static long workBytes(List<String> commandArgs) {
    long lakeWeight = !commandArgs.isEmpty() && READ_WHOLE_LAKE.contains(commandArgs.get(0)) ? LAKE_WEIGHT : 0;
    long bytes = 0;
    for (int i = 0; i < commandArgs.size(); i++) {
      String a = commandArgs.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < commandArgs.size() ? commandArgs.get(i + 1) : null);
      if (value == null) continue;
      switch (name) {
        case "--logs", "--journals", "--sessions" -> bytes += size(Path.of(value));
        case "--lake" -> bytes += lakeWeight * size(Path.of(value, "examples"));
        default -> { }
      }
    }
    return bytes;
  }

  /** Bytes under a folder, links followed (as {@code du -L}); 0 when it is not a folder. */
  private static long size(Path dir) {
    if (!Files.isDirectory(dir)) return 0;
    try (Stream<Path> files = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
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
}
