package dev.toolcalls.pipeline.report;

import dev.toolcalls.pipeline.stats.DriftThresholds;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The report's HTML page: one file that shows the charts (PNG files beside it) and the tables
 * behind the top tags and tools, review coverage and drift flags. Every text from the lake is
 * escaped. A small script marks, once the page has loaded, how many of its images decoded
 * ({@code data-images-loaded="k/n"} on {@code <body>}, and the title): the rendering test reads it
 * back from a headless browser.
 */
public final class ReportPage {
  /** What the page states about where its numbers come from. */
  public record Header(String lake, Map<String, Long> tableVersions, Map<String, Long> computedFrom, Map<String, Long> current) {}

  private ReportPage() {}

  public static String render(Header h, ReportData d, List<ReportCharts.Figure> figures, DriftThresholds t) {
    StringBuilder b = new StringBuilder(16_384);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Training data report</title>\n<style>\n")
        .append("body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1040px;color:#222;background:#fff}\n")
        .append("h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;margin:28px 0 6px;border-bottom:1px solid #ccc}\n")
        .append("img{display:block;border:1px solid #e4e4e4}p.caption{color:#555;font-size:14px;margin:4px 0 10px}\n")
        .append("table{border-collapse:collapse;font-size:14px;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\n")
        .append("th{background:#f2f2f2}td.text,th.text{text-align:left}p.meta{color:#555;font-size:13px}p.warn{color:#a40000;font-weight:bold}\n")
        .append("</style>\n</head>\n<body>\n<h1>Training data report</h1>\n");
    long examples = d.days().stream().mapToLong(ReportData.Day::examples).sum();
    long flagged = d.drift().stream().filter(ReportData.Drift::drift).count();
    b.append("<p>").append(String.format(Locale.ROOT, "%,d", examples)).append(" examples");
    if (!d.days().isEmpty()) b.append(" over ").append(d.days().size()).append(" days, ").append(d.days().get(0).day()).append(" to ").append(d.days().get(d.days().size() - 1).day());
    b.append("; drift flagged on ").append(flagged).append(flagged == 1 ? " day" : " days").append(".</p>\n");
    b.append("<p class=\"meta\">Lake ").append(esc(h.lake())).append(". Read: ").append(esc(versions(h.tableVersions()))).append(", computed by <code>stats</code> from ")
        .append(esc(versions(h.computedFrom()))).append(".</p>\n");
    if (!h.computedFrom().isEmpty() && !h.computedFrom().equals(h.current())) {
      b.append("<p class=\"warn\">The lake has changed since: now ").append(esc(versions(h.current()))).append(". Run <code>bin/pipeline stats</code> to bring these figures up to date.</p>\n");
    }
    for (ReportCharts.Figure f : figures) {
      b.append("<h2>").append(esc(f.title())).append("</h2>\n<img src=\"").append(esc(f.file())).append("\" width=\"").append(ReportCharts.WIDTH).append("\" height=\"")
          .append(ReportCharts.HEIGHT).append("\" alt=\"").append(esc(f.chart().getTitle())).append("\">\n<p class=\"caption\">").append(esc(f.caption())).append("</p>\n");
      switch (f.file()) {
        case "top-tags.png" -> tagsTable(b, d);
        case "top-tools.png" -> toolsTable(b, d);
        case "coverage.png" -> coverageTable(b, d);
        case "drift.png" -> driftTable(b, d, t);
        default -> { }
      }
    }
    if (figures.isEmpty()) b.append("<p>The statistics tables are empty: no example to report on.</p>\n");
    b.append("<script>\n")
        .append("window.addEventListener('load', function () {\n")
        .append("  var imgs = Array.prototype.slice.call(document.images);\n")
        .append("  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; });\n")
        .append("  var broken = imgs.filter(function (i) { return ok.indexOf(i) < 0; }).map(function (i) { return i.getAttribute('src'); });\n")
        .append("  document.body.setAttribute('data-images-loaded', ok.length + '/' + imgs.length);\n")
        .append("  document.body.setAttribute('data-images-broken', broken.join(' '));\n")
        .append("  document.title += ' (images loaded ' + ok.length + '/' + imgs.length + ')';\n")
        .append("});\n</script>\n</body>\n</html>\n");
    return b.toString();
  }

