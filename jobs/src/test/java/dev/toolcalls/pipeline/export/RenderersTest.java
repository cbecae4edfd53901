package dev.toolcalls.pipeline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.toolcalls.pipeline.config.PipelineConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each format's exact text for hand-made examples. */
class RenderersTest {
  static final ExportSettings S = ExportSettings.from(PipelineConfig.defaults());
  static final String SYSTEM = "<|im_start|>system\n" + S.systemPrompt + "<|im_end|>\n";
  /** The OpenAI tool list: the registry's tools (conf/tools/registry.yaml), the same in every record. */
  static final String TOOLS = Json.write(S.registry.openAiTools(List.of()));

  static ExportExample example(String type, String message, String state, List<ExportExample.Call> calls, String response, String reasoning) {
    return new ExportExample("dc-0000000000000001", "discord", type, message, state, null, calls, response, reasoning, null, null, null, null,
        "navigation", List.of("navigation"), 0.85, "ok", null);
  }

  static final String STATE = "{\"location\": {\"x\": 3222, \"y\": 3218, \"plane\": 0}, \"health\": {\"current\": 7, \"max\": 40}, \"inventory\": {\"used\": 0}}";
  static final List<ExportExample.Call> TWO_CALLS = List.of(
      new ExportExample.Call("get_game_state", "{\"fields\": [\"location\", \"health\"]}", "{\"success\": true, \"state\": " + STATE + "}", false),
      new ExportExample.Call("send_command", "{\"command\": \"GOTO 3087 3228 0\"}", "{\"dispatched\": true}", false));

  @Test
  void chatmlWithStateLineAndTwoToolCalls() {
    ExportExample e = example("multi_step", "Go to draynor", STATE, TWO_CALLS, "Walking to Draynor.", "Check hp first.");
    assertEquals(SYSTEM
        + "<|im_start|>user\n[State: loc=(3222,3218,0) hp=7/40]\nGo to draynor<|im_end|>\n"
        + "<|im_start|>assistant\n<tool_call>get_game_state({\"fields\":[\"location\",\"health\"]})</tool_call>\n"
        + "<tool_call>send_command({\"command\":\"GOTO 3087 3228 0\"})</tool_call>\nWalking to Draynor.<|im_end|>",
        ChatmlRenderer.render(e, S, false, false));
    assertEquals(SYSTEM
        + "<|im_start|>user\n[State: loc=(3222,3218,0) hp=7/40]\nGo to draynor<|im_end|>\n"
        + "<|im_start|>assistant\n<thinking>\nCheck hp first.\n</thinking>\n<tool_call>get_game_state({\"fields\":[\"location\",\"health\"]})</tool_call>\n"
        + "<tool_call>send_command({\"command\":\"GOTO 3087 3228 0\"})</tool_call>\nWalking to Draynor.<|im_end|>",
        ChatmlRenderer.render(e, S, true, false));
  }

  @Test
  void chatmlWithoutToolCallsKeepsUnicodeAndNewlines() {
    ExportExample e = example("direct_execution", "Salut ! Où es-tu ?\nRéponds vite 🙂", null, List.of(), "Je suis à Lumbridge.\nÀ bientôt.", null);
    assertEquals(SYSTEM + "<|im_start|>user\nSalut ! Où es-tu ?\nRéponds vite 🙂<|im_end|>\n<|im_start|>assistant\nJe suis à Lumbridge.\nÀ bientôt.<|im_end|>",
        ChatmlRenderer.render(e, S, false, false));
  }

  @Test
  void aNegativeIsAWhatNotToDoNoteOnlyWhenAskedFor() {
    ExportExample e = new ExportExample("dc-2", "discord", "negative", "Do the fishing routine", null, null,
        List.of(new ExportExample.Call("send_command", "\"FISH_DRAYNOR_LOOP\"", null, null)), "Started.", "Started without a net.", null, null, null, null,
        "loop_command", List.of(), 0.3, "ok", null);
    assertNull(ChatmlRenderer.render(e, S, false, false));
    assertEquals(SYSTEM + "<|im_start|>user\nDo the fishing routine<|im_end|>\n<|im_start|>assistant\nWhat NOT to do:\n"
        + "<tool_call>send_command(\"FISH_DRAYNOR_LOOP\")</tool_call>\nWhy: Started without a net.<|im_end|>", ChatmlRenderer.render(e, S, false, true));
    assertNull(OpenAiRenderer.render(e, S, false, false));
  }

