package dev.toolcalls.pipeline.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  private static boolean valid(byte... b) {
    return Utf8.isValid(b, 0, b.length);
  }

  @Test
  void acceptsAsciiAccentsAndEmoji() {
    byte[] b = "plain, café, 日本, 🎣".getBytes(StandardCharsets.UTF_8);
    assertTrue(Utf8.isValid(b, 0, b.length));
  }

  @Test
  void rejectsWhatJavaWouldSilentlyReplace() {
    assertFalse(valid((byte) 0xC3)); // cut sequence
    assertFalse(valid((byte) 0xC0, (byte) 0xAF)); // overlong '/'
    assertFalse(valid((byte) 0xE0, (byte) 0x80, (byte) 0xAF)); // overlong
    assertFalse(valid((byte) 0xED, (byte) 0xA0, (byte) 0x80)); // surrogate
    assertFalse(valid((byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80)); // above U+10FFFF
    assertFalse(valid((byte) 'a', (byte) 0xFF, (byte) 'b'));
  }
}
