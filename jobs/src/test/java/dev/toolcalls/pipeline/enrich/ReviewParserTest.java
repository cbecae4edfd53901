package dev.toolcalls.pipeline.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.util.Timestamps;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewParserTest {
  static final long FILE_TIME = Timestamps.parseMicros("2026-02-01T10:00:00");

  static ReviewParser.Parsed parse(String line) {
    return ReviewParser.parse(line, 7, "ana", FILE_TIME);
  }

  @Test
  void aReviewKeepsWhatItSaysAndTakesTheFileTimeAndDefaultReviewer() {
    ReviewParser.Parsed p = parse("{\"id\": \"dc-1\", \"example_type\": \"negative\", \"quality_score\": 0.2, \"tags_add\": [\"prerequisites\"], \"why\": [\"error\"], \"example\": {\"id\": \"dc-1\"}}");
    assertNull(p.error());
    Review r = p.review();
    assertEquals(new Review(7, "dc-1", "review", null, "negative", null, null, null, null, null, null, null, 0.2, List.of("prerequisites"), null, "ana", FILE_TIME, null), r);
  }

  @Test
  void aNewExampleGetsAnIdFromWhatItSaysNotFromItsLine() {
    String line = "{\"derived_from\": [\"dc-2\", \"dc-1\"], \"example_type\": \"reasoning_chain\", \"problem\": \"no net\", \"reasoning\": \"check  the inventory\"}";
    Review a = ReviewParser.parse(line, 1, "ana", FILE_TIME).review();
    Review b = ReviewParser.parse(line.replace("[\"dc-2\", \"dc-1\"]", "[\"dc-1\", \"dc-2\"]").replace("  ", " "), 9, "bob", FILE_TIME + 1).review();
    assertEquals("added", a.kind());
    assertTrue(a.id().startsWith("en-"));
    assertEquals(a.id(), b.id());
  }

  @Test
  void everyBadLineSaysWhy() {
    assertEquals("quality_score 1.5 is outside 0..1", parse("{\"id\": \"dc-1\", \"quality_score\": 1.5}").error());
    assertEquals("quality_score is not a number: \"high\"", parse("{\"id\": \"dc-1\", \"quality_score\": \"high\"}").error());
    assertEquals("unknown fields colour, size", parse("{\"id\": \"dc-1\", \"colour\": 1, \"size\": 2}").error());
    assertEquals("no id: name the example reviewed (or give derived_from for a new example)", parse("{\"reasoning\": \"x\"}").error());
    assertEquals("a new example (derived_from) needs example_type reasoning_chain or code_correction", parse("{\"derived_from\": [\"dc-1\"], \"example_type\": \"negative\"}").error());
    assertEquals("tags_add is not a list of strings: \"a\"", parse("{\"id\": \"dc-1\", \"tags_add\": \"a\"}").error());
    assertEquals("reviewed_at is not an ISO-8601 time: yesterday", parse("{\"id\": \"dc-1\", \"reviewed_at\": \"yesterday\"}").error());
    assertEquals("not a JSON object", parse("[1]").error());
    assertTrue(parse("{\"id\": ").error().startsWith("not valid JSON"));
    assertEquals(7, parse("{\"id\": ").lineNumber());
  }

  @Test
  void anUntouchedCandidateLineChangesNothing() {
    assertTrue(parse("{\"id\": \"dc-1\", \"why\": [\"error\"], \"example_type\": null, \"reasoning\": null, \"tags_add\": null}").review().isEmpty());
  }
}