  @Test
  void aReasoningChainIsAProblemAndItsAnswer() {
    ExportExample e = new ExportExample("jr-1", "journal", "reasoning_chain", null, null, null, List.of(), null,
        "Check the door before attacking.", "Combat targets NPCs behind closed doors", "LOS uses static map data", null, null, "lesson", List.of(), 0.9, "ok", null);
    assertEquals(SYSTEM + "<|im_start|>user\nCombat targets NPCs behind closed doors<|im_end|>\n<|im_start|>assistant\n"
        + "Root cause: LOS uses static map data\n\nCheck the door before attacking.<|im_end|>", ChatmlRenderer.render(e, S, false, false));
    assertEquals("{\"messages\":[{\"role\":\"system\",\"content\":\"" + S.systemPrompt + "\"},{\"role\":\"user\",\"content\":\"Combat targets NPCs behind closed doors\"},"
        + "{\"role\":\"assistant\",\"content\":\"Root cause: LOS uses static map data\\n\\nCheck the door before attacking.\"}],\"tools\":" + TOOLS + "}",
        OpenAiRenderer.render(e, S, false, false));
    assertNull(AxolotlRenderer.render(e, S, false, false));
  }

  @Test
  void aCodeCorrectionShowsTheBadCodeAndAnswersWithTheGoodOne() {
    ExportExample e = new ExportExample("jr-2", "journal", "code_correction", null, null, null, List.of(), null, "Item name first.", null, null,
        "send_command(\"BANK_WITHDRAW 1 Small_fishing_net\")", "send_command(\"BANK_WITHDRAW Small_fishing_net 1\")", "lesson", List.of(), 0.9, "ok", null);
    assertEquals(SYSTEM + "<|im_start|>user\nFix this code:\n```\nsend_command(\"BANK_WITHDRAW 1 Small_fishing_net\")\n```<|im_end|>\n<|im_start|>assistant\n"
        + "```\nsend_command(\"BANK_WITHDRAW Small_fishing_net 1\")\n```\n\nItem name first.<|im_end|>", ChatmlRenderer.render(e, S, false, false));
  }

  @Test
  void openAiCallsCarryIdsResultsAndTheRegistrysTools() {
    List<ExportExample.Call> calls = List.of(
        new ExportExample.Call("send_command", "\"GOTO 1 2 0\"", "{\"dispatched\": true}", false),
        new ExportExample.Call("send_command", "{\"command\": \"FISH\", \"count\": 3}", null, null));
    ExportExample e = example("multi_step", "walk then fish", null, calls, "Fishing.", null);
    assertEquals("{\"messages\":[{\"role\":\"system\",\"content\":\"" + S.systemPrompt + "\"},{\"role\":\"user\",\"content\":\"walk then fish\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
        + "{\"id\":\"call_0\",\"type\":\"function\",\"function\":{\"name\":\"send_command\",\"arguments\":\"{\\\"command\\\":\\\"GOTO 1 2 0\\\"}\"}},"
        + "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"send_command\",\"arguments\":\"{\\\"command\\\":\\\"FISH\\\",\\\"count\\\":3}\"}}]},"
        + "{\"role\":\"tool\",\"content\":\"{\\\"dispatched\\\":true}\",\"tool_call_id\":\"call_0\"},{\"role\":\"tool\",\"content\":\"\",\"tool_call_id\":\"call_1\"},"
        + "{\"role\":\"assistant\",\"content\":\"Fishing.\"}],"
        + "\"tools\":" + TOOLS + "}",
        OpenAiRenderer.render(e, S, false, false));
  }

