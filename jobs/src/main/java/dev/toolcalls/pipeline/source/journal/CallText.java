package dev.toolcalls.pipeline.source.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolcalls.pipeline.source.ExampleDraft;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool call as journals write it, to the (tool, JSON arguments) of the examples table:
 * {@code send_command("BANK_OPEN")} (a command tool with one string), {@code
 * get_logs(grep="DOOR-STUCK")} (keyword arguments), {@code query_nearby()} (none), or a bare game
 * command {@code BANK_WITHDRAW Small_fishing_net 1} (sent with the command tool).
 */
final class CallText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CALL = Pattern.compile("^([a-z][a-z0-9_]*)\\((.*)\\)$", Pattern.DOTALL);
  private static final Pattern BARE_COMMAND = Pattern.compile("^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:\\s.*)?$|^[A-Z]{3,}(?:\\s.*)?$");
  /** A tool named alone in a table's Tool column: {@code scan_environment}. */
  private static final Pattern BARE_TOOL = Pattern.compile("^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$");
  private static final Pattern KWARG = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*");

  private CallText() {}

  /** The call, or null when the text is not one. */
  static ExampleDraft.ToolCall parse(String text, String commandTool, String commandArgument) {
    String t = text.strip();
    boolean quoted = t.startsWith("`") && t.endsWith("`") && t.length() > 1;
    if (quoted) t = t.substring(1, t.length() - 1).strip();
    Matcher m = CALL.matcher(t);
    if (m.matches()) {
      ObjectNode args = arguments(m.group(1), m.group(2).strip(), commandTool, commandArgument);
      return args == null ? null : new ExampleDraft.ToolCall(m.group(1), args.toString(), null, null);
    }
    if (BARE_TOOL.matcher(t).matches()) return new ExampleDraft.ToolCall(t, "{}", null, null);
    // A bare game command only in a code span: "NEW - use before" in prose is not one.
    if (quoted && BARE_COMMAND.matcher(t).matches() && !t.contains("`")) {
      ObjectNode args = JSON.createObjectNode().put(commandArgument, t);
      return new ExampleDraft.ToolCall(commandTool, args.toString(), null, null);
    }
    return null;
  }

  private static ObjectNode arguments(String tool, String inner, String commandTool, String commandArgument) {
    ObjectNode args = JSON.createObjectNode();
    int i = 0, positional = 0;
    while (i < inner.length()) {
      while (i < inner.length() && Character.isWhitespace(inner.charAt(i))) i++;
      if (i >= inner.length()) break;
      Matcher k = KWARG.matcher(inner);
      String name;
      int valueStart;
      if (k.find(i) && k.start() == i) {
        name = k.group(1);
        valueStart = k.end();
      } else {
        // a positional argument: the command tool's command, else value, value2, ...
        name = tool.equals(commandTool) && positional == 0 ? commandArgument : positional == 0 ? "value" : "value" + (positional + 1);
        positional++;
        valueStart = i;
      }
      int valueEnd = endOfValue(inner, valueStart);
      String raw = inner.substring(valueStart, valueEnd).strip();
      if (raw.isEmpty() || raw.equals("...")) return null; // a placeholder, not a call one could make
      if (raw.equals("True") || raw.equals("False") || raw.equals("None")) raw = raw.equals("None") ? "null" : raw.toLowerCase(java.util.Locale.ROOT); // Python literals
      try {
        args.set(name, JSON.readTree(raw.startsWith("'") ? "\"" + raw.substring(1, raw.length() - 1).replace("\"", "\\\"") + "\"" : raw));
      } catch (Exception e) {
        if (!raw.matches("[A-Za-z0-9_.+-]+")) return null; // {...} and the like: not a value
        args.put(name, raw);
      }
      i = valueEnd;
      if (i < inner.length() && inner.charAt(i) == ',') i++;
    }
    return args;
  }

  /** Where a value ends: the next comma outside quotes and brackets. */
  private static int endOfValue(String s, int from) {
    int depth = 0;
    char quote = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') i++;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[' || c == '{' || c == '(') {
        depth++;
      } else if (c == ']' || c == '}' || c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return s.length();
  }
}
