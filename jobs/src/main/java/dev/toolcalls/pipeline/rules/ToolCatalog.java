package dev.toolcalls.pipeline.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What the game-control tools are (conf/rules/tools.yaml): command carriers, state, read-only. */
public final class ToolCatalog implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<String> commandTools = new HashSet<>();
  /** The command tools as written in conf, first one first (the one journals' bare commands are sent with). */
  private final List<String> commandToolNames;
  private final String commandArgument;
  private final Set<String> stateTools = new HashSet<>();
  private final Set<String> readOnlyTools = new HashSet<>();

  /** Bound from YAML. */
  public static final class Spec {
    public List<String> command_tools = List.of("send_command");
    public String command_argument = "command";
    public List<String> state_tools = List.of("get_game_state");
    public List<String> read_only_tools = List.of();
  }

  public ToolCatalog(Spec spec) {
    spec.command_tools.forEach(t -> commandTools.add(norm(t)));
    if (spec.command_tools.isEmpty()) throw new IllegalArgumentException("tools.yaml: command_tools is empty");
    this.commandToolNames = List.copyOf(spec.command_tools);
    spec.state_tools.forEach(t -> stateTools.add(norm(t)));
    spec.read_only_tools.forEach(t -> readOnlyTools.add(norm(t)));
    this.commandArgument = spec.command_argument;
  }

  public List<String> commandTools() {
    return commandToolNames;
  }

  public String commandArgument() {
    return commandArgument;
  }

  public boolean isCommandTool(String tool) {
    return tool != null && commandTools.contains(norm(tool));
  }

  public boolean isStateTool(String tool) {
    return tool != null && stateTools.contains(norm(tool));
  }

  /** A game action: any call of a tool that is not read-only. */
  public boolean isAction(String tool) {
    return tool != null && !readOnlyTools.contains(norm(tool));
  }

  /**
   * The game command a call carries, or null: the command member of an arguments object, or the
   * arguments themselves when an older bot wrote a plain string.
   */
  public String commandOf(String tool, String argumentsJson) {
    if (!isCommandTool(tool) || argumentsJson == null) return null;
    try {
      JsonNode args = JSON.readTree(argumentsJson);
      if (args == null) return null;
      if (args.isTextual()) return args.asText();
      JsonNode c = args.get(commandArgument);
      return c == null || c.isNull() ? null : c.asText();
    } catch (IOException e) {
      return null;
    }
  }

  /** The command's verb: its first word, upper-cased ("GOTO 3222 3218 0" gives GOTO). */
  public static String verbOf(String command) {
    if (command == null) return null;
    String c = command.strip();
    if (c.isEmpty()) return null;
    int end = 0;
    while (end < c.length() && !Character.isWhitespace(c.charAt(end))) end++;
    return c.substring(0, end).toUpperCase(Locale.ROOT);
  }

  private static String norm(String tool) {
    return tool.toLowerCase(Locale.ROOT);
  }
}
