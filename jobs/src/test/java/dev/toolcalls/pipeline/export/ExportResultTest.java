package dev.toolcalls.pipeline.export;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The export summary says when the splits came out far from the validation share asked for. */
class ExportResultTest {
  static ExportJob.Result result(double fraction, Map<String, Long> counts) {
    return new ExportJob.Result("/out", "session", fraction, 1000, 0, 0, Map.of("unified", counts), Map.of(), Map.of(), Map.of(), null);
  }

  @Test
  void anEmptyOrLopsidedValidationSplitIsWarnedAbout() {
    String allTrain = result(0.05, Map.of("train", 1551L)).splitWarning();
    assertTrue(allTrain.startsWith("the validation split holds 0.0% of the examples (asked for 5.0%)"), allTrain);
    assertTrue(result(0.05, Map.of("train", 1551L)).toText().contains("  warning: the validation split holds 0.0%"));
    String tooMuch = result(0.1, Map.of("train", 700L, "validation", 300L)).splitWarning();
    assertTrue(tooMuch.contains("holds 30.0% of the examples (asked for 10.0%)") && tooMuch.contains("--split-by id"), tooMuch);
  }

  @Test
  void aShareNearTheOneAskedForOrNoValidationAskedIsNot() {
    assertNull(result(0.1, Map.of("train", 880L, "validation", 120L)).splitWarning());
    assertNull(result(0.0, Map.of("train", 1000L)).splitWarning());
    assertNull(result(0.1, Map.of("train", 10L, "validation", 5L)).splitWarning(), "too few examples to judge a share, but some validation");
  }
}
