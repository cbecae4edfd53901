package dev.toolcalls.pipeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each pattern of the shipped conf/privacy.yaml: what it must replace, and look-alikes it must leave. */
class RedactorTest {
  private static final Redactor R = Redactor.from(PipelineConfig.defaults());

  /** Planted values of every type (none of them real), shared with the end-to-end test. */
  static final Map<String, String> PLANTED = Map.of(
      "discord_token", "MTA5ODc2NTQzMjEwOTg3NjU0MzI.GhT4bQ.abcdefghijklmnopqrstuvwxyz0123456789AB",
      "anthropic_key", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
      "openai_key", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
      "aws_access_key", "AKIAIOSFODNN7EXAMPLE",
      "aws_secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "github_token", "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
      "jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "url_password", "hunter2secret",
      "email", "jane.doe+bot@example.org",
      "ipv4", "203.0.113.42");

  private static String redact(String text, Map<String, Long> counts) {
    return R.redact(text, counts);
  }

  private static void assertRedacted(String type, String text, String expected) {
    Map<String, Long> counts = new TreeMap<>();
    assertEquals(expected, redact(text, counts), type);
    assertEquals(Map.of(type, 1L), counts, type);
  }

  private static void assertUntouched(String text) {
    Map<String, Long> counts = new TreeMap<>();
    assertEquals(text, redact(text, counts));
    assertEquals(Map.of(), counts, text);
  }

  @Test
  void discordToken() {
    assertRedacted("discord_token", "token=" + PLANTED.get("discord_token") + " ok", "token=<SECRET:discord_token> ok");
    assertUntouched("MTA5ODc2NTQzMjEwOTg3NjU0MzI is a base64 id without the rest");
  }

  @Test
  void anthropicKeyBeforeOpenAi() {
    assertRedacted("anthropic_key", "ANTHROPIC_API_KEY=" + PLANTED.get("anthropic_key"), "ANTHROPIC_API_KEY=<SECRET:anthropic_key>");
  }

  @Test
  void openAiKey() {
    assertRedacted("openai_key", "\"key\": \"" + PLANTED.get("openai_key") + "\"", "\"key\": \"<SECRET:openai_key>\"");
    assertRedacted("openai_key", "sk-AbCdEfGhIjKlMnOpQrStUvWx", "<SECRET:openai_key>");
    assertUntouched("task-risk-assessment and desk-lamp: sk- short");
  }

  @Test
  void awsKeys() {
    assertRedacted("aws_access_key", "id " + PLANTED.get("aws_access_key") + ".", "id <SECRET:aws_access_key>.");
    assertRedacted("aws_secret_key", "aws_secret_access_key = " + PLANTED.get("aws_secret_key"), "aws_secret_access_key = <SECRET:aws_secret_key>");
    // 40 characters of base64 with no AWS name next to them: a hash, not a key.
    assertUntouched("sha1 0123456789abcdef0123456789abcdef01234567 and AKIA plus short AKIA123");
  }

