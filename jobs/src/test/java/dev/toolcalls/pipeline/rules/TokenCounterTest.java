package dev.toolcalls.pipeline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  @Test
  void countsWithTheNamedEncodingPerRole() {
    TokenCounter o200k = new TokenCounter("o200k_base", "You control a game character.");
    TokenCounter cl100k = new TokenCounter("cl100k_base", "");
    assertEquals(4, o200k.count("Hello, world!")); // Hello | , | world | !
    assertEquals(4, cl100k.count("Hello, world!"));
    assertEquals(0, o200k.count(null));
    assertEquals(1, o200k.count("<|endoftext|>") > 1 ? 1 : 0, "special-token text counts as ordinary text, not an error");
    TokenCounter.Counts c = o200k.counts(java.util.Arrays.asList("Go to the bank", null), List.of("Walking."), List.of("send_command"), List.of("{\"command\": \"GOTO 1 2 0\"}"),
        java.util.Arrays.asList("{\"sent\": true}", null));
    assertEquals(o200k.count("You control a game character."), c.system());
    assertEquals(o200k.count("Go to the bank"), c.user());
    assertEquals(o200k.count("Walking.") + o200k.count("send_command") + o200k.count("{\"command\": \"GOTO 1 2 0\"}"), c.assistant());
    assertEquals(o200k.count("{\"sent\": true}"), c.tool());
    assertEquals(c.system() + c.user() + c.assistant() + c.tool(), c.total());
    assertEquals("o200k_base", o200k.encoding());
  }

  @Test
  void anUnknownEncodingIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> new TokenCounter("gpt5_base", ""));
    TokenCounter off = new TokenCounter("none", "a prompt");
    assertEquals(false, off.enabled());
    assertEquals(0, off.count("Hello"));
  }

  /** The per-thread memo of short texts gives the tokenizer's own counts, per encoding, also once texts have left it. */
  @Test
  void rememberedCountsAreTheTokenizersCounts() {
    TokenCounter o200k = new TokenCounter("o200k_base", ""), cl100k = new TokenCounter("cl100k_base", "");
    com.knuddels.jtokkit.api.EncodingRegistry r = com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry();
    com.knuddels.jtokkit.api.Encoding o = r.getEncoding(com.knuddels.jtokkit.api.EncodingType.O200K_BASE), c = r.getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE);
    String shortText = "{\"state\": {\"location\": {\"x\": 3200, \"y\": 3201}}, \"éclair\": \"naïve 🐟\"}";
    String longText = "word, ".repeat(TokenCounter.MEMO_MAX_CHARS);
    for (int round = 0; round < 2; round++) {
      assertEquals(o.countTokensOrdinary(shortText), o200k.count(shortText));
      assertEquals(c.countTokensOrdinary(shortText), cl100k.count(shortText), "the other encoding's memo is its own");
      assertEquals(o.countTokensOrdinary(longText), o200k.count(longText));
      for (int i = 0; i <= TokenCounter.MEMO_ENTRIES; i++) assertEquals(o.countTokensOrdinary("spot " + i), o200k.count("spot " + i)); // pushes the first text out
    }
  }
}
