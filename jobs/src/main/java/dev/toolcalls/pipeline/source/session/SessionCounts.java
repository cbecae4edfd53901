package dev.toolcalls.pipeline.source.session;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one file's lines became, beyond examples and quarantine: nothing read is left uncounted.
 * Keys are snake_case names, stable for the run summary and ingest log.
 */
public final class SessionCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** User lines that opened a turn. */
  public static final String REAL_PROMPTS = "real_prompts";
  /** Turns that call no game tool: no example (a code-editing turn, a question). */
  public static final String TURNS_WITHOUT_GAME_CALL = "turns_without_game_call";
  /** Turns whose prompt uuid already opened a turn in the file (a line written twice). */
  public static final String DUPLICATE_TURNS = "duplicate_turns";
  /** Lines whose uuid was already seen in the same turn (a line written twice). */
  public static final String DUPLICATE_LINES = "duplicate_lines";
  /** User lines that are no prompt, by why: tool results, meta, compact summary, client markup, no content. */
  public static final String USER_LINES_PREFIX = "user_lines_";
  /** Subagent lines (inline {@code isSidechain}, or a subagent file): never part of a turn. */
  public static final String SIDECHAIN_LINES = "sidechain_lines";
  /** Assistant lines before the file's first prompt. */
  public static final String ASSISTANT_LINES_OUTSIDE_TURNS = "assistant_lines_outside_turns";
  /** Known line types that carry no turn: summary, system, progress, file-history-snapshot... */
  public static final String NON_TURN_LINES = "non_turn_lines";
  /** Line types this version does not know. */
  public static final String UNKNOWN_TYPE_LINES = "unknown_type_lines";
  /** Calls of the client's own tools (Read, Edit, Bash, Task...) and of other MCP servers, left out. */
  public static final String DROPPED_TOOL_CALLS = "dropped_tool_calls";
  /** Tool results whose call is not in the open turn (it came after the next prompt, or never). */
  public static final String RESULTS_WITHOUT_CALL = "results_without_call";
  /** A second result for a call that already has one: the first is kept. */
  public static final String DUPLICATE_RESULTS = "duplicate_results";

  private final Map<String, Long> counts = new TreeMap<>();

  public void add(String key) {
    counts.merge(key, 1L, Long::sum);
  }

  public long get(String key) {
    return counts.getOrDefault(key, 0L);
  }

  /** A copy, sorted by key. */
  public Map<String, Long> toMap() {
    return new TreeMap<>(counts);
  }

  @Override
  public String toString() {
    return counts.toString();
  }
}
