package dev.toolcalls.pipeline.source.discord;

import org.apache.spark.unsafe.types.UTF8String;

/**
 * One parsed line of a Discord bot log. JSON-valued fields hold the JSON text as written, as UTF-8
 * bytes copied out of the line (never decoded and re-encoded: they are most of the volume).
 */
final class DiscordEvent {
  static final String REQUEST = "request";
  static final String TOOL_CALL = "tool_call";
  static final String RESPONSE = "response";
  static final String ERROR = "error";
  static final String CONTEXT = "context";

  String type;
  String requestId;
  String timestamp;
  long timeMicros;

  // request
  String message;
  String accountId;
  String taskType;
  /** The Discord user: only to the identities table; examples get the pseudonym. */
  String userId;
  String username;

  // tool_call
  String tool;
  UTF8String argumentsJson;
  UTF8String resultJson;
  /** The {@code state} member of the result object, when there is one. */
  UTF8String resultStateJson;
  /** The result reports a failure ({@code "success": false} or a non-null {@code error}). */
  boolean resultIsError;

  // response
  String response;

  // error event, or the error member of a response
  String error;

  // context event, or the context member of an error event
  UTF8String contextJson;

  /** Members this version does not know (a newer bot): ignored, but counted. */
  int unknownFields;

  static boolean isKnownType(String type) {
    switch (type) {
      case REQUEST:
      case TOOL_CALL:
      case RESPONSE:
      case ERROR:
      case CONTEXT:
        return true;
      default:
        return false;
    }
  }
}
