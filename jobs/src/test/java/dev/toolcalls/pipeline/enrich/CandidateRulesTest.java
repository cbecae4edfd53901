package dev.toolcalls.pipeline.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.rules.Rules;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateRulesTest {
  static final PipelineConfig CONFIG = PipelineConfig.defaults();
  static final CandidateRules RULES = CandidateRules.from(CONFIG, Rules.from(CONFIG));

  static String cmd(String c) {
    return "{\"command\": \"" + c + "\"}";
  }

  @Test
  void errorsFailureWordsAndLowScoresAreCandidates() {
    assertEquals(List.of("error", "low_quality"), RULES.reasons("error", 0.3, null, "Fish", List.of(), List.of(), List.of()));
    assertEquals(List.of("failure_words", "low_quality"), RULES.reasons("ok", 0.5, "I couldn't find a path.", "Go", List.of("send_command"), List.of(cmd("GOTO 1 2 0")), List.of(false)));
    assertEquals(List.of(), RULES.reasons("ok", 0.85, "Started fishing.", "Start fishing", List.of("send_command"), List.of(cmd("FISH")), List.of(false)));
  }

  @Test
  void aCommandRetriedAfterItFailedOrSentTwiceAsIsIsACandidateButAWalkIsNot() {
    List<String> tools = List.of("send_command", "send_command");
    assertEquals(List.of("retried_command"), RULES.reasons("ok", 0.85, "Started.", "fish trout", tools, List.of(cmd("FISH trout"), cmd("FISH Lure")), List.of(true, false)));
    assertEquals(List.of("repeated_command"), RULES.reasons("ok", 0.85, "Started.", "fish", tools, List.of(cmd("FISH"), cmd("FISH")), Arrays.asList(null, null)));
    assertEquals(List.of(), RULES.reasons("ok", 0.85, "Done.", "walk to the bank", tools, List.of(cmd("GOTO 1 2 0"), cmd("GOTO 3 4 0")), List.of(false, false)));
  }

  @Test
  void aRequestWithMoreStepsThanActionsIsACandidate() {
    assertEquals(List.of("fewer_actions_than_asked"),
        RULES.reasons("ok", 0.7, "Opening the bank.", "Open the bank and withdraw one small fishing net", List.of("get_game_state", "send_command"), List.of("{}", cmd("BANK_OPEN")), List.of(false, false)));
    assertEquals(3, RULES.stepsAsked("go to the bank, then open it and deposit"));
  }
}
