package dev.toolcalls.pipeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolcalls.pipeline.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A text scrubbed again (from the thread's memo) gives the same text and counts its hits again, per scrubber and per kind of text. */
class ScrubberTest {
  static Scrubber scrubber(String key) {
    return new Scrubber(Redactor.from(PipelineConfig.defaults()), new Pseudonyms(key.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rememberedTextsGiveTheSameTextAndHits() {
    Scrubber a = scrubber("key-a"), b = scrubber("key-b");
    String text = "mail ann@example.com from 10.0.0.7, ping @Bob and <@391354168675139594>";
    Map<String, Long> first = new TreeMap<>(), second = new TreeMap<>();
    String once = a.text(text, true, first);
    assertEquals(once, a.text(text, true, second));
    assertEquals(first, second);
    assertEquals(Map.of("email", 1L, "ipv4", 1L), first);
    Map<String, Long> both = new TreeMap<>();
    a.text(text, true, both);
    a.text(text, true, both);
    assertEquals(Map.of("email", 2L, "ipv4", 2L), both, "every example's hits are counted, remembered or not");
    // Chat and non-chat texts are remembered apart: a bare @name is a person only in chat.
    String notChat = a.text(text, false, null);
    assertEquals(true, once.contains("<@u-") && !once.contains("@Bob"), once);
    assertEquals(true, notChat.contains("@Bob"), notChat);
    // Another scrubber (another key) gives other pseudonyms from the same thread.
    String other = b.text(text, true, null);
    assertEquals(false, once.equals(other), other);
    assertEquals(other, scrubber("key-b").text(text, true, null));
    // Longer texts are not remembered, scrubbed the same way.
    String longText = text + " x".repeat(Scrubber.MEMO_MAX_CHARS);
    assertEquals(a.text(longText, true, null), scrubber("key-a").text(longText, true, null));
  }
}
