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
  public record Rule(String name, String regex, String placeholder, List<String> requires, Run requiresRun) implements Serializable {
    public Rule(String name, String regex, String placeholder) {
      this(name, regex, placeholder, List.of(), null);
    }

    public Rule(String name, String regex, String placeholder, List<String> requires) {
      this(name, regex, placeholder, requires, null);
    }
  }

  /**
   * A run of at least {@code length} chars of {@code chars} (ASCII ranges written as in a regular
   * expression class, such as {@code A-Za-z0-9_-}) directly followed by {@code followedBy}, which
   * every hit holds: for patterns without a literal (a token's dotted base64, an address's dotted
   * digits), tested in one plain pass over the text, many times cheaper than the expression.
   */
  public record Run(String chars, int length, char followedBy) implements Serializable {
    public Run {
      if (length < 1) throw new BadInputException("privacy.yaml: requires_run.length must be at least 1");
      classOf(chars);
    }

    /** The ASCII chars of a class such as {@code A-Za-z0-9_-} (a '-' first or last is itself). */
    static boolean[] classOf(String chars) {
      boolean[] in = new boolean[128];
      if (chars == null || chars.isEmpty()) throw new BadInputException("privacy.yaml: requires_run.chars must not be empty");
      for (int i = 0; i < chars.length(); i++) {
        char from = chars.charAt(i), to = from;
        if (i + 2 < chars.length() && chars.charAt(i + 1) == '-') {
          to = chars.charAt(i + 2);
          i += 2;
        }
        if (from >= 128 || to >= 128 || to < from) throw new BadInputException("privacy.yaml: requires_run.chars must be ASCII ranges such as A-Za-z0-9_-, not '" + chars + "'");
        for (char c = from; c <= to; c++) in[c] = true;
      }
      return in;
    }

    boolean holds(String text, boolean[] in) {
      int run = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 128 && in[c]) {
          run++;
        } else {
          if (c == followedBy && run >= length) return true;
          run = 0;
        }
      }
      return false;
    }
  }

  private final List<Rule> rules;
  private transient Pattern[] patterns;
  private transient boolean[] partial;
  private transient boolean[][] runClasses;

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
      Run run = null;
      JsonNode r = p.path("requires_run");
      if (!r.isMissingNode()) {
        String followedBy = r.path("followed_by").asText("");
        if (followedBy.length() != 1) throw new BadInputException("privacy.yaml: " + name + ": requires_run.followed_by must be one character: " + r);
        run = new Run(r.path("chars").asText(""), r.path("length").asInt(0), followedBy.charAt(0));
      }
      rules.add(new Rule(name, regex, placeholder, List.copyOf(requires), run));
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
      if (runClasses[i] != null && !rules.get(i).requiresRun().holds(out, runClasses[i])) continue;
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
    runClasses = new boolean[rules.size()][];
    for (int i = 0; i < patterns.length; i++) {
      Rule r = rules.get(i);
      try {
        patterns[i] = Pattern.compile(r.regex());
      } catch (PatternSyntaxException e) {
        throw new BadInputException("privacy.yaml: pattern " + r.name() + " is not a valid regular expression: " + e.getDescription(), e);
      }
      partial[i] = r.regex().contains("(?<" + SECRET_GROUP + ">");
      if (r.requiresRun() != null) runClasses[i] = Run.classOf(r.requiresRun().chars());
    }
  }
}
