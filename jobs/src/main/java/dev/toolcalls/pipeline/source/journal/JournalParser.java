package dev.toolcalls.pipeline.source.journal;

import dev.toolcalls.pipeline.source.ExampleDraft;
import dev.toolcalls.pipeline.util.StableIds;
import dev.toolcalls.schemas.Sources;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * A lesson journal (markdown) to examples, by walking commonmark-java's syntax tree (no regular
 * expression ever runs over the whole file; small ones read one node's text):
 *
 * <ul>
 *   <li>{@code reasoning_chain}: the file's problem and root cause sections; and each lesson (a
 *       {@code ###} section with What happened / Why / Solution);
 *   <li>{@code code_correction}: a {@code BAD} code block and the {@code GOOD} one that follows it
 *       in the same section, or the BAD and GOOD parts of one block;
 *   <li>{@code negative}: each item of an anti-patterns list, with its reason;
 *   <li>{@code direct_execution}: each row of a command table, and each tool call written with its
 *       purpose (a code line with a trailing comment, a list item "`call` - purpose").
 * </ul>
 *
 * Ids come from the file's relative path, the item's type, heading path and normalised text (and
 * an occurrence number when the same item is written twice), so editing another part of the file
 * keeps them. Plain Java: the journal reader calls it once per file, on an executor.
 */
public final class JournalParser {
  /** What the parser needs from conf. */
  public record Settings(String commandTool, String commandArgument) implements Serializable {}

  public static final String REASONING_CHAIN = "reasoning_chain";
  public static final String CODE_CORRECTION = "code_correction";
  public static final String NEGATIVE = "negative";
  public static final String DIRECT_EXECUTION = "direct_execution";

  private static final Parser PARSER =
      Parser.builder().extensions(List.of(TablesExtension.create())).includeSourceSpans(IncludeSourceSpans.BLOCKS).build();
  private static final Pattern PROBLEM_HEADING = Pattern.compile("^(the\\s+)?(problem|issue)s?\\b.*", Pattern.CASE_INSENSITIVE);
  private static final Pattern CAUSE_HEADING = Pattern.compile("^(root\\s+causes?|why)\\b.*", Pattern.CASE_INSENSITIVE);
  private static final Pattern ANTI_PATTERN_HEADING = Pattern.compile(".*\\banti-?\\s?patterns?\\b.*", Pattern.CASE_INSENSITIVE);
  private static final Pattern LESSON_MARKER = Pattern.compile(
      "^\\*\\*(what happened|problem|why|root cause|solution|fix|lesson)\\s*:?\\s*\\*\\*\\s*:?\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern META = Pattern.compile("^\\*\\*(date|context)\\s*:?\\*\\*\\s*:?\\s*(.*)$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern NUMBERING = Pattern.compile("^\\d+[.)]\\s*");
  private static final Pattern DONT = Pattern.compile("^\\s*(?:❌\\s*)?(\\*\\*)?(don'?t|do not|never|avoid)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern REASON_SEPARATOR = Pattern.compile("\\s+[-–—]\\s+|\\s*:\\s+(?=[A-Z])");
  private static final Pattern CODE_MARKER = Pattern.compile("^\\s*(?:#|//|--|/\\*|<!--)?\\s*(BAD|WRONG|INCORRECT|FAILS|GOOD|CORRECT|RIGHT|WORKS|FIXED)\\b[\\s:,-]*(.*)$");
  private static final Pattern COMMENTED_CALL = Pattern.compile("^\\s*([a-z][a-z0-9_]*\\(.*\\))\\s*(?:#|//)\\s*(.+)$");
  private static final Pattern LISTED_CALL = Pattern.compile("^`([^`]+)`\\s*(?:[-–—:])\\s*(.+)$", Pattern.DOTALL);
  private static final Pattern DATE_IN_NAME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})");

  private final String relativePath;
  private final Settings settings;
  private final String[] lines;
  private final List<ExampleDraft> out = new ArrayList<>();
  private final Map<String, Integer> occurrences = new HashMap<>();
  private final String[] headings = new String[7];
  private int eventDate;
  private String sectionKind = "";
  private final StringBuilder problem = new StringBuilder();
  private final StringBuilder rootCause = new StringBuilder();
  private long problemLine;
  private Lesson lesson;
  private PendingBad pendingBad;

  private JournalParser(String markdown, String relativePath, Settings settings, int fallbackDate) {
    this.relativePath = relativePath;
    this.settings = settings;
    this.lines = markdown.split("\n", -1);
    this.eventDate = fallbackDate;
  }

  /**
   * @param fallbackDate days since the epoch, used when neither a {@code **Date:**} line nor the
   *     file name gives the journal's date (the file's modification day)
   */
  public static List<ExampleDraft> parse(String markdown, String relativePath, Settings settings, int fallbackDate) {
    String text = markdown.replace("\r\n", "\n").replace('\r', '\n');
    JournalParser p = new JournalParser(text, relativePath, settings, fallbackDate);
    Matcher d = DATE_IN_NAME.matcher(relativePath);
    String nameDate = null;
    while (d.find()) nameDate = d.group(1);
    if (nameDate != null) p.setDate(nameDate);
    p.walk(PARSER.parse(text));
    return p.out;
  }

  private void walk(Node document) {
    for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
      if (block instanceof Heading h) {
        heading(h);
      } else if (block instanceof Paragraph para) {
        paragraph(para);
      } else if (block instanceof FencedCodeBlock code) {
        code(code);
        appendToSection(source(block), block);
      } else if (block instanceof ListBlock list) {
        list(list);
      } else if (block instanceof TableBlock table) {
        table(table);
        appendToSection(source(block), block);
      } else {
        appendToSection(source(block), block);
      }
    }
    closeLesson();
    closeSection();
  }

  // ---- sections and headings -------------------------------------------------------------------

  private void heading(Heading h) {
    String title = NUMBERING.matcher(inline(h).strip()).replaceFirst("");
    if (h.getLevel() <= 3) closeLesson();
    if (h.getLevel() <= 2) {
      closeSection();
      pendingBad = null;
    }
    headings[h.getLevel()] = title;
    for (int i = h.getLevel() + 1; i < headings.length; i++) headings[i] = null;
    if (h.getLevel() == 2) {
      sectionKind = PROBLEM_HEADING.matcher(title).matches() ? "problem"
          : CAUSE_HEADING.matcher(title).matches() ? "cause"
          : ANTI_PATTERN_HEADING.matcher(title).matches() ? "anti" : "";
    } else if (h.getLevel() == 3) {
      pendingBad = null;
      lesson = new Lesson(title, lineOf(h));
    }
  }

  private void paragraph(Paragraph para) {
    String text = source(para).strip();
    Matcher meta = META.matcher(text);
    if (meta.matches()) {
      if (meta.group(1).equalsIgnoreCase("date")) setDate(meta.group(2).strip());
      return;
    }
    if (lesson != null && LESSON_MARKER.matcher(text).find()) {
      // "**What happened:** ...", "**Why:** ...", "**Solution:** ..." may share one paragraph, a line each
      StringBuilder part = new StringBuilder();
      for (String line : text.split("\n")) {
        Matcher m = LESSON_MARKER.matcher(line.strip());
        if (m.find()) {
          if (part.length() > 0) appendToSection(part.toString(), para);
          part.setLength(0);
          lesson.field = m.group(1).toLowerCase(Locale.ROOT);
          part.append(line.strip().substring(m.end()));
        } else {
          part.append('\n').append(line);
        }
      }
      if (part.length() > 0) appendToSection(part.toString(), para);
      return;
    }
    inlineCalls(para, text);
    appendToSection(text, para);
  }

  private void appendToSection(String text, Node block) {
    if (text.isBlank()) return;
    if (lesson != null && lesson.field != null) {
      lesson.append(text);
    } else if (sectionKind.equals("problem")) {
      if (problem.length() == 0) problemLine = lineOf(block);
      append(problem, text);
    } else if (sectionKind.equals("cause")) {
      append(rootCause, text);
    }
  }

  /** The file's problem and root cause make one reasoning chain, once both have been read. */
  private void closeSection() {
    if (problem.length() > 0 && rootCause.length() > 0) {
      ExampleDraft e = draft(REASONING_CHAIN, problemLine, "problem", problem + "\n" + rootCause);
      e.userMessage = problem.toString();
      e.problem = problem.toString();
      e.rootCause = rootCause.toString();
      out.add(e);
      problem.setLength(0);
      rootCause.setLength(0);
    }
  }

  // ---- lessons ---------------------------------------------------------------------------------

  private static final class Lesson {
    final String title;
    final long line;
    final Map<String, StringBuilder> fields = new HashMap<>();
    String field;

    Lesson(String title, long line) {
      this.title = title;
      this.line = line;
    }

    void append(String text) {
      JournalParser.append(fields.computeIfAbsent(field, f -> new StringBuilder()), text);
    }

    String get(String... names) {
      for (String n : names) if (fields.containsKey(n)) return fields.get(n).toString();
      return null;
    }
  }

  private void closeLesson() {
    Lesson l = lesson;
    lesson = null;
    if (l == null) return;
    String happened = l.get("what happened", "problem");
    String why = l.get("why", "root cause");
    String solution = l.get("solution", "fix", "lesson");
    int parts = (happened != null ? 1 : 0) + (why != null ? 1 : 0) + (solution != null ? 1 : 0);
    if (parts < 2) return;
    ExampleDraft e = draft(REASONING_CHAIN, l.line, "lesson " + l.title, l.title + "\n" + happened + "\n" + why);
    e.userMessage = l.title;
    e.problem = happened;
    e.rootCause = why;
    e.responseText = solution;
    out.add(e);
  }

  // ---- code: BAD/GOOD pairs and commented calls ------------------------------------------------

  private record PendingBad(String code, String explanation, long line) {}

  private void code(FencedCodeBlock block) {
    String code = block.getLiteral();
    List<String[]> segments = segments(code);
    long line = lineOf(block);
    if (segments.isEmpty()) {
      commentedCalls(code, line);
      return;
    }
    for (String[] seg : segments) { // {kind, code, explanation}
      if (seg[0].equals("BAD") && sectionKind.equals("anti") && lesson == null) {
        // "## Anti-Patterns" written as code: each BAD part is an anti-pattern of its own
        String pattern = seg[2] == null || seg[2].isBlank() ? seg[1].lines().skip(1).findFirst().orElse(seg[1]).strip() : seg[2];
        ExampleDraft e = draft(NEGATIVE, line, "anti-pattern code", pattern + "\n" + seg[1]);
        e.userMessage = pattern;
        e.problem = pattern;
        e.badCode = seg[1];
        out.add(e);
      } else if (seg[0].equals("BAD")) {
        pendingBad = new PendingBad(seg[1], seg[2], line);
      } else if (pendingBad != null) {
        ExampleDraft e = draft(CODE_CORRECTION, pendingBad.line(), "code", pendingBad.code() + "\n" + seg[1]);
        e.userMessage = context();
        e.badCode = pendingBad.code();
        e.goodCode = seg[1];
        e.problem = emptyToNull(pendingBad.explanation());
        e.reasoning = emptyToNull(seg[2]);
        out.add(e);
        pendingBad = null;
        commentedCalls(seg[1], line);
      } else {
        commentedCalls(seg[1], line);
      }
    }
  }

  /**
   * The BAD and GOOD parts of a code block: each starts at a marker comment line ({@code # BAD -
   * why}, {@code // GOOD}) and runs to the next marker; lines before the first marker are context.
   */
  static List<String[]> segments(String code) {
    List<String[]> out = new ArrayList<>();
    String[] ls = code.split("\n", -1);
    String kind = null, explanation = null;
    StringBuilder current = new StringBuilder();
    for (String l : ls) {
      Matcher m = CODE_MARKER.matcher(l);
      boolean marker = m.matches() && (l.strip().startsWith("#") || l.strip().startsWith("//") || l.strip().startsWith("--")
          || l.strip().startsWith("/*") || l.strip().startsWith("<!--") || l.strip().equals(m.group(1)));
      if (marker) {
        if (kind != null) out.add(new String[] {kind, current.toString().strip(), explanation});
        String k = m.group(1);
        kind = k.equals("BAD") || k.equals("WRONG") || k.equals("INCORRECT") || k.equals("FAILS") ? "BAD" : "GOOD";
        explanation = m.group(2).replaceAll("\\s*(\\*/|-->)\\s*$", "").strip();
        current.setLength(0);
      }
      if (kind != null) current.append(l).append('\n');
    }
    if (kind != null) out.add(new String[] {kind, current.toString().strip(), explanation});
    return out;
  }

  /** {@code send_command("BANK_OPEN")  # open the bank}: a call and its purpose. */
  private void commentedCalls(String code, long blockLine) {
    String[] ls = code.split("\n", -1);
    for (int i = 0; i < ls.length; i++) {
      Matcher m = COMMENTED_CALL.matcher(ls[i]);
      if (m.matches() && isPurpose(m.group(2))) directExecution(m.group(1), m.group(2).strip(), blockLine + 1 + i);
    }
  }

  private static final java.util.Set<String> NOT_A_PURPOSE = java.util.Set.of(
      "returns", "return", "shows", "works", "works!", "output", "result", "prints", "gives", "fails", "failed", "wrong", "bad", "good",
      "correct", "e.g.", "i.e.", "->", "→", "=");

  /**
   * Whether a code line's trailing comment says what the call is for ("Kills existing, starts
   * managed process"), not what it gave ("Returns: ...", "Works!") or a one-word aside ("Safety").
   */
  static boolean isPurpose(String comment) {
    String[] words = comment.strip().split("\\s+");
    if (words.length < 3) return false;
    return !NOT_A_PURPOSE.contains(words[0].toLowerCase(Locale.ROOT).replaceAll("[:,]$", ""));
  }

  // ---- lists: anti-patterns and listed calls ---------------------------------------------------

  private void list(ListBlock list) {
    for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
      if (!(item instanceof ListItem li)) continue;
      String text = source(li).strip();
      text = text.replaceFirst("^([-*+]|\\d+[.)])\\s+", "");
      if (text.startsWith("[ ]") || text.startsWith("[x]") || text.startsWith("[X]")) continue; // a to-do list: gaps, not calls
      if (sectionKind.equals("anti") && lesson == null) {
        antiPattern(text, lineOf(li));
      } else {
        Matcher m = LISTED_CALL.matcher(text);
        if (m.matches()) directExecution(m.group(1), m.group(2).strip(), lineOf(li));
        else stepCall(text, lineOf(li));
      }
    }
    appendToSection(source(list), list);
  }

  /** "**Don't** use X - because Y" or "**Don't use X** - because Y": the pattern and its reason. */
  private void antiPattern(String item, long line) {
    String text = item.strip();
    Matcher sep = REASON_SEPARATOR.matcher(text);
    String pattern = text, reason = null;
    // the reason starts after the first separator that follows the closing of a bold lead-in
    int boldEnd = text.startsWith("**") ? text.indexOf("**", 2) + 2 : 0;
    while (sep.find()) {
      if (sep.start() >= boldEnd) {
        pattern = text.substring(0, sep.start());
        reason = text.substring(sep.end());
        break;
      }
    }
    pattern = pattern.replace("**", "").strip();
    if (pattern.isEmpty()) return;
    ExampleDraft e = draft(NEGATIVE, line, "anti-pattern", pattern);
    e.userMessage = pattern;
    e.problem = pattern;
    e.reasoning = reason == null ? null : reason.replace("**", "").strip();
    out.add(e);
  }

  // ---- tables and inline calls -----------------------------------------------------------------

  private void table(TableBlock table) {
    int commandColumn = -1, purposeColumn = -1, exampleColumn = -1;
    for (Node part = table.getFirstChild(); part != null; part = part.getNext()) {
      for (Node row = part.getFirstChild(); row != null; row = row.getNext()) {
        if (!(row instanceof TableRow)) continue;
        List<String> cells = new ArrayList<>();
        for (Node c = row.getFirstChild(); c != null; c = c.getNext()) if (c instanceof TableCell) cells.add(inline(c).strip());
        if (part instanceof TableHead) {
          for (int i = 0; i < cells.size(); i++) {
            String h = cells.get(i).toLowerCase(Locale.ROOT);
            if (commandColumn < 0 && (h.equals("command") || h.equals("commands") || h.equals("tool") || h.equals("call"))) commandColumn = i;
            else if (purposeColumn < 0 && (h.equals("purpose") || h.equals("description") || h.equals("use") || h.equals("what it does") || h.equals("effect"))) purposeColumn = i;
            else if (exampleColumn < 0 && (h.equals("example") || h.equals("usage"))) exampleColumn = i;
          }
          if (commandColumn < 0 || purposeColumn < 0) return; // not a command table
        } else if (commandColumn < cells.size() && purposeColumn < cells.size()) {
          // An example call, when the table gives one, says more than the bare tool name.
          String call = cells.get(commandColumn);
          if (exampleColumn >= 0 && exampleColumn < cells.size() && CallText.parse(cells.get(exampleColumn), settings.commandTool(), settings.commandArgument()) != null) {
            call = cells.get(exampleColumn);
          }
          directExecution(call, cells.get(purposeColumn), lineOf(row) > 0 ? lineOf(row) : lineOf(table));
        }
      }
    }
  }

  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

  /** A list step "Attempt to click the quantity button: `send_command(...)`": the text before the call is its purpose. */
  private void stepCall(String text, long line) {
    Matcher m = CODE_SPAN.matcher(text);
    if (!m.find()) return;
    String before = text.substring(0, m.start()).replace("**", "").strip().replaceAll("[:,-]+$", "").strip();
    if (before.split("\\s+").length < 2 || m.find()) return; // no purpose, or several calls: not one step
    m.reset();
    m.find();
    if (CallText.parse(m.group(1), settings.commandTool(), settings.commandArgument()) != null) directExecution(m.group(1), before, line);
  }

  /** A paragraph that is only "`call` - purpose". */
  private void inlineCalls(Paragraph para, String text) {
    Matcher m = LISTED_CALL.matcher(text);
    if (m.matches()) directExecution(m.group(1), m.group(2).strip(), lineOf(para));
  }

  private void directExecution(String callText, String purpose, long line) {
    if (purpose == null || purpose.isBlank()) return;
    ExampleDraft.ToolCall call = CallText.parse(callText, settings.commandTool(), settings.commandArgument());
    if (call == null) return;
    String p = purpose.replace("`", "").strip();
    ExampleDraft e = draft(DIRECT_EXECUTION, line, "call", call.tool() + " " + call.arguments() + "\n" + p);
    e.userMessage = p;
    e.toolCalls.add(call);
    out.add(e);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private ExampleDraft draft(String type, long line, String kind, String identity) {
    String headingPath = String.join(" > ", java.util.Arrays.stream(headings).filter(h -> h != null).toList());
    String key = type + "\u0000" + headingPath + "\u0000" + kind + "\u0000" + normalise(identity);
    int n = occurrences.merge(key, 1, Integer::sum);
    ExampleDraft e = new ExampleDraft();
    e.id = StableIds.journal(relativePath, type, headingPath, normalise(identity), n);
    e.source = Sources.JOURNAL;
    e.sourceFile = relativePath;
    e.sourceLine = line;
    e.exampleType = type;
    e.context = null;
    e.eventDate = eventDate;
    e.outcome = "ok";
    return e;
  }

  /** The heading path of where the item is, as a reader would name it ("Key Lessons > 1. Stuck detection"). */
  private String context() {
    for (int i = headings.length - 1; i >= 1; i--) if (headings[i] != null) return headings[i];
    return null;
  }

  private void setDate(String text) {
    Matcher m = DATE_IN_NAME.matcher(text);
    if (!m.find()) return;
    try {
      eventDate = (int) LocalDate.parse(m.group(1)).toEpochDay();
    } catch (DateTimeParseException ignored) {
      // not a real date (2025-13-40): the file name's or the file's own date stays
    }
  }

  /** The block's text exactly as written in the file. */
  private String source(Node block) {
    List<SourceSpan> spans = block.getSourceSpans();
    if (spans == null || spans.isEmpty()) return inline(block);
    int first = spans.get(0).getLineIndex(), last = spans.get(spans.size() - 1).getLineIndex();
    StringBuilder sb = new StringBuilder();
    for (int i = first; i <= last && i < lines.length; i++) {
      if (sb.length() > 0) sb.append('\n');
      sb.append(lines[i]);
    }
    return sb.toString();
  }

  private static long lineOf(Node block) {
    List<SourceSpan> spans = block.getSourceSpans();
    return spans == null || spans.isEmpty() ? 0 : spans.get(0).getLineIndex() + 1;
  }

  /** A node's text with code spans kept in backticks. */
  static String inline(Node n) {
    StringBuilder sb = new StringBuilder();
    for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
      if (c instanceof Text t) sb.append(t.getLiteral());
      else if (c instanceof Code code) sb.append('`').append(code.getLiteral()).append('`');
      else if (c instanceof SoftLineBreak) sb.append(' ');
      else if (c instanceof HardLineBreak) sb.append('\n');
      else sb.append(inline(c));
    }
    return sb.toString();
  }

  static String normalise(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s+", " ");
  }

  private static void append(StringBuilder sb, String text) {
    if (sb.length() > 0) sb.append("\n\n");
    sb.append(text.strip());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
