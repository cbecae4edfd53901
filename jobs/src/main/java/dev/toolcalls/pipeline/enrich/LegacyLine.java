package dev.toolcalls.pipeline.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.toolcalls.pipeline.rules.ToolCatalog;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of an enriched extraction file written by the older scripts, and the keys it is matched
 * by: the day of its log file, the user message, and the game actions it sent (read-only tools such
 * as get_game_state are left out: the older review dropped them from some lines).
 */
public record LegacyLine(
    long lineNumber,
    String legacyId,
    String day,
    String exampleType,
    String userMessage,
    String messageKey,
    String actionsKey,
    String reasoning,
    String problem,
    String rootCause,
    String badCode,
    String goodCode,
    Double qualityScore,
    List<String> tags,
    String context)
    implements Serializable {

  private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final Pattern DAY = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})");

  /** Whether this line is a lesson of its own (imported as a new example), not a reviewed turn. */
  public boolean isLesson() {
    return "reasoning_chain".equals(exampleType) || "code_correction".equals(exampleType);
  }

  public static LegacyLine parse(String text, long lineNumber, ToolCatalog tools) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException("line " + lineNumber + ": not valid JSON");
    }
    if (!n.isObject()) throw new IllegalArgumentException("line " + lineNumber + ": not a JSON object");
    List<String> calls = new ArrayList<>();
    for (JsonNode c : n.path("tool_calls")) {
      String tool = c.path("tool").asText(null);
      JsonNode a = c.get("arguments");
      String args = a == null || a.isNull() ? null : a.isTextual() ? a.textValue() : a.toString();
      calls.add(tool);
      calls.add(args);
    }
    List<String> tags = new ArrayList<>();
    n.path("tags").forEach(t -> tags.add(t.asText()));
    JsonNode q = n.get("quality_score");
    return new LegacyLine(
        lineNumber, text(n, "id"), dayOf(text(n, "source_file")), text(n, "example_type"), text(n, "user_message"),
        messageKey(text(n, "user_message")), actionsKey(pairs(calls, 0), pairs(calls, 1), tools), text(n, "reasoning"), text(n, "problem"),
        text(n, "root_cause"), text(n, "bad_code"), text(n, "good_code"), q == null || !q.isNumber() ? null : q.doubleValue(), tags,
        text(n, "context"));
  }

  /** The day (YYYY-MM-DD) in a log file's name, or null. */
  public static String dayOf(String sourceFile) {
    if (sourceFile == null) return null;
    Matcher m = DAY.matcher(sourceFile);
    String day = null;
    while (m.find()) day = m.group(1);
    return day;
  }

  /** A user message as compared: trimmed, blanks collapsed, lower case. */
  public static String messageKey(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /**
   * The game actions of a turn as compared: each action tool with its arguments in a canonical JSON
   * form (object keys sorted), read-only tools left out.
   */
  public static String actionsKey(List<String> tools, List<String> argumentsJson, ToolCatalog catalog) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < tools.size(); i++) {
      String tool = tools.get(i);
      if (tool == null || !catalog.isAction(tool)) continue;
      if (sb.length() > 0) sb.append(" | ");
      sb.append(tool).append(' ').append(canonical(i < argumentsJson.size() ? argumentsJson.get(i) : null));
    }
    return sb.toString();
  }

  static String canonical(String json) {
    if (json == null) return "null";
    try {
      Object v = JSON.readValue(json, Object.class);
      return JSON.writeValueAsString(v);
    } catch (Exception e) {
      return json.strip(); // a plain-string argument from older bots: compared as written
    }
  }

  private static List<String> pairs(List<String> flat, int offset) {
    List<String> out = new ArrayList<>();
    for (int i = offset; i < flat.size(); i += 2) out.add(flat.get(i));
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return null;
    return v.isTextual() ? v.textValue() : v.toString();
  }
}
