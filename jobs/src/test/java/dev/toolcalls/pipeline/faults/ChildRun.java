package dev.toolcalls.pipeline.faults;

import dev.toolcalls.pipeline.cli.PipelineCli;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code bin/pipeline} command in a JVM of its own, as a scheduler starts it, so a test can kill
 * it with SIGKILL ({@link Process#destroyForcibly()}) and see what a real crash leaves behind. The
 * child gets this JVM's class path and its {@code --add-opens} flags.
 */
final class ChildRun implements AutoCloseable {
  final Process process;
  final Path log;

  private ChildRun(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildRun start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) cmd.add(a);
    }
    cmd.add("-Xmx1g");
    cmd.add("-XX:TieredStopAtLevel=1"); // start-up over peak speed: the child's inputs are tiny
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PipelineCli.class.getName());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--conf", "spark.master=local[2]", "--conf", "spark.sql.shuffle.partitions=2"));
    // No generated code, as in the tests' own session: a cold JVM's tiny run spends more compiling
    // each query than running it (a 1.3 MB run 35-45 s against 43-55 s, in turn). The product does
    // the same below codegen.from_mb; set here so the runs do not depend on that setting. What a
    // kill leaves on disk does not depend on it.
    for (String setting : SparkTestBase.NO_GENERATED_CODE) cmd.addAll(List.of("--conf", setting));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir"))).redirectErrorStream(true).redirectOutput(log.toFile());
    return new ChildRun(pb.start(), log);
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no finally block, no flush; what is on disk is what a crash leaves. */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    return process.waitFor();
  }

  int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
