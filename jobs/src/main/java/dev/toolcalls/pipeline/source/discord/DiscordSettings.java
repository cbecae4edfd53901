package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.rules.ToolCatalog;
import java.io.Serializable;

/** Settings of Discord extraction, resolved on the driver and shipped to the tasks. */
public final class DiscordSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  public final String filePattern;
  public final long answeredGraceMicros;
  public final long maxTurnMicros;
  public final ToolCatalog tools;

  public DiscordSettings(String filePattern, long answeredGraceMicros, long maxTurnMicros, ToolCatalog tools) {
    this.filePattern = filePattern;
    this.answeredGraceMicros = answeredGraceMicros;
    this.maxTurnMicros = maxTurnMicros;
    this.tools = tools;
  }

  public static DiscordSettings from(PipelineConfig config, ToolCatalog tools) {
    return new DiscordSettings(
        config.string("discord.file_pattern", "conversations_(\\d{4}-\\d{2}-\\d{2})\\.jsonl(\\.gz)?"),
        config.longValue("discord.answered_grace_seconds", 300) * 1_000_000L,
        config.longValue("discord.max_turn_minutes", 120) * 60_000_000L,
        tools);
  }
}
