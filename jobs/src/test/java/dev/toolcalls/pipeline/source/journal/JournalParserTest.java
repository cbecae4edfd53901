package dev.toolcalls.pipeline.source.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.source.ExampleDraft;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every journal shape met in the real journals, each in a few lines, with the exact items it gives. */
class JournalParserTest {
  static final JournalParser.Settings SETTINGS = new JournalParser.Settings("send_command", "command");

  static List<ExampleDraft> parse(String md) {
    return JournalParser.parse(md, "combat/door_lessons_2025-01-12.md", SETTINGS, 0);
  }

  static List<ExampleDraft> ofType(List<ExampleDraft> all, String type) {
    return all.stream().filter(e -> e.exampleType.equals(type)).collect(Collectors.toList());
  }

  static final String JOURNAL = String.join("\n",
      "# Door-Stuck Combat - Lessons Learned",
      "**Date:** 2025-01-14",
      "**Context:** Al Kharid",
      "",
      "## The Problem",
      "",
      "Combat targets NPCs behind closed doors.",
      "",
      "## Root Cause",
      "",
      "The LOS check uses **static** map data.",
      "",
      "## Key Lessons",
      "",
      "### 1. Stuck Detection",
      "",
      "**What happened:** Player did not move.",
      "",
      "**Why:** A door was closed.",
      "",
      "**Solution:**",
      "```java",
      "// BAD - just count the failure",
      "failedKills++;",
      "",
      "// GOOD - open the door and retry",
      "openDoor();",
      "```",
      "",
      "### 2. Doors Are WallObjects",
      "**What happened:** GameObject search failed.",
      "**Why:** Doors are `WallObject`s.",
      "**Solution:** Use `findTileObjectsByName()`.",
      "",
      "### 3. A heading with no lesson markers",
      "",
      "Just notes.",
      "",
      "## Examples",
      "",
      "```python",
      "# BAD: withdraw before the bank is open",
      "send_command(\"BANK_WITHDRAW Raw_shrimps 27\")",
      "```",
      "",
      "```python",
      "# GOOD: wait for the bank",
      "send_command(\"BANK_OPEN\")  # Open the bank booth first",
      "```",
      "",
      "```python",
      "# BAD - a bad block nobody corrected",
      "send_command(\"GOTO 1 2 0\")",
      "```",
      "",
      "## Anti-Patterns",
      "",
      "1. **Don't** use `interactWithTileObject()` - method doesn't exist.",
      "2. **Don't send GOTO while the bank is open** - navigation fails with \"stuck\"",
      "3. Never trust a cached widget id",
      "",
      "```python",
      "# BAD: Spaces in NPC names",
      "INTERACT_NPC Captain Tobias Travel",
      "```",
      "",
      "## Debugging Commands",
      "",
      "| Command | Purpose |",
      "|---------|---------|",
      "| `get_logs(grep=\"DOOR-STUCK\")` | See door detection attempts |",
      "| `scan_tile_objects(\"door\", max_distance=25)` | Find doors further away |",
      "| `tail -50 bot.log` | Recent bot output |",
      "| `BANK_OPEN` | Open the nearest bank |",
      "",
      "| Tool | Purpose | Example |",
      "|------|---------|---------|",
      "| query_nearby | NPCs and objects around | `query_nearby(include_ground_items=True)` |",
      "| scan_environment | Full spatial context | **NEW** - use before indoor nav |",
      "",
      "## Steps",
      "",
      "1. Attempt to click the quantity button: `send_command(\"CLICK_WIDGET 19660809\")`",
      "2. `get_screenshot()` - Confirm what is on screen",
      "- [x] MCP needs: `is_stuck_at_door()`",
      "");

  @Test
  void theProblemAndRootCauseMakeOneReasoningChain() {
    List<ExampleDraft> chains = ofType(parse(JOURNAL), "reasoning_chain");
    ExampleDraft file = chains.get(0);
    assertEquals("Combat targets NPCs behind closed doors.", file.problem);
    assertEquals("The LOS check uses **static** map data.", file.rootCause);
    assertEquals(7L, file.sourceLine);
    assertEquals((int) LocalDate.parse("2025-01-14").toEpochDay(), file.eventDate, "the **Date:** line wins over the file name");
    assertEquals("journal", file.source);
    assertEquals("combat/door_lessons_2025-01-12.md", file.sourceFile);
    assertTrue(file.id.matches("jr-[0-9a-f]{16}"));
  }

  @Test
  void eachLessonIsAReasoningChainWhetherItsMarkersShareAParagraphOrNot() {
    List<ExampleDraft> chains = ofType(parse(JOURNAL), "reasoning_chain");
    assertEquals(3, chains.size(), "the problem, lessons 1 and 2; a heading without markers is no lesson");
    ExampleDraft one = chains.get(1);
    assertEquals("Stuck Detection", one.userMessage);
    assertEquals("Player did not move.", one.problem);
    assertEquals("A door was closed.", one.rootCause);
    assertTrue(one.responseText.startsWith("```java\n// BAD - just count the failure"));
    ExampleDraft two = chains.get(2);
    assertEquals("Doors Are WallObjects", two.userMessage);
    assertEquals("GameObject search failed.", two.problem);
    assertEquals("Doors are `WallObject`s.", two.rootCause);
    assertEquals("Use `findTileObjectsByName()`.", two.responseText);
  }

