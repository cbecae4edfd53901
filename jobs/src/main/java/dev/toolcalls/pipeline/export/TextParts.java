package dev.toolcalls.pipeline.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces every text format shares: the compact state line, a tool call as text, the note of a
 * negative example, and the user/assistant texts of lessons (reasoning chains, code corrections).
 */
final class TextParts {
  private TextParts() {}

  /** "[State: loc=(3239,3153,0) hp=40/40]" from a game state, or null when it has neither part. */
  static String stateLine(String gameState, ExportSettings s) {
    if (gameState == null) return null;
    JsonNode state = Json.value(gameState);
    if (!state.isObject()) return null;
    List<String> parts = new ArrayList<>();
    JsonNode loc = state.path("location");
    if (loc.has("x") && loc.has("y")) parts.add(fill(s.stateLocation, loc));
    JsonNode hp = state.path("health");
    if (hp.has("current") && hp.has("max")) parts.add(fill(s.stateHealth, hp));
    return parts.isEmpty() ? null : s.stateLineFormat.replace("{parts}", String.join(" ", parts));
  }

  /** Fills {field} placeholders from an object's fields (a missing one prints as "?"). */
  private static String fill(String template, JsonNode fields) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = open < 0 ? -1 : template.indexOf('}', open);
      if (open < 0 || close < 0) {
        out.append(template, i, template.length());
        break;
      }
      out.append(template, i, open);
      JsonNode v = fields.get(template.substring(open + 1, close));
      out.append(v == null || v.isNull() ? "?" : v.isTextual() ? v.textValue() : v.toString());
      i = close + 1;
    }
    return out.toString();
  }

  /** The user's turn: the state line (when known) above the message. */
  static String userText(ExportExample e, ExportSettings s) {
    String state = stateLine(e.gameState(), s);
    String message = e.userMessage() == null ? "" : e.userMessage();
    return state == null ? message : state + "\n" + message;
  }

  /** "<tool_call>send_command({"command":"GOTO 1 2 0"})</tool_call>", arguments as compact JSON. */
  static String toolCall(ExportExample.Call c, ExportSettings s) {
    return s.toolCall.replace("{tool}", c.tool()).replace("{arguments}", c.arguments() == null ? "{}" : Json.write(Json.value(c.arguments())));
  }

  /** The assistant's turn of a tool-calling example: one line per call, then the response. */
  static String assistantText(ExportExample e, ExportSettings s, boolean withReasoning) {
    List<String> lines = new ArrayList<>();
    if (withReasoning && e.reasoning() != null && !e.reasoning().isBlank()) lines.add("<thinking>\n" + e.reasoning().strip() + "\n</thinking>");
    for (ExportExample.Call c : e.toolCalls()) lines.add(toolCall(c, s));
    if (e.responseText() != null && !e.responseText().isBlank()) lines.add(e.responseText());
    return String.join("\n", lines);
  }

  /** A negative example's answer: the note, what was done, and why it was wrong. */
  static String negativeText(ExportExample e, ExportSettings s) {
    List<String> lines = new ArrayList<>();
    lines.add(s.negativeNote);
    for (ExportExample.Call c : e.toolCalls()) lines.add(toolCall(c, s));
    String why = firstOf(e.reasoning(), e.problem(), e.rootCause());
    if (why != null) lines.add("Why: " + why.strip());
    return String.join("\n", lines);
  }

  /** A lesson's question: the problem (or the user's message), with the bad code to fix if any. */
  static String lessonQuestion(ExportExample e) {
    String ask = firstOf(e.problem(), e.userMessage());
    if ("code_correction".equals(e.exampleType())) {
      String head = ask == null ? "Fix this code:" : ask.strip();
      return head + "\n```\n" + nullToEmpty(e.badCode()).strip() + "\n```";
    }
    return ask == null ? "" : ask.strip();
  }

  /** A lesson's answer: the root cause and reasoning, or the corrected code and why. */
  static String lessonAnswer(ExportExample e) {
    List<String> parts = new ArrayList<>();
    if ("code_correction".equals(e.exampleType())) {
      parts.add("```\n" + nullToEmpty(e.goodCode()).strip() + "\n```");
      String why = firstOf(e.reasoning(), e.responseText(), e.rootCause());
      if (why != null) parts.add(why.strip());
    } else {
      if (e.rootCause() != null && !e.rootCause().isBlank()) parts.add("Root cause: " + e.rootCause().strip());
      if (e.reasoning() != null && !e.reasoning().isBlank()) parts.add(e.reasoning().strip());
      if (e.responseText() != null && !e.responseText().isBlank()) parts.add(e.responseText().strip());
    }
    return String.join("\n\n", parts);
  }

  static boolean isLesson(ExportExample e) {
    return "reasoning_chain".equals(e.exampleType()) || "code_correction".equals(e.exampleType());
  }

  static String firstOf(String... values) {
    for (String v : values) if (v != null && !v.isBlank()) return v;
    return null;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Arguments as a JSON object for formats that need one: a plain-string command becomes {command: ...}. */
  static ObjectNode argumentsObject(String arguments, ExportSettings s) {
    JsonNode v = Json.value(arguments);
    if (v.isObject()) return (ObjectNode) v;
    ObjectNode o = Json.NODES.objectNode();
    if (!v.isNull()) o.set(s.commandArgument, v);
    return o;
  }
}
