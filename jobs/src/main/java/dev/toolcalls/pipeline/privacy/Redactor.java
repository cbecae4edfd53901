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
  public record Rule(String name, String regex, String placeholder, List<String> requires, Run requiresRun, boolean requiresIgnoreCase) implements Serializable {
    public Rule(String name, String regex, String placeholder) {
      this(name, regex, placeholder, List.of(), null, false);
    }

    public Rule(String name, String regex, String placeholder, List<String> requires) {
      this(name, regex, placeholder, requires, null, false);
    }
  }

  /**
   * A run of at least {@code length} chars of {@code chars} (ASCII ranges written as in a regular
   * expression class, such as {@code A-Za-z0-9_-}) directly followed by {@code followedBy}, which
   * every hit holds: for patterns without a literal (a token's dotted base64, an address's dotted
   * digits), tested in one plain pass over the text, many times cheaper than the expression.
   */
  public record Run(String chars, int length, char followedBy, int repeat) implements Serializable {
    public Run(String chars, int length, char followedBy) {
      this(chars, length, followedBy, 1);
    }

    public Run {
      if (length < 1) throw new BadInputException("privacy.yaml: requires_run.length must be at least 1");
      if (repeat < 1) throw new BadInputException("privacy.yaml: requires_run.repeat must be at least 1");
      if (followedBy < 128 && classOf(chars)[followedBy]) throw new BadInputException("privacy.yaml: requires_run.followed_by must not be one of its chars");
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
      return holds(text.toCharArray(), in);
    }

    /** {@code repeat} such runs one after the other (an address's "1." "2." "3."), each ended by its char. */
    boolean holds(char[] text, boolean[] in) {
      int run = 0, done = 0;
      for (int i = 0; i < text.length; i++) {
        char c = text[i];
        if (c < 128 && in[c]) {
          run++;
        } else {
          if (c == followedBy && run >= length) {
            if (++done == repeat) return true;
          } else {
            done = 0;
          }
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
        run = new Run(r.path("chars").asText(""), r.path("length").asInt(0), followedBy.charAt(0), r.path("repeat").asInt(1));
      }
      rules.add(new Rule(name, regex, placeholder, List.copyOf(requires), run, p.path("requires_ignore_case").asBoolean(false)));
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
    // The literals and runs are looked for once per text, in one pass each, not once per pattern;
    // again only after a replacement (placeholders hold none, but a user's pattern may).
    char[] chars = out.toCharArray();
    boolean[] present = literalsIn(chars);
    for (int i = 0; i < patterns.length; i++) {
      if (!mayHold(present, ruleLiterals[i])) continue;
      if (runClasses[i] != null && !rules.get(i).requiresRun().holds(chars, runClasses[i])) continue;
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
      chars = out.toCharArray();
      present = literalsIn(chars);
      if (counts != null) counts.merge(rules.get(i).name(), hits, Long::sum);
    }
    return out;
  }

  /** A pattern without literals may always hold a hit; otherwise when one of its literals is in the text. */
  private static boolean mayHold(boolean[] present, int[] literals) {
    if (literals.length == 0) return true;
    for (int l : literals) if (present[l]) return true;
    return false;
  }

  /** Which of every pattern's literals the text holds: one pass, stopping at the chars a literal starts with. */
  private boolean[] literalsIn(char[] text) {
    boolean[] present = new boolean[literals.length];
    for (int i = 0; i < text.length; i++) {
      char c = text[i];
      int[] candidates = c < 128 ? byFirstChar[c] : null;
      if (candidates == null) continue;
      for (int l : candidates) {
        if (!present[l] && startsWith(text, i, literals[l], ignoreCase[l])) present[l] = true;
      }
    }
    for (int l : nonAsciiFirst) present[l] = ignoreCase[l] ? new String(text).toLowerCase(java.util.Locale.ROOT).contains(literals[l]) : new String(text).contains(literals[l]);
    return present;
  }

  /** Ignoring case: ASCII letters only (literals are lower-cased when indexed). */
  private static boolean startsWith(char[] text, int at, String literal, boolean ignoreCase) {
    if (at + literal.length() > text.length) return false;
    for (int k = 0; k < literal.length(); k++) {
      char c = text[at + k];
      if (ignoreCase && c >= 'A' && c <= 'Z') c = (char) (c + ('a' - 'A'));
      if (c != literal.charAt(k)) return false;
    }
    return true;
  }

  /** Every distinct literal of every pattern, each pattern's as indexes into it, and the literals by their first (ASCII) char. */
  private transient String[] literals;
  private transient int[][] ruleLiterals;
  private transient int[][] byFirstChar;
  private transient int[] nonAsciiFirst;
  private transient boolean[] ignoreCase;

  private void indexLiterals() {
    List<String> all = new ArrayList<>();
    List<Boolean> caseless = new ArrayList<>();
    ruleLiterals = new int[rules.size()][];
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      List<String> own = rule.requires();
      ruleLiterals[i] = new int[own.size()];
      for (int k = 0; k < own.size(); k++) {
        if (own.get(k).isEmpty()) throw new BadInputException("privacy.yaml: pattern " + rule.name() + ": an empty literal in requires");
        String literal = rule.requiresIgnoreCase() ? own.get(k).toLowerCase(java.util.Locale.ROOT) : own.get(k);
        int at = -1;
        for (int l = 0; l < all.size(); l++) if (all.get(l).equals(literal) && caseless.get(l) == rule.requiresIgnoreCase()) at = l;
        if (at < 0) {
          all.add(literal);
          caseless.add(rule.requiresIgnoreCase());
          at = all.size() - 1;
        }
        ruleLiterals[i][k] = at;
      }
    }
    literals = all.toArray(new String[0]);
    ignoreCase = new boolean[literals.length];
    for (int l = 0; l < literals.length; l++) ignoreCase[l] = caseless.get(l);
    List<List<Integer>> first = new ArrayList<>();
    for (int c = 0; c < 128; c++) first.add(new ArrayList<>());
    List<Integer> other = new ArrayList<>();
    for (int l = 0; l < literals.length; l++) {
      char c = literals[l].charAt(0);
      if (c >= 128) other.add(l);
      else {
        first.get(c).add(l);
        if (ignoreCase[l] && c >= 'a' && c <= 'z') first.get(c - ('a' - 'A')).add(l);
      }
    }
    byFirstChar = new int[128][];
    for (int c = 0; c < 128; c++) byFirstChar[c] = first.get(c).isEmpty() ? null : first.get(c).stream().mapToInt(Integer::intValue).toArray();
    nonAsciiFirst = other.stream().mapToInt(Integer::intValue).toArray();
  }

  private void compile() {
    patterns = new Pattern[rules.size()];
    partial = new boolean[rules.size()];
    runClasses = new boolean[rules.size()][];
    indexLiterals();
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
