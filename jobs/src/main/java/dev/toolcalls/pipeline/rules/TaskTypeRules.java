package dev.toolcalls.pipeline.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** task_type and example_type (conf/rules/task_types.yaml). */
public final class TaskTypeRules implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String DIRECT_EXECUTION = "direct_execution";
  public static final String MULTI_STEP = "multi_step";

  /** Bound from YAML. */
  public static final class Spec {
    public boolean prefer_logged = true;
    public List<Rule> rules = List.of();
    public String default_ = "conversation";
    public int multi_step_min_actions = 3;

    @com.fasterxml.jackson.annotation.JsonProperty("default")
    public void setDefault(String d) {
      this.default_ = d;
    }
  }

  /** One rule: every condition given must hold. */
  public static final class Rule implements Serializable {
    private static final long serialVersionUID = 1L;
    public String task_type;
    public List<String> command_verbs;
    public Integer min_actions;
    public String message_pattern;
    transient Pattern compiled;
    NameMatcher<String> verbs;
  }

  private final ToolCatalog catalog;
  private final boolean preferLogged;
  private final List<Rule> rules;
  private final String defaultType;
  private final int multiStepMinActions;

  public TaskTypeRules(Spec spec, ToolCatalog catalog) {
    this.catalog = catalog;
    this.preferLogged = spec.prefer_logged;
    this.rules = new ArrayList<>(spec.rules);
    for (Rule r : rules) {
      if (r.task_type == null) throw new IllegalArgumentException("every task type rule needs task_type");
      if (r.message_pattern != null) Pattern.compile(r.message_pattern); // fail early on a bad pattern
      if (r.command_verbs != null) {
        Map<String, String> m = new LinkedHashMap<>();
        r.command_verbs.forEach(v -> m.put(v, v));
        r.verbs = new NameMatcher<>(m);
      }
    }
    this.defaultType = spec.default_;
    this.multiStepMinActions = spec.multi_step_min_actions;
  }

  public String taskType(String logged, String message, List<String> tools, List<String> argumentsJson) {
    if (preferLogged && logged != null && !logged.isBlank()) return logged;
    int actions = actions(tools);
    for (Rule r : rules) {
      if (r.min_actions != null && actions < r.min_actions) continue;
      if (r.message_pattern != null) {
        if (r.compiled == null) r.compiled = Pattern.compile(r.message_pattern);
        if (message == null || !r.compiled.matcher(message).find()) continue;
      }
      if (r.verbs != null && !anyVerb(r.verbs, tools, argumentsJson)) continue;
      return r.task_type;
    }
    return defaultType;
  }

  public String exampleType(List<String> tools) {
    return actions(tools) >= multiStepMinActions ? MULTI_STEP : DIRECT_EXECUTION;
  }

  private int actions(List<String> tools) {
    int n = 0;
    for (String t : tools) if (catalog.isAction(t)) n++;
    return n;
  }

  private boolean anyVerb(NameMatcher<String> verbs, List<String> tools, List<String> args) {
    for (int i = 0; i < tools.size(); i++) {
      String verb = ToolCatalog.verbOf(catalog.commandOf(tools.get(i), args.get(i)));
      if (verb != null && verbs.match(verb) != null) return true;
    }
    return false;
  }
}
