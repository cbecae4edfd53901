package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.job.ExtractJob;
import picocli.CommandLine.Option;

/** The input folders of the commands that extract ({@code extract}, {@code run}). */
public final class InputOptions {
  @Option(names = "--logs", paramLabel = "DIR", description = "Folder of daily bot log files (conversations_YYYY-MM-DD.jsonl, plain or .gz; searched recursively; other files are ignored).")
  String logs;

  @Option(names = "--journals", paramLabel = "DIR", description = "Folder of markdown lesson journals (*.md, recursively; README and TEMPLATE files are skipped).")
  String journals;

  @Option(names = "--sessions", paramLabel = "DIR", description = "Folder of Claude Code session transcripts (*.jsonl, recursively, e.g. ~/.claude/projects).")
  String sessions;

  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder holding the Delta tables (created if absent).")
  String lake;

  void applyTo(ExtractJob.Options o) {
    o.logsDir = logs;
    o.journalsDir = journals;
    o.sessionsDir = sessions;
    o.lakeDir = lake;
  }
}
