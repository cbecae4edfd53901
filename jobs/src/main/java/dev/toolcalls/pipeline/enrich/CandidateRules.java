package dev.toolcalls.pipeline.enrich;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.rules.Rules;
import dev.toolcalls.pipeline.rules.ToolCatalog;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Why an example is worth a human or LLM review (conf: {@code enrich.candidates}): an error, a
 * failure word in the response, a low score, a command retried after it failed or sent twice as is
 * within the turn (walking GOTO by GOTO is not a retry), or a
 * request that asked for more steps than the game actions sent. Plain Java behind a UDF.
 */
public final class CandidateRules implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String ERROR = "error";
  public static final String FAILURE_WORDS = "failure_words";
  public static final String LOW_QUALITY = "low_quality";
  public static final String RETRIED = "retried_command";
  public static final String REPEATED = "repeated_command";
  public static final String FEWER_ACTIONS = "fewer_actions_than_asked";

  private final Rules rules;
  private final double lowQualityBelow;
  private final Pattern stepSeparator;

  public CandidateRules(Rules rules, double lowQualityBelow, List<String> stepSeparators) {
    this.rules = rules;
    this.lowQualityBelow = lowQualityBelow;
    StringBuilder re = new StringBuilder();
    for (String s : stepSeparators) {
      if (re.length() > 0) re.append('|');
      boolean word = Character.isLetter(s.strip().isEmpty() ? ' ' : s.strip().charAt(0));
      re.append(word ? "\\b" + Pattern.quote(s.strip()) + "\\b" : Pattern.quote(s));
    }
    this.stepSeparator = re.length() == 0 ? null : Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }

  public static CandidateRules from(PipelineConfig config, Rules rules) {
    List<String> separators = new ArrayList<>();
    config.node("enrich.candidates.step_separators").forEach(n -> separators.add(n.asText()));
    double below = config.node("enrich.candidates.low_quality_below").asDouble(0.6);
    return new CandidateRules(rules, below, separators);
  }

  /** The reasons, in a fixed order; empty when the example needs no review. */
  public List<String> reasons(String outcome, Double quality, String response, String userMessage, List<String> tools, List<String> args, List<Boolean> isError) {
    List<String> out = new ArrayList<>();
    if ("error".equals(outcome)) out.add(ERROR);
    if (rules.quality.hasFailureWords(response)) out.add(FAILURE_WORDS);
    if (quality != null && quality < lowQualityBelow) out.add(LOW_QUALITY);
    boolean retried = false, repeated = false;
    String previousVerb = null, previousTool = null, previousArgs = null;
    boolean previousFailed = false;
    int actions = 0;
    for (int i = 0; i < tools.size(); i++) {
      String tool = tools.get(i);
      if (!rules.tools.isAction(tool)) continue;
      actions++;
      String verb = rules.tools.isCommandTool(tool) ? ToolCatalog.verbOf(rules.tools.commandOf(tool, args.get(i))) : tool;
      String a = i < args.size() ? args.get(i) : null;
      if (previousTool != null && tool.equals(previousTool) && verb != null && verb.equals(previousVerb)) {
        if (previousFailed) retried = true;
        else if (a != null && a.equals(previousArgs)) repeated = true;
      }
      previousTool = tool;
      previousVerb = verb;
      previousArgs = a;
      previousFailed = i < isError.size() && Boolean.TRUE.equals(isError.get(i));
    }
    if (retried) out.add(RETRIED);
    if (repeated) out.add(REPEATED);
    if (actions > 0 && stepsAsked(userMessage) > actions) out.add(FEWER_ACTIONS);
    return out;
  }

  /** How many steps a request asks for: its parts between step separators that have words. */
  int stepsAsked(String message) {
    if (message == null || stepSeparator == null) return 1;
    int steps = 0;
    for (String part : stepSeparator.split(message.toLowerCase(Locale.ROOT))) if (part.strip().length() > 2) steps++;
    return Math.max(1, steps);
  }
}
