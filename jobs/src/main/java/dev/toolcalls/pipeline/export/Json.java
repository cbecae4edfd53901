package dev.toolcalls.pipeline.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

/** JSON helpers shared by the renderers: stored JSON text back to JSON values, compact output. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  /** Stored JSON text as a JSON value; text that is not JSON (a plain string of older bots) as a string. */
  static JsonNode value(String jsonText) {
    if (jsonText == null) return NODES.nullNode();
    try {
      JsonNode n = MAPPER.readTree(jsonText);
      return n == null ? TextNode.valueOf(jsonText) : n;
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(jsonText);
    }
  }

  /** Compact JSON text (no spaces), the same bytes for the same value. */
  static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
