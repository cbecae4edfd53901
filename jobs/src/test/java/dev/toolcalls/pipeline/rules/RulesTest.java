package dev.toolcalls.pipeline.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesTest {
  static final Rules RULES = Rules.from(PipelineConfig.defaults());

  static String cmd(String c) {
    return "{\"command\": \"" + c + "\"}";
  }

  @Test
  void tagsComeFromTheVerbAndTheToolNameNotFromSubstrings() {
    // The older scripts tagged this fishing because the item name contains "fishing".
    assertArrayEquals(new String[] {"banking"}, RULES.tags.tags(List.of("send_command"), List.of(cmd("BANK_WITHDRAW 1 Small_fishing_net"))));
    // ... and restart_runelite navigation because of "RUN".
    assertArrayEquals(new String[] {"client"}, RULES.tags.tags(List.of("restart_runelite"), List.of("{}")));
    assertArrayEquals(new String[] {"fishing", "query", "state_check"},
        RULES.tags.tags(List.of("get_game_state", "send_command"), List.of("{}", cmd("FISH_DRAYNOR_LOOP 150"))));
    assertArrayEquals(new String[] {"navigation"}, RULES.tags.tags(List.of("send_command"), List.of("\"GOTO 3222 3218 0\"")));
    assertArrayEquals(new String[] {"fishing"}, RULES.tags.tags(List.of("send_command"), List.of(cmd("fish"))));
    assertArrayEquals(new String[] {"other"}, RULES.tags.tags(List.of("send_command", "teleport_home"), List.of(cmd("Net 3245, 3156"), "{}")));
    assertArrayEquals(new String[0], RULES.tags.tags(List.of(), List.of()));
  }

  @Test
  void textIsTaggedByTheCommandsAndToolsWrittenInItNotByProse() {
    String text = "When KILL_LOOP runs, call query_nearby first; then `send_command(\"BANK_OPEN\")`. "
        + "Fishing with a Small_fishing_net is not a command, nor is BAD or GOOD or the NPC.";
    assertArrayEquals(new String[] {"banking", "combat", "discovery", "query"}, RULES.tags.tagsInText(text));
    assertArrayEquals(new String[0], RULES.tags.tagsInText("plain prose about fishing and banking"));
    assertArrayEquals(new String[0], RULES.tags.tagsInText(null));
  }

  @Test
  void qualityFollowsOutcomeAndWholeWords() {
    assertEquals(0.85, RULES.quality.score("ok", "Started the Draynor fishing routine."));
    assertEquals(0.85, RULES.quality.score("ok", "The client has been restarted."));
    assertEquals(0.5, RULES.quality.score("ok", "I couldn't find a small fishing net nearby."));
    assertEquals(0.5, RULES.quality.score("ok", "Got an error: busy"));
    assertEquals(0.7, RULES.quality.score("ok", "Traveling to 3222 3218."));
    assertEquals(0.7, RULES.quality.score("ok", "Errorless run undone")); // not whole words
    assertEquals(0.5, RULES.quality.score("ok", " \n"));
    assertEquals(0.3, RULES.quality.score("error", "Started fishing."));
    assertEquals(0.3, RULES.quality.score("error", null));
  }

  @Test
  void taskTypePrefersTheBotsLabelThenTheRules() {
    assertEquals("status_query", RULES.taskTypes.taskType("status_query", "Go", List.of(), List.of()));
    assertEquals("loop_command", RULES.taskTypes.taskType(null, "kill frogs", List.of("send_command"), List.of(cmd("KILL_LOOP Frog"))));
    assertEquals("status_query", RULES.taskTypes.taskType(null, "Where r u", List.of("get_game_state"), List.of("{}")));
    assertEquals("simple_command", RULES.taskTypes.taskType(null, "Open bank", List.of("send_command"), List.of(cmd("BANK_OPEN"))));
    assertEquals("conversation", RULES.taskTypes.taskType(null, "Hey", List.of(), List.of()));
    assertEquals("multi_step", RULES.taskTypes.taskType(null, "Bank it all",
        List.of("send_command", "send_command", "send_command"), List.of(cmd("BANK_OPEN"), cmd("BANK_DEPOSIT_ALL"), cmd("BANK_CLOSE"))));
  }

  @Test
  void multiStepCountsGameActionsNotLookups() {
    assertEquals("direct_execution", RULES.taskTypes.exampleType(List.of("get_game_state", "get_game_state", "get_game_state", "send_command")));
    assertEquals("multi_step", RULES.taskTypes.exampleType(List.of("send_command", "get_game_state", "send_command", "restart_runelite")));
  }

  @Test
  void aBrokenRuleFileIsABadInputError() {
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of("rules.quality=/nonexistent/quality.yaml");
    assertThrows(BadInputException.class, () -> Rules.from(PipelineConfig.load(s)));
    PipelineConfig.Sources s2 = new PipelineConfig.Sources();
    s2.overrides = List.of("profile=nowhere");
    assertThrows(BadInputException.class, () -> PipelineConfig.load(s2));
  }
}
