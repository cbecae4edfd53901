package dev.toolcalls.pipeline.source.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one transcript line into a {@link SessionLine}: a Jackson tree for the line alone, so a
 * file of any size is read in the memory of its longest line. Only the members turn assembly uses
 * are looked at; the rest ({@code usage}, {@code toolUseResult}, {@code cwd}...) is left alone.
 */
final class SessionLineParser {
  /**
   * Transcripts hold whole files and base64 screenshots in one string: no length limit, or valid
   * lines would be quarantined. Numbers are kept exactly as written (0.50 stays 0.50), trailing
   * bytes after the object make the line invalid (two appends torn into one line).
   */
  static final ObjectMapper JSON =
      JsonMapper.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build()).build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  /** A line that is not one JSON object. */
  static final class MalformedLineException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedLineException(String message) {
      super(message);
    }
  }

  SessionLine parse(byte[] buf, int off, int len) throws MalformedLineException {
    JsonNode root;
    try {
      root = JSON.readTree(buf, off, len);
    } catch (JsonProcessingException e) {
      throw new MalformedLineException(e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedLineException(e.getMessage());
    }
    if (root == null || !root.isObject()) throw new MalformedLineException("not a JSON object");
    SessionLine line = new SessionLine();
    line.type = text(root.get("type"));
    if (!line.isUser() && !line.isAssistant()) return line;
    line.uuid = text(root.get("uuid"));
    line.sessionId = text(root.get("sessionId"));
    line.timestamp = text(root.get("timestamp"));
    line.version = text(root.get("version"));
    line.sidechain = isTrue(root.get("isSidechain"));
    line.meta = isTrue(root.get("isMeta"));
    line.compactSummary = isTrue(root.get("isCompactSummary"));
    JsonNode message = root.get("message");
    if (message == null || !message.isObject()) return line;
    line.messageId = text(message.get("id"));
    JsonNode content = message.get("content");
    if (content == null || content.isNull()) return line;
    if (content.isTextual()) {
      line.stringContent = true;
      line.blocks.add(SessionLine.Block.text(content.textValue()));
    } else if (content.isArray()) {
      for (JsonNode b : content) line.blocks.add(block(b));
    } else {
      line.blocks.add(other(content));
    }
    return line;
  }

  private static SessionLine.Block block(JsonNode b) {
    String type = b.isObject() ? text(b.get("type")) : null;
    if (type == null) return b.isTextual() ? SessionLine.Block.text(b.textValue()) : other(b);
    switch (type) {
      case "text":
        return SessionLine.Block.text(text(b.get("text")));
      case "thinking":
        return new SessionLine.Block(SessionLine.Block.Kind.THINKING, text(b.get("thinking")), null, null, null, false);
      case "tool_use":
        JsonNode input = b.get("input");
        return new SessionLine.Block(SessionLine.Block.Kind.TOOL_USE, null, text(b.get("id")), text(b.get("name")), input == null ? null : json(input), false);
      case "tool_result":
        return new SessionLine.Block(SessionLine.Block.Kind.TOOL_RESULT, contentText(b.get("content")), text(b.get("tool_use_id")), null, null, isTrue(b.get("is_error")));
      default:
        return other(b);
    }
  }

  private static SessionLine.Block other(JsonNode b) {
    return new SessionLine.Block(SessionLine.Block.Kind.OTHER, blockText(b), null, null, null, false);
  }

  /**
   * A tool result's content as text: a string as it is; an array of blocks as their texts joined
   * with '\n', where an image is the placeholder {@code [image: image/png]} (the base64 data stays
   * in the transcript) and any other block is its JSON text.
   */
  static String contentText(JsonNode content) {
    if (content == null || content.isNull()) return null;
    if (content.isTextual()) return content.textValue();
    if (!content.isArray()) return json(content);
    List<String> parts = new ArrayList<>();
    for (JsonNode b : content) parts.add(blockText(b));
    return String.join("\n", parts);
  }

  private static String blockText(JsonNode b) {
    if (b.isTextual()) return b.textValue();
    String type = b.isObject() ? text(b.get("type")) : null;
    if ("text".equals(type) && b.path("text").isTextual()) return b.get("text").textValue();
    if ("image".equals(type) || "document".equals(type)) {
      String mediaType = text(b.path("source").get("media_type"));
      return "[" + type + (mediaType == null ? "" : ": " + mediaType) + "]";
    }
    return json(b);
  }

  static String json(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      // A tree that was just parsed always writes back; anything else is a bug to see.
      throw new IllegalStateException(e);
    }
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isContainerNode()) return null;
    return n.asText();
  }

  private static boolean isTrue(JsonNode n) {
    return n != null && n.isBoolean() && n.booleanValue();
  }
}
