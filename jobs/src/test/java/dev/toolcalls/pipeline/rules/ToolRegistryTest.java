package dev.toolcalls.pipeline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.generate.DiscordLogGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolRegistryTest {
  static final ToolRegistry REGISTRY = Rules.from(PipelineConfig.defaults()).registry;
  static final ObjectMapper JSON = new ObjectMapper();

  static List<ToolRegistry.Problem> check(String tool, String args) {
    return REGISTRY.check(List.of(tool), java.util.Collections.singletonList(args));
  }

  @Test
  void callsOnTheRegistryHaveNoProblem() {
    assertEquals(List.of(), check("send_command", "{\"command\": \"GOTO 3222 3218 0\"}"));
    assertEquals(List.of(), check("send_command", "\"KILL_LOOP Giant_frog 250\"")); // an older bot's plain string
    assertEquals(List.of(), check("send_command", "{\"command\": \"fish shrimp\"}")); // verbs compare upper-cased
    assertEquals(List.of(), check("get_game_state", "{\"fields\": [\"location\", \"health\"]}"));
    assertEquals(List.of(), check("get_game_state", null)); // no arguments: an empty object
    assertEquals(List.of(), check("restart_runelite", "{}"));
    assertEquals(List.of(), check("get_logs", "{\"since_seconds\": 60.0, \"grep\": \"KILL_LOOP\"}"));
    assertEquals(List.of(), check("click_text", "{\"text\": \"Play Now\"}"));
  }

  @Test
  void unknownToolsOffSchemaArgumentsAndUnknownVerbsAreProblems() {
    List<ToolRegistry.Problem> p = REGISTRY.check(
        List.of("WAIT", "get_game_state", "send_command", "send_command", "lookup_location"),
        List.of("{\"ms\": 5000}", "{\"fields\": \"['location', 'inventory']\"}", "{\"command\": \"Net 3245, 3156\"}", "{\"command\": \"GOTO 1 2 0\", \"speed\": 2}", "{not json"));
    assertEquals(List.of(
        "0 WAIT unknown_tool",
        "1 get_game_state schema",
        "2 send_command unknown_command",
        "3 send_command schema",
        "4 lookup_location schema"), p.stream().map(x -> x.call() + " " + x.tool() + " " + x.code()).toList());
    assertEquals("tool WAIT is not in the tool registry", p.get(0).message());
    assertTrue(p.get(1).message().contains("$.fields") && p.get(1).message().contains("array"), p.get(1).message());
    assertEquals("command verb NET is not a known command", p.get(2).message());
    assertTrue(p.get(3).message().contains("speed"), p.get(3).message());
    assertTrue(p.get(4).message().startsWith("arguments are not JSON"), p.get(4).message());
    // A call can have both: arguments off the schema and an unknown verb.
    assertEquals(List.of("schema", "unknown_command"), check("send_command", "{\"command\": \"JUMP\", \"x\": 1}").stream().map(ToolRegistry.Problem::code).toList());
    assertEquals(List.of("schema"), check("send_command", "{}").stream().map(ToolRegistry.Problem::code).toList());
  }

  @Test
  void eachProblemCostsThePenaltyRoundedNeverBelowZero() {
    QualityRules q = Rules.from(PipelineConfig.defaults()).quality;
    assertEquals(0.7, q.score("ok", "Traveling.", 0));
    assertEquals(0.5, q.score("ok", "Traveling.", 1)); // not 0.49999999999999994
    assertEquals(0.45, q.score("ok", "Started fishing.", 2));
    assertEquals(0.0, q.score("error", null, 3));
  }

  @Test
  void theOpenAiToolListComesFromTheRegistry() {
    JsonNode tools = REGISTRY.openAiTools(List.of("send_command", "WAIT"));
    JsonNode first = tools.get(0);
    assertEquals("function", first.path("type").asText());
    assertEquals("send_command", first.path("function").path("name").asText());
    assertEquals("[\"command\"]", first.path("function").path("parameters").path("required").toString());
    assertTrue(first.path("function").path("description").asText().startsWith("Sends one game command"));
    JsonNode last = tools.get(tools.size() - 1);
    assertEquals("WAIT", last.path("function").path("name").asText()); // called but unregistered: an open schema
    assertEquals("{\"type\":\"object\",\"properties\":{}}", last.path("function").path("parameters").toString());
    assertEquals(tools.size() - 1, REGISTRY.openAiTools(List.of()).size());
  }

  @Test
  void aBrokenRegistryIsABadInputError() throws Exception {
    Path dir = Files.createTempDirectory("registry");
    Path bad = dir.resolve("registry.yaml");
    Files.writeString(bad, "commands: [GOTO]\ntools:\n  send_command:\n    parameters: {type: 12}\n");
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of("rules.tool_registry=" + bad);
    assertThrows(BadInputException.class, () -> Rules.from(PipelineConfig.load(s)));
    Files.writeString(bad, "commands: [GOTO]\ntools:\n  get_logs:\n    parameters: {type: object}\n");
    BadInputException e = assertThrows(BadInputException.class, () -> Rules.from(PipelineConfig.load(s)));
    assertTrue(e.getMessage().contains("send_command"), e.getMessage());
  }

  /** The generator's logs validate clean but for its one deliberate wrong command (ATTACK_STYLE). */
  @Test
  void generatedLogsHaveOnlyTheDeliberateBadCall(@TempDir Path tmp) throws Exception {
    DiscordLogGenerator.Options o = new DiscordLogGenerator.Options();
    o.outDir = tmp;
    o.days = 2;
    o.start = LocalDate.of(2026, 1, 1);
    o.requestsPerDay = 400;
    o.threads = 1;
    List<String> tools = new ArrayList<>();
    List<String> args = new ArrayList<>();
    for (Path f : new DiscordLogGenerator(o).generate().files()) {
      for (String line : Files.readAllLines(f)) {
        JsonNode e;
        try {
          e = JSON.readTree(line);
        } catch (Exception bad) {
          continue; // the messy lines the generator writes on purpose
        }
        if (e == null || !"tool_call".equals(e.path("type").asText()) || !e.hasNonNull("tool")) continue;
        tools.add(e.get("tool").asText());
        args.add(e.path("arguments").toString());
      }
    }
    Map<String, Integer> byMessage = new TreeMap<>();
    for (ToolRegistry.Problem p : REGISTRY.check(tools, args)) byMessage.merge(p.code() + ": " + p.message(), 1, Integer::sum);
    assertTrue(tools.size() > 500, "calls: " + tools.size());
    assertEquals(List.of("unknown_command: command verb ATTACK_STYLE is not a known command"), List.copyOf(byMessage.keySet()));
  }
}
