package dev.toolcalls.pipeline.export;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Axolotl's alpaca type: {@code {"instruction", "input", "output"}} for tool-calling examples
 * (direct execution and multi-step): the request, the state line, and the calls and response.
 */
public final class AxolotlRenderer {
  private AxolotlRenderer() {}

  public static String render(ExportExample e, ExportSettings s, boolean withReasoning, boolean includeNegatives) {
    boolean toolCalling = "direct_execution".equals(e.exampleType()) || "multi_step".equals(e.exampleType());
    if (!toolCalling && !(e.isNegative() && includeNegatives)) return null;
    ObjectNode o = Json.NODES.objectNode();
    o.put("instruction", e.userMessage() == null ? "" : e.userMessage());
    String state = TextParts.stateLine(e.gameState(), s);
    o.put("input", state == null ? "" : state);
    o.put("output", e.isNegative() ? TextParts.negativeText(e, s) : TextParts.assistantText(e, s, withReasoning));
    return Json.write(o);
  }
}
