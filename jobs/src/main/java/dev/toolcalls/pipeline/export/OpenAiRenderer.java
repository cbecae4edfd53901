package dev.toolcalls.pipeline.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * OpenAI-style tool-calling chat: {@code {"messages": [...], "tools": [...]}} with an assistant
 * message carrying {@code tool_calls} ({@code id}, {@code type: function}, {@code function: {name,
 * arguments}}), one {@code role: tool} message per result, then the assistant's answer. {@code
 * tools} holds a JSON schema per tool used, built from the arguments observed in the example.
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
      root.putArray("tools");
      return Json.write(root);
    }
    messages.add(message("user", TextParts.userText(e, s)));
    if (e.isNegative()) {
      messages.add(message("assistant", TextParts.negativeText(e, s)));
      root.putArray("tools");
      return Json.write(root);
    }
    Map<String, ToolShape> tools = new LinkedHashMap<>();
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
        tools.computeIfAbsent(c.tool(), t -> new ToolShape()).observe(args);
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
    ArrayNode toolList = root.putArray("tools");
    tools.forEach((name, shape) -> toolList.add(shape.schema(name)));
    return Json.write(root);
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

  /** The argument names and JSON types seen for one tool; a name seen in every call is required. */
  static final class ToolShape {
    private final Map<String, TreeSet<String>> types = new TreeMap<>();
    private final Map<String, Integer> seen = new TreeMap<>();
    private int calls;

    void observe(ObjectNode args) {
      calls++;
      for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        types.computeIfAbsent(f.getKey(), k -> new TreeSet<>()).add(typeOf(f.getValue()));
        seen.merge(f.getKey(), 1, Integer::sum);
      }
    }

    ObjectNode schema(String name) {
      ObjectNode tool = Json.NODES.objectNode();
      tool.put("type", "function");
      ObjectNode fn = tool.putObject("function");
      fn.put("name", name);
      ObjectNode params = fn.putObject("parameters");
      params.put("type", "object");
      ObjectNode props = params.putObject("properties");
      ArrayNode required = Json.NODES.arrayNode();
      types.forEach((arg, ts) -> {
        ObjectNode p = props.putObject(arg);
        if (ts.size() == 1) {
          p.put("type", ts.first());
        } else {
          ArrayNode any = p.putArray("type");
          ts.forEach(any::add);
        }
        if (seen.get(arg) == calls) required.add(arg);
      });
      params.set("required", required);
      return tool;
    }

    private static String typeOf(JsonNode v) {
      if (v.isTextual()) return "string";
      if (v.isIntegralNumber()) return "integer";
      if (v.isNumber()) return "number";
      if (v.isBoolean()) return "boolean";
      if (v.isArray()) return "array";
      if (v.isObject()) return "object";
      return "null";
    }
  }
}
