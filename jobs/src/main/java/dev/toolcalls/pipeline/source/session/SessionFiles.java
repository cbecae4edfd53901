package dev.toolcalls.pipeline.source.session;

/**
 * Which files of a sessions folder (e.g. {@code ~/.claude/projects}) are transcripts. Listing is
 * the job's; these predicates say what to keep and how to read it.
 */
public final class SessionFiles {
  private SessionFiles() {}

  /**
   * Every {@code *.jsonl} under the folder, at any depth: the sessions
   * ({@code <project>/<sessionId>.jsonl}) and the subagent transcripts next to or under them, which
   * are read too (their bad lines are quarantined) but give no turns.
   */
  public static boolean isSession(String relativePath) {
    return relativePath != null && relativePath.endsWith(".jsonl") && !fileName(relativePath).equals(".jsonl");
  }

  /**
   * A subagent's own transcript ({@code <sessionId>/subagents/agent-<id>.jsonl} from CLI 2.1.2,
   * {@code agent-<id>.jsonl} beside the session file in 2.0.28 to 2.1.1, and the compaction
   * summarizer's {@code agent-acompact-<id>.jsonl}): every line is a sidechain, whatever its flags
   * say, so such a file is never read as a session of its own.
   */
  public static boolean isSubagentTranscript(String relativePath) {
    return relativePath != null && fileName(relativePath).startsWith("agent-");
  }

  /** The session id a file name gives ({@code <sessionId>.jsonl}), for lines that lack one. */
  static String sessionIdOf(String relativePath) {
    String name = fileName(relativePath);
    return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
  }

  private static String fileName(String relativePath) {
    return relativePath.substring(relativePath.lastIndexOf('/') + 1);
  }
}
