package dev.toolcalls.pipeline.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tags from tool names and command verbs (conf/rules/tags.yaml). Free text (journals) is tagged by
 * the same rules, applied to the commands and tool names written in it, never to prose words.
 */
public final class TagRules implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bound from YAML. */
  public static final class Spec {
    public Map<String, List<String>> tools = new LinkedHashMap<>();
    public Map<String, List<String>> command_verbs = new LinkedHashMap<>();
    public List<String> unknown_tool = List.of("other");
    public List<String> unknown_verb = List.of("other");
  }

  private final ToolCatalog catalog;
  private final NameMatcher<ArrayList<String>> byTool;
  private final NameMatcher<ArrayList<String>> byVerb;
  private final ArrayList<String> unknownTool;
  private final ArrayList<String> unknownVerb;

  public TagRules(Spec spec, ToolCatalog catalog) {
    this.catalog = catalog;
    this.byTool = new NameMatcher<>(copy(spec.tools));
    this.byVerb = new NameMatcher<>(copy(spec.command_verbs));
    this.unknownTool = new ArrayList<>(spec.unknown_tool);
    this.unknownVerb = new ArrayList<>(spec.unknown_verb);
  }

  /** Sorted, distinct tags for a turn's tool calls (names and JSON arguments, index-aligned). */
  public String[] tags(List<String> tools, List<String> argumentsJson) {
    TreeSet<String> out = new TreeSet<>();
    for (int i = 0; i < tools.size(); i++) {
      String tool = tools.get(i);
      if (catalog.isCommandTool(tool)) {
        String verb = ToolCatalog.verbOf(catalog.commandOf(tool, argumentsJson.get(i)));
        List<String> t = verb == null ? null : byVerb.match(verb);
        out.addAll(t != null ? t : unknownVerb);
      } else {
        List<String> t = byTool.match(tool);
        out.addAll(t != null ? t : unknownTool);
      }
    }
    return out.toArray(new String[0]);
  }

  /**
   * Sorted, distinct tags for the commands and tool names written in a text: upper-case words
   * ({@code KILL_LOOP}, {@code BANK_OPEN}) are tried as command verbs and snake_case words
   * ({@code query_nearby}) as tool names; a word no rule names adds nothing (prose is not "other").
   */
  public String[] tagsInText(String text) {
    TreeSet<String> out = new TreeSet<>();
    if (text == null) return new String[0];
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String w = m.group();
      List<String> t;
      if (w.equals(w.toUpperCase(java.util.Locale.ROOT))) {
        t = w.length() >= 3 ? byVerb.match(w) : null;
      } else if (w.indexOf('_') > 0 && w.equals(w.toLowerCase(java.util.Locale.ROOT))) {
        t = byTool.match(w);
      } else {
        t = null;
      }
      if (t != null) out.addAll(t);
    }
    return out.toArray(new String[0]);
  }

  private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private static Map<String, ArrayList<String>> copy(Map<String, List<String>> in) {
    Map<String, ArrayList<String>> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, new ArrayList<>(v == null ? List.of() : v)));
    return out;
  }
}
