package dev.toolcalls.pipeline.source.discord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.toolcalls.pipeline.util.Timestamps;
import java.io.IOException;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Parses one log line with Jackson's streaming parser. Nested values (arguments, results,
 * contexts) are not rebuilt: their exact bytes are sliced out of the line, which is both faster and
 * keeps them as the bot wrote them.
 */
final class DiscordEventParser {
  /** NaN and Infinity as Python's json.dumps writes them by default (the older parser took them too). */
  private final JsonFactory factory = JsonFactory.builder().enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** Thrown for a line that is not one JSON object. */
  static final class MalformedLineException extends Exception {
    MalformedLineException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses one line. The event's JSON slices are views of {@code buf}, not copies: pass a buffer
   * that is never overwritten afterwards (a copy of the line, not a reader's reused buffer).
   */
  DiscordEvent parse(byte[] buf, int off, int len) throws MalformedLineException {
    DiscordEvent e = new DiscordEvent();
    try (JsonParser p = factory.createParser(buf, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedLineException("not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "type":
            e.type = scalar(p, v);
            break;
          case "request_id":
            e.requestId = scalar(p, v);
            break;
          case "timestamp":
            e.timestamp = scalar(p, v);
            break;
          case "message":
            e.message = text(p, v, buf, off);
            break;
          case "account_id":
            e.accountId = scalar(p, v);
            break;
          case "task_type":
            e.taskType = scalar(p, v);
            break;
          case "tool":
            e.tool = scalar(p, v);
            break;
          case "arguments":
            e.argumentsJson = raw(p, v, buf, off);
            break;
          case "result":
            result(p, v, buf, off, e);
            break;
          case "response":
            e.response = text(p, v, buf, off);
            break;
          case "error":
            e.error = text(p, v, buf, off);
            break;
          case "context":
            e.contextJson = raw(p, v, buf, off);
            break;
          case "user_id":
            e.userId = scalar(p, v);
            break;
          case "username":
            e.username = scalar(p, v);
            break;
          case "tool_calls_count":
            // Known, not needed for examples.
            p.skipChildren();
            break;
          default:
            e.unknownFields++;
            p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new MalformedLineException("unexpected " + t);
      }
      if (p.nextToken() != null) {
        throw new MalformedLineException("content after the JSON object");
      }
    } catch (IOException ex) {
      String msg = ex.getMessage();
      int cut = msg == null ? -1 : msg.indexOf('\n');
      throw new MalformedLineException(cut > 0 ? msg.substring(0, cut) : String.valueOf(msg));
    }
    e.timeMicros = Timestamps.parseMicros(e.timestamp);
    return e;
  }

  /** A scalar as text (strings and numbers alike); null for JSON null; nested values as JSON text. */
  private static String scalar(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NULL) return null;
    if (v.isStructStart()) {
      p.skipChildren();
      return null;
    }
    return p.getText();
  }

  /** A string as text; any other non-null value as its JSON text. */
  private static String text(JsonParser p, JsonToken v, byte[] buf, int off) throws IOException {
    if (v == JsonToken.VALUE_STRING) return p.getText();
    UTF8String raw = raw(p, v, buf, off);
    return raw == null ? null : raw.toString();
  }

  /** The value's JSON text exactly as written; null for JSON null. */
  private static UTF8String raw(JsonParser p, JsonToken v, byte[] buf, int off) throws IOException {
    if (v == JsonToken.VALUE_NULL) return null;
    long start = p.currentTokenLocation().getByteOffset();
    if (v.isStructStart()) {
      p.skipChildren();
    } else {
      p.getText(); // completes a lazily read token so that the end offset is right
    }
    return slice(buf, off, start, p.currentLocation().getByteOffset());
  }

  /** A view of the bytes, not a copy: callers pass a buffer that is theirs to keep (a line's copy). */
  private static UTF8String slice(byte[] buf, int off, long start, long end) {
    return UTF8String.fromBytes(buf, off + (int) start, (int) (end - start));
  }

  /** The result's JSON text, plus its top-level {@code state}, {@code success} and {@code error}. */
  private static void result(JsonParser p, JsonToken v, byte[] buf, int off, DiscordEvent e)
      throws IOException {
    if (v != JsonToken.START_OBJECT) {
      e.resultJson = raw(p, v, buf, off);
      return;
    }
    long start = p.currentTokenLocation().getByteOffset();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken m = p.nextToken();
      if ("state".equals(name) && m == JsonToken.START_OBJECT) {
        e.resultStateJson = raw(p, m, buf, off);
      } else if ("success".equals(name)) {
        if (m == JsonToken.VALUE_FALSE) e.resultIsError = true;
      } else if ("error".equals(name)) {
        if (m != JsonToken.VALUE_NULL && m != JsonToken.VALUE_FALSE) e.resultIsError = true;
        p.skipChildren();
      } else {
        p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) throw new IOException("unterminated result object");
    e.resultJson = slice(buf, off, start, p.currentLocation().getByteOffset());
  }
}
