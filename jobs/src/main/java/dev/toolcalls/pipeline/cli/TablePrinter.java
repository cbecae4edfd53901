package dev.toolcalls.pipeline.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as an aligned text table, one line per row (newlines in cells shown as \n). */
final class TablePrinter {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private final int maxWidth;

  TablePrinter(List<String> header, int maxWidth) {
    this.header = header;
    this.maxWidth = maxWidth;
  }

  void add(List<String> row) {
    List<String> cells = new ArrayList<>(row.size());
    for (String c : row) cells.add(cell(c));
    rows.add(cells);
  }

  private String cell(String c) {
    if (c == null) return "NULL";
    String s = c.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    if (maxWidth > 3 && s.codePointCount(0, s.length()) > maxWidth) {
      s = s.substring(0, s.offsetByCodePoints(0, maxWidth - 3)) + "...";
    }
    return s;
  }

  void print(PrintStream out) {
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) w[i] = width(header.get(i));
    for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], width(r.get(i)));
    StringBuilder sep = new StringBuilder("+");
    for (int x : w) sep.append("-".repeat(x + 2)).append('+');
    out.println(sep);
    out.println(line(header, w));
    out.println(sep);
    for (List<String> r : rows) out.println(line(r, w));
    out.println(sep);
  }

  private static String line(List<String> cells, int[] w) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < w.length; i++) {
      String c = cells.get(i);
      sb.append(' ').append(c).append(" ".repeat(w[i] - width(c))).append(" |");
    }
    return sb.toString();
  }

  private static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
