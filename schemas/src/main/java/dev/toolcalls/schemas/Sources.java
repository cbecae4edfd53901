package dev.toolcalls.schemas;

/** Values of the {@code source} partition column. */
public final class Sources {
  public static final String DISCORD = "discord";
  public static final String JOURNAL = "journal";
  public static final String CLAUDE_SESSION = "claude_session";

  private Sources() {}
}
