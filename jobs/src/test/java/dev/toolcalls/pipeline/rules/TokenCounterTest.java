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

  /**
   * JTokkit's own maps (a fresh registry's encoding) against the same encoding with BpeRankMaps
   * installed: the same tokens for every text, ASCII, JSON, accents, CJK, emoji, odd bytes.
   */
  @Test
  void ranksLookedUpWithoutJtokkitsCollidingHashGiveTheSameTokens() {
    List<String> texts = new java.util.ArrayList<>(List.of("Hello, world!", "{\"state\": {\"hp\": 12, \"loc\": [3200, 3200, 0]}}", "   spaces   and\ttabs\n\n",
        "Crème brûlée à Paris", "東京で釣りをする", "🎣🐟 fishing 🏦", "Small_fishing_net x1 RUNELITE 1234567890", "a".repeat(5000), "\u0000\u0001\uFFFD"));
    java.util.Random random = new java.util.Random(7);
    for (int n = 0; n < 400; n++) {
      StringBuilder sb = new StringBuilder();
      int length = 1 + random.nextInt(60);
      for (int i = 0; i < length; i++) {
        int pick = random.nextInt(10);
        sb.appendCodePoint(pick < 6 ? 32 + random.nextInt(95) : pick < 8 ? 0xA0 + random.nextInt(0x300) : pick < 9 ? 0x4E00 + random.nextInt(0x5000) : 0x1F300 + random.nextInt(0x300));
      }
      texts.add(sb.toString());
    }
    for (com.knuddels.jtokkit.api.EncodingType type : List.of(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE, com.knuddels.jtokkit.api.EncodingType.O200K_BASE)) {
      com.knuddels.jtokkit.api.Encoding plain = com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry().getEncoding(type);
      com.knuddels.jtokkit.api.Encoding fast = com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry().getEncoding(type);
      assertEquals(true, BpeRankMaps.install(fast), "JTokkit laid out as 1.1.0");
      assertEquals(true, BpeRankMaps.install(fast), "installing twice changes nothing");
      for (String t : texts) {
        assertEquals(plain.encodeOrdinary(t).boxed(), fast.encodeOrdinary(t).boxed(), type + ": " + t);
        assertEquals(plain.countTokensOrdinary(t), fast.countTokensOrdinary(t), type + ": " + t);
      }
    }
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
