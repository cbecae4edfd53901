package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.privacy.Pseudonyms;
import dev.toolcalls.pipeline.rules.ToolCatalog;
import java.io.Serializable;

/** Settings of Discord extraction, resolved on the driver and shipped to the tasks. */
public final class DiscordSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  public final String filePattern;
  public final long answeredGraceMicros;
  public final long maxTurnMicros;
  public final ToolCatalog tools;
  /**
   * A file modified after this time (the run's start minus {@code discord.settle_minutes}) may
   * still be being written: its unfinished last line is left for the next run, not quarantined.
   */
  public final long settledBeforeMillis;
  /** The user pseudonyms (the key travels inside: never logged). */
  public final Pseudonyms pseudonyms;

  public DiscordSettings(String filePattern, long answeredGraceMicros, long maxTurnMicros, ToolCatalog tools, long settledBeforeMillis, Pseudonyms pseudonyms) {
    this.filePattern = filePattern;
    this.answeredGraceMicros = answeredGraceMicros;
    this.maxTurnMicros = maxTurnMicros;
    this.tools = tools;
    this.settledBeforeMillis = settledBeforeMillis;
    this.pseudonyms = pseudonyms;
  }

  /** Whether a file modified at this time is still being written to, as far as this run knows. */
  public boolean isSettling(long modifiedMillis) {
    return modifiedMillis > settledBeforeMillis;
  }

  public static DiscordSettings from(PipelineConfig config, ToolCatalog tools) {
    return from(config, tools, Pseudonyms.from(config));
  }

  public static DiscordSettings from(PipelineConfig config, ToolCatalog tools, Pseudonyms pseudonyms) {
    return new DiscordSettings(
        config.string("discord.file_pattern", "conversations_(\\d{4}-\\d{2}-\\d{2})\\.jsonl(\\.gz)?"),
        config.longValue("discord.answered_grace_seconds", 300) * 1_000_000L,
        config.longValue("discord.max_turn_minutes", 120) * 60_000_000L,
        tools,
        // The driver's clock, once per run: every task judges its file against the same time.
        System.currentTimeMillis() - config.longValue("discord.settle_minutes", 10) * 60_000L,
        pseudonyms);
  }
}