  @Test
  void badBlocksArePairedWithTheGoodThatFollowsInOneBlockOrTheNext() {
    List<ExampleDraft> pairs = ofType(parse(JOURNAL), "code_correction");
    assertEquals(2, pairs.size(), "a BAD block with no GOOD after it is not a pair");
    assertEquals("// BAD - just count the failure\nfailedKills++;", pairs.get(0).badCode);
    assertEquals("// GOOD - open the door and retry\nopenDoor();", pairs.get(0).goodCode);
    assertEquals("just count the failure", pairs.get(0).problem);
    assertEquals("open the door and retry", pairs.get(0).reasoning);
    assertEquals("Stuck Detection", pairs.get(0).userMessage);
    assertEquals("# BAD: withdraw before the bank is open\nsend_command(\"BANK_WITHDRAW Raw_shrimps 27\")", pairs.get(1).badCode);
    assertEquals("# GOOD: wait for the bank\nsend_command(\"BANK_OPEN\")  # Open the bank booth first", pairs.get(1).goodCode);
  }

  @Test
  void antiPatternsAreNegativesWithTheirReasons() {
    List<ExampleDraft> negatives = ofType(parse(JOURNAL), "negative");
    assertEquals(List.of(
            "Don't use `interactWithTileObject()`",
            "Don't send GOTO while the bank is open",
            "Never trust a cached widget id",
            "Spaces in NPC names"),
        negatives.stream().map(e -> e.userMessage).toList());
    assertEquals("method doesn't exist.", negatives.get(0).reasoning);
    assertEquals("navigation fails with \"stuck\"", negatives.get(1).reasoning);
    assertNull(negatives.get(2).reasoning);
    assertEquals("# BAD: Spaces in NPC names\nINTERACT_NPC Captain Tobias Travel", negatives.get(3).badCode);
  }

  @Test
  void commandTableRowsAndCallsWithAPurposeAreDirectExecutions() {
    List<String> calls = ofType(parse(JOURNAL), "direct_execution").stream()
        .map(e -> e.userMessage + " => " + e.toolCalls.get(0).tool() + " " + e.toolCalls.get(0).arguments()).toList();
    assertEquals(List.of(
            "Open the bank booth first => send_command {\"command\":\"BANK_OPEN\"}",
            "See door detection attempts => get_logs {\"grep\":\"DOOR-STUCK\"}",
            "Find doors further away => scan_tile_objects {\"value\":\"door\",\"max_distance\":25}",
            "Open the nearest bank => send_command {\"command\":\"BANK_OPEN\"}",
            "NPCs and objects around => query_nearby {\"include_ground_items\":true}",
            "Full spatial context => scan_environment {}",
            "Attempt to click the quantity button => send_command {\"command\":\"CLICK_WIDGET 19660809\"}",
            "Confirm what is on screen => get_screenshot {}"),
        calls);
  }

  @Test
  void idsSurviveAnEditElsewhereInTheFileAndRepeatsGetTheirOwn() {
    List<ExampleDraft> before = parse(JOURNAL);
    List<ExampleDraft> after = parse(JOURNAL.replace("Just notes.", "Just notes, and a new paragraph.\n\nMore text above everything else."));
    assertEquals(before.stream().map(e -> e.id).toList(), after.stream().map(e -> e.id).toList());
    assertNotEquals(before.get(0).sourceLine, after.get(0).sourceLine == null ? null : -1L);
    List<ExampleDraft> twice = parse("## Anti-Patterns\n\n- **Don't** spam clicks - it fails\n- **Don't** spam clicks - it fails\n");
    assertEquals(2, twice.size());
    assertNotEquals(twice.get(0).id, twice.get(1).id);
  }

  @Test
  void headingVariantsAndCrLf() {
    List<ExampleDraft> issue = parse("## Issue\r\n\r\nBank closes.\r\n\r\n## Why\r\n\r\nA timer.\r\n");
    assertEquals(1, issue.size());
    assertEquals("Bank closes.", issue.get(0).problem);
    assertEquals("A timer.", issue.get(0).rootCause);
    List<ExampleDraft> causes = parse("## Problem\n\nStuck.\n\n## Root Causes\n\n### 1. No visibility\n\nPaths are hidden.\n");
    assertEquals("Paths are hidden.", causes.get(0).rootCause);
    assertFalse(parse("# Only a title\n\nSome prose.\n").iterator().hasNext());
  }

  @Test
  void readmeAndTemplateFilesAreNotJournals() {
    assertTrue(JournalFiles.isJournal("combat/door.md"));
    assertFalse(JournalFiles.isJournal("README.md"));
    assertFalse(JournalFiles.isJournal("sub/TEMPLATE.md"));
    assertFalse(JournalFiles.isJournal("notes.txt"));
  }
}
