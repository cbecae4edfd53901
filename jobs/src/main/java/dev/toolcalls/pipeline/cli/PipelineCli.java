package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/pipeline <command>}: one picocli command per user command, each a thin shell over a job. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    version = "toolcall-pipeline 0.1.0",
    description = "Turns tool-calling chat agent logs into fine-tuning datasets (Spark + Delta Lake).",
    subcommands = {
      GenerateCommand.class,
      ExtractCommand.class,
      SqlCommand.class,
      ServeSqlCommand.class,
      EnrichCommand.class,
      ExportCommand.class,
      StatsCommand.class,
      ReportCommand.class,
      DiffCommand.class,
      RunCommand.class,
      StatusCommand.class,
      MaintainCommand.class,
      ForgetCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Exit codes: 0 ok, 1 failed, 2 bad input or options, 3 another run holds the lake or won a concurrent commit."})
public final class PipelineCli implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_CONCURRENT = 3;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    int code = run(args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs a command in this JVM and returns its exit code (tests call this directly). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new PipelineCli());
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      Throwable root = ex;
      while (root.getCause() != null && !(root instanceof BadInputException) && !(root instanceof dev.toolcalls.pipeline.lake.LakeLock.BusyException) && !isConcurrentCommit(root)) root = root.getCause();
      if (isQueryError(ex)) {
        // A mistyped SQL statement is the user's input, not a failure of the pipeline.
        cmd.getErr().println("error: " + firstLine(ex.getMessage()));
        return EXIT_BAD_INPUT;
      }
      if (ex instanceof BadInputException || root instanceof BadInputException) {
        cmd.getErr().println("error: " + (root instanceof BadInputException ? root.getMessage() : ex.getMessage()));
        return EXIT_BAD_INPUT;
      }
      if (root instanceof dev.toolcalls.pipeline.lake.LakeLock.BusyException) {
        cmd.getErr().println("error: " + root.getMessage());
        return EXIT_CONCURRENT;
      }
      if (isConcurrentCommit(root)) {
        cmd.getErr().println("error: another run committed to the same table first; nothing of this run was committed to it (" + root.getMessage() + ")");
        return EXIT_CONCURRENT;
      }
      cmd.getErr().println("error: " + ex);
      ex.printStackTrace(cmd.getErr());
      return EXIT_FAILED;
    });
    return cli.execute(args);
  }

  private static boolean isQueryError(Throwable t) {
    return t instanceof org.apache.spark.sql.AnalysisException || t instanceof org.apache.spark.sql.catalyst.parser.ParseException;
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    return s.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
  }

  private static boolean isConcurrentCommit(Throwable t) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("io.delta.exceptions.DeltaConcurrentModificationException")
          || c.getName().equals("org.apache.spark.sql.delta.DeltaConcurrentModificationException")) {
        return true;
      }
    }
    return false;
  }
}
