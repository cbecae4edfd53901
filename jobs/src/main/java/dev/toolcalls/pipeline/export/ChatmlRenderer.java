package dev.toolcalls.pipeline.export;

/**
 * ChatML: {@code <|im_start|>role ... <|im_end|>} blocks for system, user and assistant. Tool-calling
 * examples: the state line above the message, one {@code <tool_call>} line per call, then the
 * response. Lessons: the problem (or the code to fix) and the answer. Negatives: a "what NOT to do"
 * note, only when asked for.
 */
public final class ChatmlRenderer {
  private ChatmlRenderer() {}

  /** The example as one ChatML conversation (no trailing newline), or null when it is not exported. */
  public static String render(ExportExample e, ExportSettings s, boolean withReasoning, boolean includeNegatives) {
    String user, assistant;
    if (e.isNegative()) {
      if (!includeNegatives) return null;
      user = TextParts.userText(e, s);
      assistant = TextParts.negativeText(e, s);
    } else if (TextParts.isLesson(e)) {
      user = TextParts.lessonQuestion(e);
      assistant = TextParts.lessonAnswer(e);
    } else {
      user = TextParts.userText(e, s);
      assistant = TextParts.assistantText(e, s, withReasoning);
    }
    return block("system", s.systemPrompt) + "\n" + block("user", user) + "\n" + block("assistant", assistant);
  }

  private static String block(String role, String text) {
    return "<|im_start|>" + role + "\n" + text + "<|im_end|>";
  }
}