  @Test
  void anUnregisteredToolCalledIsListedWithAnOpenSchemaAndCalledOnlyListsTheCalledOnes() {
    ExportExample e = example("direct_execution", "wait", null, List.of(new ExportExample.Call("WAIT", "{\"ms\": 5000}", null, null)), "Waited.", null);
    String all = OpenAiRenderer.render(e, S, false, false);
    assertEquals("\"tools\":" + TOOLS.substring(0, TOOLS.length() - 1)
        + ",{\"type\":\"function\",\"function\":{\"name\":\"WAIT\",\"description\":\"Not in the tool registry.\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]}",
        all.substring(all.indexOf("\"tools\":")));
    ExportSettings called = new ExportSettings(S.systemPrompt, S.stateLineFormat, S.stateLocation, S.stateHealth, S.toolCall, S.negativeNote, S.commandArgument, S.registry, false);
    String some = OpenAiRenderer.render(example("multi_step", "Go", STATE, TWO_CALLS, "Walking.", null), called, false, false);
    assertEquals(List.of("get_game_state", "send_command"),
        java.util.stream.StreamSupport.stream(Json.value(some).path("tools").spliterator(), false).map(t -> t.path("function").path("name").asText()).sorted().toList());
  }

  @Test
  void eachFormatSaysWhatItCouldNotCarry() {
    ExportExample walk = new ExportExample("dc-1", "discord", "multi_step", "Go", STATE, "{\"channel\": \"x\"}", TWO_CALLS, "Walking.", "Check hp first.",
        null, null, null, null, "navigation", List.of(), 0.85, "ok", null);
    assertEquals(List.of(), ExportLosses.of(ExportFormat.UNIFIED, walk, false, false));
    assertEquals(List.of("reasoning", "tool_results", "game_state", "context"), ExportLosses.of(ExportFormat.CHATML, walk, false, false));
    assertEquals(List.of("tool_results", "game_state", "context"), ExportLosses.of(ExportFormat.CHATML, walk, true, false));
    assertEquals(List.of("system_prompt", "reasoning", "tool_results", "game_state", "context"), ExportLosses.of(ExportFormat.AXOLOTL, walk, false, false));
    assertEquals(List.of("call_order", "game_state", "context"), ExportLosses.of(ExportFormat.OPENAI, walk, true, false));
    // Without calls OpenAI has no message to put reasoning in, even with --with-reasoning.
    ExportExample talk = example("direct_execution", "Hi", null, List.of(), "Hello.", "Be brief.");
    assertEquals(List.of("reasoning"), ExportLosses.of(ExportFormat.OPENAI, talk, true, false));
    assertEquals(List.of(), ExportLosses.of(ExportFormat.CHATML, talk, true, false));
    ExportExample lesson = new ExportExample("jr-1", "journal", "reasoning_chain", null, null, null, List.of(), null, "Check the door.", "Blocked", "LOS", null, null,
        "lesson", List.of(), 0.9, "ok", null);
    assertEquals(List.of("whole_example"), ExportLosses.of(ExportFormat.AXOLOTL, lesson, false, false));
    assertNull(AxolotlRenderer.render(lesson, S, false, false));
    assertEquals(List.of(), ExportLosses.of(ExportFormat.OPENAI, lesson, false, false));
  }

  @Test
  void axolotlIsInstructionInputOutput() {
    ExportExample e = example("multi_step", "Go to draynor", STATE, TWO_CALLS, "Walking to Draynor.", null);
    assertEquals("{\"instruction\":\"Go to draynor\",\"input\":\"[State: loc=(3222,3218,0) hp=7/40]\",\"output\":"
        + "\"<tool_call>get_game_state({\\\"fields\\\":[\\\"location\\\",\\\"health\\\"]})</tool_call>\\n"
        + "<tool_call>send_command({\\\"command\\\":\\\"GOTO 3087 3228 0\\\"})</tool_call>\\nWalking to Draynor.\"}", AxolotlRenderer.render(e, S, false, false));
  }
}
