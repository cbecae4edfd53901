package dev.toolcalls.pipeline.source.discord;

import java.util.ArrayList;
import java.util.List;

/** Builds bot log lines the way the real bot writes them (Python json.dumps separators). */
public final class LogLines {
  private final List<String> lines = new ArrayList<>();

  public static String q(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  public LogLines request(String rid, String ts, String message, String account) {
    return raw("{\"type\": \"request\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts)
        + ", \"user_id\": 391354168675139594, \"username\": \"astron6695\", \"message\": " + q(message)
        + ", \"task_type\": \"simple_command\", \"account_id\": " + q(account) + "}");
  }

  public LogLines tool(String rid, String ts, String tool, String argsJson, String resultJson) {
    return raw("{\"type\": \"tool_call\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts) + ", \"tool\": " + q(tool)
        + ", \"arguments\": " + argsJson + ", \"result\": " + resultJson + "}");
  }

  public LogLines command(String rid, String ts, String command) {
    return tool(rid, ts, "send_command", "{\"command\": " + q(command) + "}", "{\"sent\": true}");
  }

  public LogLines response(String rid, String ts, String text) {
    return raw("{\"type\": \"response\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts) + ", \"response\": " + q(text)
        + ", \"tool_calls_count\": 1, \"error\": null}");
  }

  public LogLines error(String rid, String ts, String text) {
    return raw("{\"type\": \"error\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts) + ", \"error\": " + q(text) + ", \"context\": null}");
  }

  public LogLines raw(String line) {
    lines.add(line);
    return this;
  }

  /** The last line written again, as a retrying bot does. */
  public LogLines repeatLast() {
    return raw(lines.get(lines.size() - 1));
  }

  public String text() {
    return String.join("\n", lines) + "\n";
  }

  public List<String> lines() {
    return lines;
  }
}
