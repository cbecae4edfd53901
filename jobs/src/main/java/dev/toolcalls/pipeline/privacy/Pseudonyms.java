package dev.toolcalls.pipeline.privacy;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonyms of people: {@code u-} + the first 16 hex digits (64 bits) of HMAC-SHA256(key,
 * namespace:id). Keyed, so nobody without the key can get from a Discord id (public, and few) to
 * its pseudonym by hashing known ids; 64 bits keep collisions out of reach for any number of users a
 * bot sees (about 3e-8 for a million) while staying short enough to read. The same key gives the
 * same pseudonym on every run and machine. Shipped to executors with the key inside; never printed.
 */
public final class Pseudonyms implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String PREFIX = "u-";
  static final int HEX_DIGITS = 16;
  private static final String NOT_A_PSEUDONYM = "(?!" + PREFIX + "[0-9a-f]{" + HEX_DIGITS + "}(?![0-9a-f]))";
  /** Discord mentions: {@code <@123>}, {@code <@!123>} (nickname form). */
  private static final Pattern MENTION = Pattern.compile("<@!?(\\d{1,20})>");
  /** A home folder in a path: /home/NAME, /Users/NAME, C:\Users\NAME (also JSON-escaped). */
  private static final Pattern HOME_PATH = Pattern.compile("(/home/|/Users/|\\\\{1,2}Users\\\\{1,2})" + NOT_A_PSEUDONYM + "([^/\\\\\\s\"'<>:]+)");
  /** Claude Code's project folder names: the working folder with '/' as '-' (-home-NAME-project). */
  private static final Pattern HOME_FOLDER_NAME = Pattern.compile("(?<=^|[/\\\\])(-home-|-Users-)" + NOT_A_PSEUDONYM + "([^-/\\\\\\s\"]+)");
  /** An @name in chat text that is not an e-mail's and not already a pseudonym. */
  private static final Pattern AT_NAME = Pattern.compile("(?<![\\w.@<>:/])@" + NOT_A_PSEUDONYM + "(?!everyone\\b|here\\b)([\\w.]*\\w)");
  /** What an @name mention of a person not known at extraction becomes in exported chat text. */
  static final String UNKNOWN_USER = "@<USER>";

  private final byte[] key;
  private transient Mac mac;

  public Pseudonyms(byte[] key) {
    this.key = key.clone();
  }

  /** With the key of the configuration (see {@link PseudonymKey}): read, or created, on the driver. */
  public static Pseudonyms from(dev.toolcalls.pipeline.config.PipelineConfig config) {
    return new Pseudonyms(PseudonymKey.load(config, System.err));
  }

  /** The pseudonym of a Discord user id. */
  public String discordUser(String userId) {
    return of("discord:" + userId);
  }

  /** The pseudonym of a home-folder user name (Claude Code session paths). */
  public String homeUser(String name) {
    return of("home:" + name);
  }

  /**
   * Discord text: mentions by id ({@code <@123>} to {@code <@u-...>}), the requester's own id
   * written bare, and {@code @name} mentions of the names known (lower-cased name to the
   * pseudonym of its user) become pseudonyms.
   */
  public String discordText(String text, String userId, Map<String, String> keyByLowerName) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    if (out.indexOf("<@") >= 0) out = replace(MENTION, out, m -> "<@" + discordUser(m.group(1)) + ">");
    if (userId != null && !userId.isEmpty() && out.contains(userId)) out = out.replaceAll("(?<!\\d)" + Pattern.quote(userId) + "(?!\\d)", discordUser(userId));
    if (!keyByLowerName.isEmpty() && out.indexOf('@') >= 0) {
      out = replace(AT_NAME, out, m -> {
        String k = keyByLowerName.get(m.group(1).toLowerCase(java.util.Locale.ROOT));
        return k == null ? m.group() : "@" + k;
      });
    }
    return out;
  }

  /** Home folders in paths (/home/NAME, /Users/NAME, -home-NAME- project folders) become pseudonyms. */
  public String homePaths(String text) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    if (out.contains("home") || out.contains("Users")) {
      out = replace(HOME_PATH, out, m -> m.group(1) + homeUser(m.group(2)));
      out = replace(HOME_FOLDER_NAME, out, m -> m.group(1) + homeUser(m.group(2)));
    }
    return out;
  }

  /**
   * What an export writes of any text: id mentions and home folders as pseudonyms; in chat text
   * ({@code chat}), an {@code @name} left (a person extraction did not know) as {@code @<USER>}.
   */
  public String forExport(String text, boolean chat) {
    if (text == null || text.isEmpty()) return text;
    String out = homePaths(text);
    if (out.indexOf("<@") >= 0) out = replace(MENTION, out, m -> "<@" + discordUser(m.group(1)) + ">");
    if (chat && out.indexOf('@') >= 0) out = replace(AT_NAME, out, m -> UNKNOWN_USER);
    return out;
  }

  /** The first home-folder user name in a path, or null. */
  public static String homeUserOf(String path) {
    if (path == null) return null;
    Matcher m = HOME_PATH.matcher(path);
    if (m.find()) return m.group(2);
    m = HOME_FOLDER_NAME.matcher(path);
    return m.find() ? m.group(2) : null;
  }

  private synchronized String of(String input) {
    try {
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
      }
      byte[] d = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(d, 0, HEX_DIGITS / 2);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String replace(Pattern p, String text, java.util.function.Function<Matcher, String> with) {
    Matcher m = p.matcher(text);
    if (!m.find()) return text;
    StringBuilder sb = new StringBuilder(text.length());
    do m.appendReplacement(sb, Matcher.quoteReplacement(with.apply(m))); while (m.find());
    return m.appendTail(sb).toString();
  }

  @Override
  public String toString() {
    return "Pseudonyms(key not shown)";
  }
}
