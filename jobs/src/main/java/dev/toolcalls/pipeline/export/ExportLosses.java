package dev.toolcalls.pipeline.export;

import java.util.ArrayList;
import java.util.List;

/**
 * What a format's record leaves out of an example, read off what its renderer writes (keep the two
 * in step: {@code ExportLossesTest} renders and checks). The export counts examples per format and
 * kind into the manifest's {@code losses} table, so a dataset says what its format could not carry.
 */
public final class ExportLosses {
  /** The format writes no record for the example (Axolotl's alpaca type: only tool-calling examples and negatives). */
  public static final String WHOLE_EXAMPLE = "whole_example";
  /** The example's reasoning is not in the record (without --with-reasoning; OpenAI: a turn without calls has no place for it). */
  public static final String REASONING = "reasoning";
  /** Tool results: the text formats write the calls, not what they returned. */
  public static final String TOOL_RESULTS = "tool_results";
  /** A lesson's tool calls: its record is the question and the answer. */
  public static final String TOOL_CALLS = "tool_calls";
  /** The game state beyond the state line's location and health. */
  public static final String GAME_STATE = "game_state";
  /** The `context` events' JSON. */
  public static final String CONTEXT = "context";
  /** The error text of a turn that ended with an error. */
  public static final String ERROR_TEXT = "error_text";
  /** A negative's own response: its record is the "what NOT to do" note, the calls and why. */
  public static final String RESPONSE_TEXT = "response_text";
  /** Alpaca has no system turn: the system prompt is not in the record. */
  public static final String SYSTEM_PROMPT = "system_prompt";
  /**
   * OpenAI: a turn's calls go out as one assistant message with several tool_calls, which reads as
   * parallel calls; that a call was made after seeing an earlier one's result is not said.
   */
  public static final String CALL_ORDER = "call_order";

  private ExportLosses() {}

  /** The kinds of content the format's record of {@code e} does not carry; empty when it carries all. */
  public static List<String> of(ExportFormat format, ExportExample e, boolean withReasoning, boolean includeNegatives) {
    List<String> out = new ArrayList<>();
    if (format == ExportFormat.UNIFIED) return out;
    boolean lesson = TextParts.isLesson(e);
    if (format == ExportFormat.AXOLOTL) {
      boolean toolCalling = "direct_execution".equals(e.exampleType()) || "multi_step".equals(e.exampleType());
      if (!toolCalling && !(e.isNegative() && includeNegatives)) {
        out.add(WHOLE_EXAMPLE);
        return out;
      }
      out.add(SYSTEM_PROMPT);
    }
    boolean hasReasoning = present(e.reasoning());
    boolean reasoningCarried;
    if (e.isNegative()) {
      reasoningCarried = true; // the note's "Why:" is the reasoning when there is one
    } else if (lesson) {
      reasoningCarried = format != ExportFormat.AXOLOTL;
    } else if (format == ExportFormat.OPENAI) {
      reasoningCarried = withReasoning && !e.toolCalls().isEmpty();
    } else {
      reasoningCarried = withReasoning;
    }
    if (hasReasoning && !reasoningCarried) out.add(REASONING);
    if (lesson && !e.toolCalls().isEmpty()) out.add(TOOL_CALLS);
    boolean results = e.toolCalls().stream().anyMatch(c -> c.result() != null);
    if (results && (format != ExportFormat.OPENAI || e.isNegative() || lesson)) out.add(TOOL_RESULTS);
    if (format == ExportFormat.OPENAI && !e.isNegative() && !lesson && e.toolCalls().size() > 1) out.add(CALL_ORDER);
    if (e.isNegative() && present(e.responseText())) out.add(RESPONSE_TEXT);
    if (present(e.gameState())) out.add(GAME_STATE);
    if (present(e.context())) out.add(CONTEXT);
    if (present(e.error())) out.add(ERROR_TEXT);
    return out;
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank() && !"null".equals(s);
  }
}
