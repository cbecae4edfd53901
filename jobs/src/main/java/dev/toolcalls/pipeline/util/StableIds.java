package dev.toolcalls.pipeline.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Example ids: a source prefix and 16 hex digits of SHA-256 over what identifies the item in its
 * source, never over its position or over parser rules, so enrichments stay attached after any
 * re-parse.
 */
public final class StableIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private StableIds() {}

  /** A Discord turn: account, request id and the request line's timestamp as written. */
  public static String discord(String accountId, String requestId, String requestTimestamp) {
    return "dc-" + hash16("discord", accountId, requestId, requestTimestamp);
  }

  /**
   * A journal item: the file's path relative to the journals folder, the item's type, heading path
   * and normalised text, and which occurrence of that same item it is in the file (1, 2, ...).
   */
  public static String journal(String relativePath, String exampleType, String headingPath, String normalisedText, int occurrence) {
    return "jr-" + hash16("journal", relativePath, exampleType, headingPath, normalisedText, Integer.toString(occurrence));
  }

  /** A Claude Code session turn: the session id and the uuid of its user prompt line. */
  public static String session(String sessionId, String promptUuid) {
    return "cs-" + hash16("claude_session", sessionId, promptUuid);
  }

  /** 16 lowercase hex digits of SHA-256 over the parts, separated so that ("ab","c") != ("a","bc"). */
  public static String hash16(String... parts) {
    MessageDigest md = SHA256.get();
    md.reset();
    for (String part : parts) {
      if (part == null) {
        md.update((byte) 0);
      } else {
        md.update((byte) 1);
        md.update(part.getBytes(StandardCharsets.UTF_8));
      }
      md.update((byte) 0x1F);
    }
    byte[] d = md.digest();
    char[] out = new char[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = HEX[(d[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[d[i] & 0xF];
    }
    return new String(out);
  }
}
