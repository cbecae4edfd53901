package dev.toolcalls.pipeline.export;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.rules.Rules;
import dev.toolcalls.pipeline.rules.ToolRegistry;
import java.io.Serializable;

/** How examples are rendered (conf: {@code export}); shipped to the executors with the renderers. */
public final class ExportSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  public final String systemPrompt;
  public final String stateLineFormat;
  public final String stateLocation;
  public final String stateHealth;
  public final String toolCall;
  public final String negativeNote;
  /** The argument name a plain-string command of older bots is given in OpenAI's object form. */
  public final String commandArgument;
  /** The tool registry: OpenAI records list its tools (conf/tools/registry.yaml). */
  public final ToolRegistry registry;
  /** {@code registry}: every registered tool in every OpenAI record; {@code called}: the ones the example calls. */
  public final boolean allRegisteredTools;

  public ExportSettings(String systemPrompt, String stateLineFormat, String stateLocation, String stateHealth, String toolCall, String negativeNote, String commandArgument,
      ToolRegistry registry, boolean allRegisteredTools) {
    this.systemPrompt = systemPrompt;
    this.stateLineFormat = stateLineFormat;
    this.stateLocation = stateLocation;
    this.stateHealth = stateHealth;
    this.toolCall = toolCall;
    this.negativeNote = negativeNote;
    this.commandArgument = commandArgument;
    this.registry = registry;
    this.allRegisteredTools = allRegisteredTools;
  }

  public static ExportSettings from(PipelineConfig config) {
    String commandArgument = config.rules("tools").path("command_argument").asText("command");
    String toolCall = config.string("export.tool_call", "<tool_call>{tool}({arguments})</tool_call>");
    if (!toolCall.contains("{tool}") || !toolCall.contains("{arguments}")) {
      throw new BadInputException("export.tool_call must contain {tool} and {arguments}: " + toolCall);
    }
    String tools = config.string("export.openai_tools", "registry");
    if (!tools.equals("registry") && !tools.equals("called")) throw new BadInputException("export.openai_tools must be registry or called, not " + tools);
    return new ExportSettings(
        config.string("export.system_prompt", "You control a game character through tools."),
        config.string("export.state_line.format", "[State: {parts}]"),
        config.string("export.state_line.location", "loc=({x},{y},{plane})"),
        config.string("export.state_line.health", "hp={current}/{max}"),
        toolCall,
        config.string("export.negative_note", "What NOT to do:"),
        commandArgument,
        Rules.registry(config),
        tools.equals("registry"));
  }
}
