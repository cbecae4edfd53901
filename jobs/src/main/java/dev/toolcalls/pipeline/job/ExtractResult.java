package dev.toolcalls.pipeline.job;

import java.util.List;
import java.util.Map;

/** What an extraction run read, wrote, skipped and quarantined; printed as the run summary. */
public record ExtractResult(
    String runId,
    String lake,
    String rulesVersion,
    List<SourceSummary> sources,
    Map<String, Double> stageSeconds,
    Map<String, Long> tableVersions,
    /** Reviews whose example is gone after this run; null when there are no reviews yet. */
    Long orphanedReviews,
    /** Per source, files extracted before that are no longer in the input: their rows are kept. */
    Map<String, List<String>> goneFromInput,
    /** Per source, in a nightly run: files unchanged since the last run, not read. */
    Map<String, Integer> unchangedFiles) {

  /** Immutable: the maps and lists are copies (insertion order kept), so a result cannot change after it is returned. */
  public ExtractResult {
    sources = List.copyOf(sources);
    stageSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageSeconds));
    tableVersions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tableVersions));
    java.util.Map<String, List<String>> gone = new java.util.TreeMap<>();
    goneFromInput.forEach((s, files) -> gone.put(s, List.copyOf(files)));
    goneFromInput = java.util.Collections.unmodifiableMap(gone);
    unchangedFiles = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(unchangedFiles));
  }

  /** One source's counts. */
  public record SourceSummary(
      String source,
      String input,
      int filesRead,
      List<String> failedFiles,
      long bytesRead,
      long lines,
      long blankLines,
      long duplicateLines,
      long unknownFields,
      long examplesWritten,
      Map<String, Long> quarantinedByReason,
      /** The source's own finer counts (sessions: real prompts, turns without a game call, ...). */
      Map<String, Long> details) {

    public SourceSummary {
      failedFiles = List.copyOf(failedFiles);
      quarantinedByReason = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(quarantinedByReason));
      details = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(details));
    }

    public long quarantined() {
      return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public boolean hasFailedFiles() {
    return sources.stream().anyMatch(s -> !s.failedFiles().isEmpty());
  }

  public long examplesWritten() {
    return sources.stream().mapToLong(SourceSummary::examplesWritten).sum();
  }

  public long bytesRead() {
    return sources.stream().mapToLong(SourceSummary::bytesRead).sum();
  }

  /** The summary a person reads at the end of a run. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("extract run ").append(runId).append(" into ").append(lake).append(" (rules ").append(rulesVersion).append(")\n");
    if (sources.isEmpty()) sb.append("  nothing new or changed since the last run: no input file read\n");
    for (SourceSummary s : sources) {
      sb.append(String.format("  %s from %s%n", s.source(), s.input()));
      sb.append(String.format("    read:        %d files, %d lines, %.1f MB%n", s.filesRead(), s.lines(), s.bytesRead() / 1e6));
      sb.append(String.format("    skipped:     %d blank lines, %d duplicate lines, %d unknown fields ignored%n", s.blankLines(), s.duplicateLines(), s.unknownFields()));
      sb.append(String.format("    wrote:       %d examples%n", s.examplesWritten()));
      sb.append(String.format("    quarantined: %d lines%s%n", s.quarantined(), s.quarantinedByReason().isEmpty() ? "" : " " + s.quarantinedByReason()));
      if (!s.details().isEmpty()) sb.append(String.format("    details:     %s%n", s.details()));
      if (!s.failedFiles().isEmpty()) {
        sb.append("    FAILED files (skipped, nothing of them written):\n");
        s.failedFiles().forEach(f -> sb.append("      ").append(f).append('\n'));
      }
    }
    sb.append("  time per stage (s): ");
    stageSeconds.forEach((k, v) -> sb.append(String.format("%s %.2f; ", k, v)));
    sb.append('\n');
    sb.append("  table versions: ").append(tableVersions).append('\n');
    unchangedFiles.forEach((source, n) -> sb.append(String.format("  %s: %d file(s) unchanged since the last run, not read%n", source, n)));
    goneFromInput.forEach((source, files) -> sb.append(String.format(
        "  %s: %d file(s) extracted before are gone from the input; their rows are kept (`status` lists them): %s%s%n",
        source, files.size(), String.join(", ", files.subList(0, Math.min(5, files.size()))), files.size() > 5 ? ", ..." : "")));
    if (orphanedReviews != null) {
      sb.append("  reviews: ").append(orphanedReviews).append(" orphaned (their example is gone; kept; `enrich orphans` lists them)\n");
    }
    return sb.toString();
  }
}