  @Test
  void githubToken() {
    assertRedacted("github_token", "GITHUB_TOKEN=" + PLANTED.get("github_token"), "GITHUB_TOKEN=<SECRET:github_token>");
    assertRedacted("github_token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "<SECRET:github_token>");
    assertUntouched("ghp_short and the_ghp_tokenizer");
  }

  @Test
  void jwt() {
    assertRedacted("jwt", "Authorization: Bearer " + PLANTED.get("jwt"), "Authorization: Bearer <SECRET:jwt>");
    assertUntouched("eyJ alone, or a.b.c");
  }

  @Test
  void urlPasswordKeepsTheRestOfTheUrl() {
    assertRedacted("url_password", "postgres://bot:" + PLANTED.get("url_password") + "@db.internal:5432/x", "postgres://bot:<SECRET:url_password>@db.internal:5432/x");
    assertUntouched("https://example.org:8080/path and http://host/a:b@c");
  }

  @Test
  void email() {
    assertRedacted("email", "mail " + PLANTED.get("email") + ", thanks", "mail <EMAIL>, thanks");
    // Discord mentions and decorators are not addresses.
    assertUntouched("@astron6695 said hi; @Override; user@localhost");
  }

  @Test
  void ipv4() {
    assertRedacted("ipv4", "server at " + PLANTED.get("ipv4") + ".", "server at <IP>.");
    // Versions, longer dotted runs, out-of-range parts, coordinates: not addresses.
    assertUntouched("RuneLite 1.10.34, v1.2.3.4, 1.2.3.4.5, 256.1.1.1, loc=(3222,3218,0), 3.5.4");
  }

  @Test
  void countsEveryHitAndLeavesNullAlone() {
    Map<String, Long> counts = new TreeMap<>();
    assertEquals("<IP> <IP> <EMAIL>", redact("10.0.0.1 10.0.0.2 a@b.io", counts));
    assertEquals(Map.of("ipv4", 2L, "email", 1L), counts);
    assertEquals(null, redact(null, counts));
  }

  @Test
  void everyPlantedValueIsRemoved() {
    for (Map.Entry<String, String> e : PLANTED.entrySet()) {
      String text = switch (e.getKey()) {
        case "aws_secret_key" -> "AWS_SECRET_ACCESS_KEY=" + e.getValue();
        case "url_password" -> "https://admin:" + e.getValue() + "@example.net/";
        default -> "x " + e.getValue() + " y";
      };
      Map<String, Long> counts = new TreeMap<>();
      String out = redact(text, counts);
      assertEquals(false, out.contains(e.getValue()), out);
      assertEquals(Map.of(e.getKey(), 1L), counts, e.getKey());
    }
    assertEquals(List.copyOf(new java.util.TreeSet<>(PLANTED.keySet())), List.copyOf(new java.util.TreeSet<>(R.types())));
  }

  @Test
  void badPatternIsBadInput() {
    assertThrows(BadInputException.class, () -> new Redactor(List.of(new Redactor.Rule("x", "(", "<X>"))));
  }

  /**
   * requires_run only spares texts that cannot hold a hit: every shortest and longest token and
   * address, at the start, the end and next to non-ASCII text, is still found; texts without the
   * run are left as they are; a bad class is an error.
   */
  @Test
  void requiresRunNeverSkipsAHit() {
    String shortest = "M" + "a".repeat(23) + ".bcdefg." + "h".repeat(27), longest = "O" + "a".repeat(27) + ".bcdefg." + "h".repeat(40);
    for (String token : List.of(shortest, longest, PLANTED.get("discord_token"))) {
      for (String text : List.of(token, "é" + token + " ü", "token=" + token + ".")) {
        assertEquals(text.replace(token, "<SECRET:discord_token>"), redact(text, null), text);
      }
    }
    for (String ip : List.of("0.0.0.0", "255.255.255.255", "1.2.3.4")) assertEquals("ü<IP>", redact("ü" + ip, null), ip);
    Redactor.Run run = new Redactor.Run("A-Za-z0-9_-", 24, '.');
    boolean[] in = Redactor.Run.classOf("A-Za-z0-9_-");
    assertEquals(false, run.holds("a".repeat(23) + ".", in));
    assertEquals(true, run.holds("a".repeat(24) + ".", in));
    assertEquals(true, run.holds("x-" + "a".repeat(22) + ".", in), "'-' is in the class");
    assertEquals(false, run.holds("a".repeat(12) + "é" + "a".repeat(12) + ".", in), "a non-ASCII char ends a run");
    assertEquals(false, run.holds("a".repeat(30), in), "not followed by the char");
    assertThrows(BadInputException.class, () -> new Redactor.Run("z-a", 1, '.'));
    assertThrows(BadInputException.class, () -> new Redactor.Run("", 1, '.'));
    assertThrows(BadInputException.class, () -> new Redactor.Run("0-9", 0, '.'));
    assertThrows(BadInputException.class, () -> new Redactor.Run("0-9.", 1, '.'), "the char that ends a run cannot be in it");
    Redactor.Run dotted = new Redactor.Run("0-9", 1, '.', 3);
    boolean[] digits = Redactor.Run.classOf("0-9");
    assertEquals(true, dotted.holds("ip 10.0.0.1".toCharArray(), digits));
    assertEquals(true, dotted.holds("1.2.3.".toCharArray(), digits));
    assertEquals(false, dotted.holds("v1.10.x 2026-01-01T10:00:00.123456 3.5".toCharArray(), digits), "two in a row at most");
    assertEquals(false, dotted.holds("1.2..3.4".toCharArray(), digits));
    // Literals in any case: the AWS secret's name as people write it.
    for (String name : List.of("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "Aws_Secret_Key")) {
      assertEquals(name + "=<SECRET:aws_secret_key>", redact(name + "=" + PLANTED.get("aws_secret_key"), null), name);
    }
  }

  /** The one-pass literal search finds literals anywhere: last position, sharing a first char, non-ASCII, after an earlier replacement. */
  @Test
  void literalsAreFoundWherever() {
    Redactor r = new Redactor(List.of(
        new Redactor.Rule("umlaut", "ü+", "<U>", List.of("ü")),
        new Redactor.Rule("long", "sk-ant-\\w+", "<LONG>", List.of("sk-ant-")),
        new Redactor.Rule("short", "sk-\\w+", "<SHORT>", List.of("sk-", "zz")),
        new Redactor.Rule("last", "q$", "<Q>", List.of("q"))));
    Map<String, Long> counts = new TreeMap<>();
    assertEquals("a<U>b <LONG> <SHORT> <Q>", r.redact("aüüb sk-ant-x1 sk-y2 q", counts));
    assertEquals(Map.of("umlaut", 1L, "long", 1L, "short", 1L, "last", 1L), counts);
    assertEquals("nothing here", r.redact("nothing here", null));
    assertEquals("<Q>", r.redact("q", null));
  }
}
