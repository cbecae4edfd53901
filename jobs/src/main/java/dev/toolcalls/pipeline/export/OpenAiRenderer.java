package dev.toolcalls.pipeline.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenAI-style tool-calling chat: {@code {"messages": [...], "tools": [...]}} with an assistant
 * message carrying {@code tool_calls} ({@code id}, {@code type: function}, {@code function: {name,
 * arguments}}), one {@code role: tool} message per result, then the assistant's answer. {@code
 * tools} comes from the tool registry (conf/tools/registry.yaml): every registered tool, or with
 * {@code export.openai_tools: called} the ones the example calls; a called tool the registry does
 * not know (flagged in {@code validation}) is listed with an open schema.
 */
public final class OpenAiRenderer {
  private OpenAiRenderer() {}

  public static String render(ExportExample e, ExportSettings s, boolean withReasoning, boolean includeNegatives) {
    if (e.isNegative() && !includeNegatives) return null;
    ObjectNode root = Json.NODES.objectNode();
    ArrayNode messages = root.putArray("messages");
    messages.add(message("system", s.systemPrompt));
    if (TextParts.isLesson(e)) {
      messages.add(message("user", TextParts.lessonQuestion(e)));
      messages.add(message("assistant", TextParts.lessonAnswer(e)));
      root.set("tools", tools(e, s));
      return Json.write(root);
    }
    messages.add(message("user", TextParts.userText(e, s)));
    if (e.isNegative()) {
      messages.add(message("assistant", TextParts.negativeText(e, s)));
      root.set("tools", tools(e, s));
      return Json.write(root);
    }
    if (!e.toolCalls().isEmpty()) {
      ObjectNode call = message("assistant", withReasoning && e.reasoning() != null && !e.reasoning().isBlank() ? e.reasoning().strip() : null);
      ArrayNode calls = call.putArray("tool_calls");
      for (int i = 0; i < e.toolCalls().size(); i++) {
        ExportExample.Call c = e.toolCalls().get(i);
        ObjectNode args = TextParts.argumentsObject(c.arguments(), s);
        ObjectNode tc = calls.addObject();
        tc.put("id", callId(i));
        tc.put("type", "function");
        ObjectNode fn = tc.putObject("function");
        fn.put("name", c.tool());
        fn.put("arguments", Json.write(args));
      }
      messages.add(call);
      for (int i = 0; i < e.toolCalls().size(); i++) {
        ExportExample.Call c = e.toolCalls().get(i);
        ObjectNode result = message("tool", c.result() == null ? "" : Json.write(Json.value(c.result())));
        result.put("tool_call_id", callId(i));
        messages.add(result);
      }
    }
    messages.add(message("assistant", e.responseText() == null ? "" : e.responseText()));
    root.set("tools", tools(e, s));
    return Json.write(root);
  }

  private static ArrayNode tools(ExportExample e, ExportSettings s) {
    List<String> called = e.toolCalls().stream().map(ExportExample.Call::tool).toList();
    ArrayNode all = s.registry.openAiTools(called);
    if (s.allRegisteredTools) return all;
    Set<String> names = new HashSet<>(called);
    ArrayNode used = Json.NODES.arrayNode();
    for (JsonNode t : all) if (names.contains(t.path("function").path("name").asText())) used.add(t);
    return used;
  }

  private static String callId(int i) {
    return "call_" + i;
  }

  private static ObjectNode message(String role, String content) {
    ObjectNode m = Json.NODES.objectNode();
    m.put("role", role);
    if (content == null) m.putNull("content");
    else m.put("content", content);
    return m;
  }
}
