package dev.toolcalls.pipeline.rules;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/** Quality score from the outcome and the response text (conf/rules/quality.yaml). */
public final class QualityRules implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bound from YAML. */
  public static final class Spec {
    public double default_ = 0.7;
    public Phrases success = new Phrases();
    public Phrases failure = new Phrases();
    public double empty_response = 0.5;
    public double error_max = 0.3;
    public double validation_penalty = 0.2;

    @com.fasterxml.jackson.annotation.JsonProperty("default")
    public void setDefault(double d) {
      this.default_ = d;
    }
  }

  /** A score and the phrases that give it. */
  public static final class Phrases {
    public double score;
    public List<String> phrases = List.of();
  }

  private final double defaultScore;
  private final double successScore;
  private final Pattern success;
  private final double failureScore;
  private final Pattern failure;
  private final double emptyScore;
  private final double errorMax;
  private final double validationPenalty;

  public QualityRules(Spec spec) {
    check("default", spec.default_);
    check("success.score", spec.success.score);
    check("failure.score", spec.failure.score);
    check("empty_response", spec.empty_response);
    check("error_max", spec.error_max);
    check("validation_penalty", spec.validation_penalty);
    this.defaultScore = spec.default_;
    this.successScore = spec.success.score;
    this.success = words(spec.success.phrases);
    this.failureScore = spec.failure.score;
    this.failure = words(spec.failure.phrases);
    this.emptyScore = spec.empty_response;
    this.errorMax = spec.error_max;
    this.validationPenalty = spec.validation_penalty;
  }

  /**
   * The score with the tool registry's problems taken off ({@code validation_penalty} each, never
   * below 0), rounded to 6 decimals so that 0.7 - 0.2 is 0.5, not 0.49999999999999994 (which a
   * {@code --min-quality 0.5} would leave out).
   */
  public double score(String outcome, String responseText, int problems) {
    double s = score(outcome, responseText);
    if (problems <= 0) return s;
    return Math.max(0, Math.round((s - problems * validationPenalty) * 1e6) / 1e6);
  }

  public double score(String outcome, String responseText) {
    double s;
    if (responseText == null || responseText.isBlank()) {
      s = emptyScore;
    } else if (failure != null && failure.matcher(responseText).find()) {
      s = failureScore;
    } else if (success != null && success.matcher(responseText).find()) {
      s = successScore;
    } else {
      s = defaultScore;
    }
    return "error".equals(outcome) ? Math.min(s, errorMax) : s;
  }

  /** Whether the text has one of the failure phrases (whole words). */
  public boolean hasFailureWords(String text) {
    return text != null && failure != null && failure.matcher(text).find();
  }

  /** Whole words or phrases, case-insensitive; null for an empty list. */
  private static Pattern words(List<String> phrases) {
    if (phrases == null || phrases.isEmpty()) return null;
    StringBuilder re = new StringBuilder("(?<![\\p{L}\\p{N}_])(?:");
    for (int i = 0; i < phrases.size(); i++) {
      if (i > 0) re.append('|');
      re.append(Pattern.quote(phrases.get(i).replace('\u2019', '\'')).replace(" ", "\\E\\s+\\Q"));
    }
    re.append(")(?![\\p{L}\\p{N}_])");
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static void check(String name, double v) {
    if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("quality rule " + name + " must be within 0..1, not " + v);
  }
}
