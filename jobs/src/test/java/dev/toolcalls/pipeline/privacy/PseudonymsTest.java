package dev.toolcalls.pipeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymsTest {
  private static final Pseudonyms P = new Pseudonyms("test-key-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private static final Pseudonyms OTHER = new Pseudonyms("another-key-0123456789abcdef0123456789abcd".getBytes(StandardCharsets.UTF_8));

  @Test
  void keyedStableAndShort() {
    String k = P.discordUser("391354168675139594");
    assertTrue(k.matches("u-[0-9a-f]{16}"), k);
    assertEquals(k, new Pseudonyms("test-key-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).discordUser("391354168675139594"));
    assertNotEquals(k, OTHER.discordUser("391354168675139594"));
    assertNotEquals(k, P.homeUser("391354168675139594"));
    // Not a plain hash of the id: SHA-256("discord:391354168675139594") starts otherwise.
    assertNotEquals("u-" + sha256Hex("discord:391354168675139594").substring(0, 16), k);
    assertEquals("Pseudonyms(key not shown)", P.toString());
  }

  @Test
  void discordMentionsAndNames() {
    String a = P.discordUser("391354168675139594"), b = P.discordUser("222222222222222222");
    Map<String, String> names = Map.of("astron6695", a);
    assertEquals("hi <@" + b + "> and <@" + b + ">, I am @" + a + " (" + a + ") mail bob@astron6695.com @someone @everyone",
        P.discordText("hi <@222222222222222222> and <@!222222222222222222>, I am @Astron6695 (391354168675139594) mail bob@astron6695.com @someone @everyone",
            "391354168675139594", names));
    // Idempotent: a pseudonymised text stays as it is.
    String once = P.discordText("<@222222222222222222> @astron6695", null, names);
    assertEquals(once, P.discordText(once, null, names));
    assertEquals(once, P.forExport(once, true));
  }

  @Test
  void homeFolders() {
    String h = P.homeUser("player");
    assertEquals("{\"path\": \"/home/" + h + "/code/x.py\", \"mac\": \"/Users/" + P.homeUser("Jane") + "\", \"win\": \"C:\\\\Users\\\\" + P.homeUser("jd") + "\\\\x\"}",
        P.homePaths("{\"path\": \"/home/player/code/x.py\", \"mac\": \"/Users/Jane\", \"win\": \"C:\\\\Users\\\\jd\\\\x\"}"));
    assertEquals("-home-" + h + "-manny-mcp/abc.jsonl", P.homePaths("-home-player-manny-mcp/abc.jsonl"));
    assertEquals("-home-" + h + "-manny-mcp/abc.jsonl", P.homePaths(P.homePaths("-home-player-manny-mcp/abc.jsonl")));
    assertEquals("player", Pseudonyms.homeUserOf("-home-player-manny-mcp/abc.jsonl"));
    assertEquals("jane", Pseudonyms.homeUserOf("x/-Users-jane-code/abc.jsonl"));
    assertEquals(null, Pseudonyms.homeUserOf("projects/abc.jsonl"));
  }

  @Test
  void exportTextHidesUnknownNamesInChatOnly() {
    assertEquals("ask @<USER> or @here; <@" + P.discordUser("123456789") + ">", P.forExport("ask @bob.smith or @here; <@123456789>", true));
    assertEquals("@Override void f()", P.forExport("@Override void f()", false));
  }

  @Test
  void keyFromEnvironmentOrCreatedFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/pseudonym.key");
    PipelineConfig config = config("privacy.key_file=" + file);
    ByteArrayOutputStream notice = new ByteArrayOutputStream();
    byte[] created = PseudonymKey.load(config, Map.of(), new PrintStream(notice, true, StandardCharsets.UTF_8));
    assertTrue(Files.exists(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(64, new String(created, StandardCharsets.UTF_8).length());
    assertTrue(notice.toString(StandardCharsets.UTF_8).contains(file.toString()));
    assertTrue(!notice.toString(StandardCharsets.UTF_8).contains(new String(created, StandardCharsets.UTF_8)), "the key is never printed");
    // Read again: the same key, no second notice.
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    assertEquals(new String(created, StandardCharsets.UTF_8), new String(PseudonymKey.load(config, Map.of(), new PrintStream(again)), StandardCharsets.UTF_8));
    assertEquals(0, again.size());
    // The variable wins over the file; the same text in either gives the same key.
    String text = "x".repeat(40);
    assertEquals(text, new String(PseudonymKey.load(config, Map.of("PIPELINE_PSEUDONYM_KEY", text + "\n"), new PrintStream(again)), StandardCharsets.UTF_8));
    assertThrows(BadInputException.class, () -> PseudonymKey.load(config, Map.of("PIPELINE_PSEUDONYM_KEY", "short"), new PrintStream(again)));
  }

  private static PipelineConfig config(String... overrides) {
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of(overrides);
    return PipelineConfig.load(s);
  }

  private static String sha256Hex(String s) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
