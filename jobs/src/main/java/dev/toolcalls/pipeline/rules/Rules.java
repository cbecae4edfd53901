package dev.toolcalls.pipeline.rules;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import java.io.Serializable;

/** Every conf-driven rule, built once on the driver and shipped to executors with the UDFs. */
public final class Rules implements Serializable {
  private static final long serialVersionUID = 1L;
  public final ToolCatalog tools;
  public final TagRules tags;
  public final QualityRules quality;
  public final TaskTypeRules taskTypes;
  public final ToolRegistry registry;
  public final TokenCounter tokens;
  public final String version;

  public Rules(ToolCatalog tools, TagRules tags, QualityRules quality, TaskTypeRules taskTypes, ToolRegistry registry, TokenCounter tokens, String version) {
    this.tools = tools;
    this.registry = registry;
    this.tokens = tokens;
    this.tags = tags;
    this.quality = quality;
    this.taskTypes = taskTypes;
    this.version = version;
  }

  public static Rules from(PipelineConfig config) {
    try {
      ToolCatalog tools = new ToolCatalog(config.rules("tools", ToolCatalog.Spec.class));
      return new Rules(
          tools,
          new TagRules(config.rules("tags", TagRules.Spec.class), tools),
          new QualityRules(config.rules("quality", QualityRules.Spec.class)),
          new TaskTypeRules(config.rules("task_types", TaskTypeRules.Spec.class), tools),
          registry(config, tools),
          new TokenCounter(config.string("tokens.encoding", "cl100k_base"), config.string("export.system_prompt", "")),
          config.rulesVersion());
    } catch (IllegalArgumentException e) { // PatternSyntaxException included
      throw new BadInputException("invalid rule in conf/rules: " + e.getMessage(), e);
    }
  }

  /** The tool registry alone (export builds the OpenAI tool list from it). */
  public static ToolRegistry registry(PipelineConfig config) {
    try {
      return registry(config, new ToolCatalog(config.rules("tools", ToolCatalog.Spec.class)));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("invalid rule in conf/rules: " + e.getMessage(), e);
    }
  }

  private static ToolRegistry registry(PipelineConfig config, ToolCatalog tools) {
    return new ToolRegistry(config.rules("tool_registry", ToolRegistry.Spec.class), tools);
  }
}
