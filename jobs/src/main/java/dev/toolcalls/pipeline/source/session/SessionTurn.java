package dev.toolcalls.pipeline.source.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The turn being assembled: its prompt and what the assistant did up to the next prompt. */
final class SessionTurn {
  /** A game call; its result and error flag are filled when the tool_result line comes. */
  static final class GameCall {
    final String id;
    final String tool;
    final String arguments;
    String result;
    /** null until a result comes. */
    Boolean isError;

    GameCall(String id, String tool, String arguments) {
      this.id = id;
      this.tool = tool;
      this.arguments = arguments;
    }
  }

  final long promptLine;
  final String promptUuid;
  final String sessionId;
  final String promptTimestamp;
  final String version;
  final String userMessage;
  /** The prompt line's bytes, kept only when it cannot identify an example (see quarantine). */
  byte[] promptBytes;
  /** The prompt repeats one already read in this file. */
  boolean duplicate;

  final List<GameCall> gameCalls = new ArrayList<>();
  /** Game calls by tool_use id, waiting for their results until the next prompt. */
  final Map<String, GameCall> gameCallsById = new HashMap<>();
  /** Ids of the calls left out (client tools), so their results are not counted as strays. */
  final Set<String> otherCallIds = new HashSet<>();
  final List<String> texts = new ArrayList<>();
  final List<String> thinking = new ArrayList<>();
  /** uuids of this turn's lines, to skip a line written twice. */
  final Set<String> lineUuids = new HashSet<>();
  /** Text and thinking blocks of the reply being read, to skip a block written twice. */
  String replyId;
  final Set<String> replyBlocks = new LinkedHashSet<>();

  SessionTurn(long promptLine, String promptUuid, String sessionId, String promptTimestamp, String version, String userMessage) {
    this.promptLine = promptLine;
    this.promptUuid = promptUuid;
    this.sessionId = sessionId;
    this.promptTimestamp = promptTimestamp;
    this.version = version;
    this.userMessage = userMessage;
  }
}
