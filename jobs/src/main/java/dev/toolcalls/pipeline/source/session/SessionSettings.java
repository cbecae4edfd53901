package dev.toolcalls.pipeline.source.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.privacy.Pseudonyms;
import dev.toolcalls.pipeline.rules.ToolCatalog;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Settings of session extraction ({@code sessions:} in conf), resolved on the driver and shipped to the tasks. */
public final class SessionSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String MCP_PREFIX = "mcp__";
  static final String MCP_SEPARATOR = "__";

  /** MCP servers whose tools drive the game. */
  public final List<String> gameServers;
  /** Which game tools report the game state (conf/rules/tools.yaml). */
  public final ToolCatalog tools;
  /** The pseudonyms of home-folder user names (the key travels inside: never logged). */
  public final Pseudonyms pseudonyms;

  public SessionSettings(List<String> gameServers, ToolCatalog tools, Pseudonyms pseudonyms) {
    if (gameServers.isEmpty()) throw new BadInputException("sessions.game_servers is empty: no session turn could be a game turn");
    this.gameServers = List.copyOf(gameServers);
    this.tools = tools;
    this.pseudonyms = pseudonyms;
  }

  public static SessionSettings from(PipelineConfig config) {
    return from(config, new ToolCatalog(config.rules("tools", ToolCatalog.Spec.class)), Pseudonyms.from(config));
  }

  /** With the tool catalog and pseudonyms the job has already built. */
  public static SessionSettings from(PipelineConfig config, ToolCatalog tools, Pseudonyms pseudonyms) {
    List<String> servers = new ArrayList<>();
    JsonNode n = config.node("sessions.game_servers");
    if (n.isArray()) {
      n.forEach(s -> servers.add(s.asText().trim()));
    } else if (n.isTextual()) { // --conf sessions.game_servers=manny,runelite-debug
      for (String s : n.asText().split(",")) servers.add(s.trim());
    } else if (n.isMissingNode() || n.isNull()) {
      servers.addAll(List.of("manny", "runelite-debug"));
    } else {
      throw new BadInputException("sessions.game_servers must be a list of MCP server names");
    }
    servers.removeIf(String::isEmpty);
    return new SessionSettings(servers, tools, pseudonyms);
  }

  /**
   * The game tool a client tool name stands for ({@code mcp__manny__send_command} gives
   * {@code send_command}), or null when it is not a game tool (the client's own tools, other MCP
   * servers). Server names may hold '-' and '_', so each configured server is matched whole.
   */
  public String gameTool(String clientToolName) {
    if (clientToolName == null || !clientToolName.startsWith(MCP_PREFIX)) return null;
    for (String server : gameServers) {
      int serverEnd = MCP_PREFIX.length() + server.length();
      if (clientToolName.startsWith(server, MCP_PREFIX.length())
          && clientToolName.startsWith(MCP_SEPARATOR, serverEnd)
          && clientToolName.length() > serverEnd + MCP_SEPARATOR.length()) {
        return clientToolName.substring(serverEnd + MCP_SEPARATOR.length());
      }
    }
    return null;
  }
}
