package dev.toolcalls.pipeline.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  private static List<String> lines(String text, int buffer, List<Boolean> terminated) throws IOException {
    LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), buffer);
    List<String> out = new ArrayList<>();
    while (r.next()) {
      out.add(new String(r.buffer(), r.start(), r.length(), StandardCharsets.UTF_8));
      terminated.add(r.terminated());
      assertEquals(out.size(), r.lineNumber());
    }
    return out;
  }

  @Test
  void crlfAndLfReadTheSameAndTheLastLineMayLackANewline() throws IOException {
    List<Boolean> term = new ArrayList<>();
    assertEquals(List.of("a", "bb", "", "ccc"), lines("a\r\nbb\n\r\nccc", 1024, term));
    assertEquals(List.of(true, true, true, false), term);
  }

  @Test
  void linesLongerThanTheBufferGrowIt() throws IOException {
    String longLine = "x".repeat(10_000);
    List<Boolean> term = new ArrayList<>();
    assertEquals(List.of("ab", longLine, "c"), lines("ab\n" + longLine + "\nc\n", 16, term));
    assertTrue(term.get(2));
  }

  @Test
  void emptyInputHasNoLines() throws IOException {
    assertFalse(new LineReader(new ByteArrayInputStream(new byte[0])).next());
  }
}
