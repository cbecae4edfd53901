package dev.toolcalls.pipeline.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Replaces secrets and personal data in text (API keys and tokens, passwords in URLs, e-mail and
 * IP addresses) by typed placeholders, with the patterns of {@code conf/privacy.yaml}, and counts
 * the hits per type. Plain Java, shipped to executors inside the tasks (patterns compiled there).
 */
public final class Redactor implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The group of a pattern that alone is replaced, when the pattern has it. */
  static final String SECRET_GROUP = "secret";

  /**
   * One named pattern and what replaces its hits; {@code requires}: literal texts of which a hit
   * always holds one (empty: none known). A text holding none of them is not searched: a plain
   * substring test is many times cheaper than running the expression at every position.
   */
  public record Rule(String name, String regex, String placeholder, List<String> requires) implements Serializable {
    public Rule(String name, String regex, String placeholder) {
      this(name, regex, placeholder, List.of());
    }
  }

  private final List<Rule> rules;
  private transient Pattern[] patterns;
  private transient boolean[] partial;

  public Redactor(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    compile(); // a bad pattern is an error on the driver, before any Spark work
  }

  /** The patterns of the {@code privacy} rule file ({@code conf/privacy.yaml}). */
  public static Redactor from(PipelineConfig config) {
    JsonNode list = config.rules("privacy").path("patterns");
    if (!list.isArray() || list.isEmpty()) throw new BadInputException("privacy.yaml: patterns must be a non-empty list");
    List<Rule> rules = new ArrayList<>();
    for (JsonNode p : list) {
      String name = p.path("name").asText(""), regex = p.path("regex").asText(""), placeholder = p.path("placeholder").asText("");
      if (name.isEmpty() || regex.isEmpty() || placeholder.isEmpty()) throw new BadInputException("privacy.yaml: every pattern needs name, regex and placeholder: " + p);
      List<String> requires = new ArrayList<>();
      p.path("requires").forEach(r -> requires.add(r.asText()));
      rules.add(new Rule(name, regex, placeholder, List.copyOf(requires)));
    }
    return new Redactor(rules);
  }

  /** The type names, in the order they are tried. */
  public List<String> types() {
    return rules.stream().map(Rule::name).toList();
  }

  /**
   * The text with every hit replaced by its placeholder; each hit adds one to {@code counts} under
   * its type (when counts is not null). Null stays null.
   */
  public String redact(String text, Map<String, Long> counts) {
    if (text == null || text.isEmpty()) return text;
    if (patterns == null) compile();
    String out = text;
    for (int i = 0; i < patterns.length; i++) {
      if (!mayHold(out, rules.get(i).requires())) continue;
      Matcher m = patterns[i].matcher(out);
      if (!m.find()) continue;
      StringBuilder sb = new StringBuilder(out.length());
      int from = 0;
      long hits = 0;
      do {
        int start = partial[i] ? m.start(SECRET_GROUP) : m.start();
        int end = partial[i] ? m.end(SECRET_GROUP) : m.end();
        sb.append(out, from, start).append(rules.get(i).placeholder());
        from = end;
        hits++;
      } while (m.find());
      out = sb.append(out, from, out.length()).toString();
      if (counts != null) counts.merge(rules.get(i).name(), hits, Long::sum);
    }
    return out;
  }

  private static boolean mayHold(String text, List<String> requires) {
    if (requires.isEmpty()) return true;
    for (String r : requires) if (text.contains(r)) return true;
    return false;
  }

  private void compile() {
    patterns = new Pattern[rules.size()];
    partial = new boolean[rules.size()];
    for (int i = 0; i < patterns.length; i++) {
      Rule r = rules.get(i);
      try {
        patterns[i] = Pattern.compile(r.regex());
      } catch (PatternSyntaxException e) {
        throw new BadInputException("privacy.yaml: pattern " + r.name() + " is not a valid regular expression: " + e.getDescription(), e);
      }
      partial[i] = r.regex().contains("(?<" + SECRET_GROUP + ">");
    }
  }
}