  private static void tagsTable(StringBuilder b, ReportData d) {
    table(b, List.of("tag", "examples", "with errors", "error rate", "mean quality"), d.tags(),
        r -> List.of(r.tag(), count(r.examples()), count(r.errors()), pct(r.errorRate()), num(r.mean())));
  }

  private static void toolsTable(StringBuilder b, ReportData d) {
    table(b, List.of("tool", "calls", "turns", "failed calls", "error rate", "retries"), d.tools(),
        r -> List.of(r.tool(), count(r.calls()), count(r.turns()), count(r.errors()), pct(r.errorRate()), count(r.retries())));
  }

  private static void coverageTable(StringBuilder b, ReportData d) {
    List<ReportData.Coverage> days = d.coverage().stream().filter(r -> r.reviewed() > 0 || r.added() > 0).toList();
    long examples = d.coverage().stream().mapToLong(ReportData.Coverage::examples).sum();
    long reviewed = d.coverage().stream().mapToLong(ReportData.Coverage::reviewed).sum();
    long added = d.coverage().stream().mapToLong(ReportData.Coverage::added).sum();
    b.append("<p>").append(count(reviewed)).append(" of ").append(count(examples)).append(" examples reviewed (").append(pct(examples == 0 ? 0 : (double) reviewed / examples))
        .append("), ").append(count(added)).append(" examples added by reviews.");
    if (days.isEmpty()) {
      b.append(" No review yet: <code>bin/pipeline enrich candidates</code> lists the examples worth one.</p>\n");
      return;
    }
    b.append(" The days with reviews:</p>\n");
    table(b, List.of("day", "examples", "reviewed", "changed", "marked negative", "added", "mean quality before", "after"), days,
        r -> List.of(r.day().toString(), count(r.examples()), count(r.reviewed()), count(r.changed()), count(r.markedNegative()), count(r.added()), num(r.meanBefore()), num(r.meanAfter())));
  }

  private static void driftTable(StringBuilder b, ReportData d, DriftThresholds t) {
    List<ReportData.Drift> flagged = d.drift().stream().filter(ReportData.Drift::drift).toList();
    if (flagged.isEmpty()) {
      b.append("<p>No day flagged.</p>\n");
      return;
    }
    b.append("<p>Flagged days (thresholds: mean quality change ").append(num(t.meanQualityChange())).append(", error rate change ").append(num(t.errorRateChange()))
        .append(", tag mix distance ").append(num(t.tagTvd())).append("):</p>\n");
    table(b, List.of("day", "examples", "reasons", "mean quality", "change", "error rate", "change", "tag mix distance"), flagged,
        r -> List.of(r.day().toString(), count(r.examples()), String.join(", ", r.reasons()), num(r.meanQuality()), signed(r.meanQualityChange()),
            r.errorRate() == null ? "" : pct(r.errorRate()), r.errorRateChange() == null ? "" : String.format(Locale.ROOT, "%+.1f pt", 100 * r.errorRateChange()), num(r.tagTvd())));
  }

  /** A table whose first column is text (left-aligned) and the others numbers; every cell escaped. */
  private static <T> void table(StringBuilder b, List<String> head, List<T> rows, Function<T, List<String>> cells) {
    b.append("<table>\n<tr>");
    for (int i = 0; i < head.size(); i++) b.append(i == 0 ? "<th class=\"text\">" : "<th>").append(esc(head.get(i))).append("</th>");
    b.append("</tr>\n");
    for (T r : rows) {
      List<String> c = cells.apply(r);
      b.append("<tr>");
      for (int i = 0; i < c.size(); i++) b.append(i == 0 ? "<td class=\"text\">" : "<td>").append(esc(c.get(i))).append("</td>");
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  /** Text for HTML content and attribute values (double- or single-quoted). */
  public static String esc(String s) {
    if (s == null) return "";
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }

  private static String versions(Map<String, Long> v) {
    StringBuilder s = new StringBuilder();
    v.forEach((k, n) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(" version ").append(n));
    return s.length() == 0 ? "unknown versions" : s.toString();
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String pct(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * rate);
  }

  private static String num(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String signed(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%+.3f", v);
  }
}
