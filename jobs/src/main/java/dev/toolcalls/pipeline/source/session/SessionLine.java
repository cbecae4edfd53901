package dev.toolcalls.pipeline.source.session;

import java.util.ArrayList;
import java.util.List;

/** What turn assembly needs from one transcript line; every field is optional in the format. */
final class SessionLine {
  static final String USER = "user";
  static final String ASSISTANT = "assistant";

  /** One content block of a message, reduced to what an example keeps. */
  record Block(Kind kind, String text, String id, String name, String inputJson, boolean isError) {
    enum Kind {
      /** {@code text}: the text. */
      TEXT,
      /** {@code thinking}: the thinking text. */
      THINKING,
      /** {@code tool_use}: id, name and the input as JSON text. */
      TOOL_USE,
      /** {@code tool_result}: id is {@code tool_use_id}, text the result as text, isError. */
      TOOL_RESULT,
      /** Anything else (image, document, redacted thinking...): text is how it reads in a message. */
      OTHER
    }

    static Block text(String text) {
      return new Block(Kind.TEXT, text, null, null, null, false);
    }
  }

  String type;
  String uuid;
  String sessionId;
  String timestamp;
  String version;
  boolean sidechain;
  boolean meta;
  boolean compactSummary;
  String messageId;
  /** True when {@code message.content} is a string (it is then the one TEXT block). */
  boolean stringContent;
  final List<Block> blocks = new ArrayList<>();

  boolean isUser() {
    return USER.equals(type);
  }

  boolean isAssistant() {
    return ASSISTANT.equals(type);
  }
}
