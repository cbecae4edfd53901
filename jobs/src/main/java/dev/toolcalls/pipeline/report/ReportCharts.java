package dev.toolcalls.pipeline.report;

import dev.toolcalls.pipeline.stats.DriftThresholds;
import dev.toolcalls.schemas.StatsSchemas;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart from {@link ReportData} (plain Java, no Spark) and
 * encoded as PNG. Same data, same bytes: fixed size, fonts and colours, series in a fixed order,
 * dates in UTC, and no time stamp in the file (ImageIO's PNG writer adds none).
 */
public final class ReportCharts {
  public static final int WIDTH = 1000;
  public static final int HEIGHT = 460;
  /** Series colours in order (colour-blind safe: Okabe and Ito's palette). */
  static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000)
  };
  private static final Color ERROR_RED = new Color(0xD55E00);

  /** A chart with the file it is written to and what the page says about it. */
  public record Figure(String file, String title, String caption, Chart<?, ?> chart) {
    public byte[] png() {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode " + file, e);
      }
    }
  }

  private ReportCharts() {}

  /** Every chart the data has something to show for, in page order (a chart with no data is left out: the page says so). */
  public static List<Figure> all(ReportData d, DriftThresholds thresholds) {
    List<Figure> out = new ArrayList<>();
    if (!d.histograms().isEmpty()) out.add(qualityHistogram(d));
    if (!d.days().isEmpty()) out.add(dailyQuality(d));
    if (!d.dayTypes().isEmpty()) out.add(examplesPerDay(d));
    if (!d.tags().isEmpty()) out.add(topTags(d));
    if (!d.tools().isEmpty()) out.add(topTools(d));
    if (!d.coverage().isEmpty()) out.add(coverage(d));
    if (!d.drift().isEmpty()) out.add(drift(d, thresholds));
    return List.copyOf(out);
  }

  static Figure qualityHistogram(ReportData d) {
    CategoryChart c = category("Quality score distribution per source", "quality_score bucket (score from 0 to 1)", "share of the source's examples (%)");
    c.getStyler().setOverlapped(false).setAvailableSpaceFill(0.85);
    List<String> buckets = new ArrayList<>();
    for (int b = 0; b < StatsSchemas.HISTOGRAM_BUCKETS; b++) {
      buckets.add(String.format(Locale.ROOT, b == StatsSchemas.HISTOGRAM_BUCKETS - 1 ? "%.1f-%.1f" : "%.1f-<%.1f", b / 10.0, (b + 1) / 10.0));
    }
    int i = 0;
    for (ReportData.SourceHistogram h : d.histograms()) {
      long total = Math.max(1, h.total());
      List<Double> share = h.counts().stream().map(n -> 100.0 * n / total).toList();
      c.addSeries(String.format(Locale.ROOT, "%s (%,d examples)", h.source(), h.total()), buckets, share).setFillColor(PALETTE[i++ % PALETTE.length]);
    }
    return new Figure("quality-histogram.png", "Quality score per source",
        "Share of each source's examples per quality_score bucket of 0.1 (all days, reviews applied).", c);
  }

  static Figure dailyQuality(ReportData d) {
    XYChart c = xy("Daily mean quality with its p10-p90 band", "day (UTC)", "quality_score (0 to 1)");
    List<Date> x = new ArrayList<>();
    List<Double> mean = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Date> bandX = new ArrayList<>();
    List<Double> bandY = new ArrayList<>();
    for (ReportData.Day day : d.days()) {
      x.add(date(day.day()));
      mean.add(day.mean());
      p50.add(day.p50());
    }
    // The band is one polygon: along p90 forwards, then back along p10.
    for (ReportData.Day day : d.days()) {
      bandX.add(date(day.day()));
      bandY.add(day.p90());
    }
    for (int k = d.days().size() - 1; k >= 0; k--) {
      bandX.add(date(d.days().get(k).day()));
      bandY.add(d.days().get(k).p10());
    }
    XYSeries band = c.addSeries("p10 to p90 of the day", bandX, bandY);
    band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea).setMarker(SeriesMarkers.NONE);
    band.setFillColor(new Color(0x56, 0xB4, 0xE9, 110));
    band.setLineColor(new Color(0x56, 0xB4, 0xE9, 110));
    XYSeries median = c.addSeries("median (p50)", x, p50);
    median.setMarker(SeriesMarkers.NONE).setLineColor(PALETTE[1]);
    median.setLineStyle(SeriesLines.DASH_DASH);
    XYSeries m = c.addSeries("mean", x, mean);
    m.setMarker(d.days().size() <= 62 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE).setMarkerColor(PALETTE[0]).setLineColor(PALETTE[0]);
    m.setLineWidth(2.5f);
    c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    return new Figure("daily-quality.png", "Daily quality",
        "Mean quality_score of each day's examples (line), its median (dashed), and the band from the 10th to the 90th percentile.", c);
  }

  static Figure examplesPerDay(ReportData d) {
    CategoryChart c = category("Examples per day by example type", "day (UTC)", "examples (count per day)");
    c.getStyler().setStacked(true).setAvailableSpaceFill(0.8);
    List<LocalDate> days = new ArrayList<>(new TreeSet<>(d.dayTypes().stream().map(ReportData.DayType::day).toList()));
    Map<String, Map<LocalDate, Long>> byType = new TreeMap<>();
    for (ReportData.DayType t : d.dayTypes()) byType.computeIfAbsent(t.exampleType(), k -> new TreeMap<>()).put(t.day(), t.examples());
    List<String> labels = days.stream().map(ReportCharts::dayLabel).toList();
    int i = 0;
    for (Map.Entry<String, Map<LocalDate, Long>> e : byType.entrySet()) {
      List<Long> n = days.stream().map(day -> e.getValue().getOrDefault(day, 0L)).toList();
      long total = n.stream().mapToLong(Long::longValue).sum();
      c.addSeries(String.format(Locale.ROOT, "%s (%,d)", e.getKey(), total), labels, n).setFillColor(PALETTE[i++ % PALETTE.length]);
    }
    thinDayLabels(c, days.size());
    return new Figure("examples-per-day.png", "Examples per day", "Training examples per day, stacked by example_type (the legend gives each type's total).", c);
  }

  static Figure topTags(ReportData d) {
    CategoryChart c = countsWithErrorRate("Top " + d.tags().size() + " tags: examples and error rate", "tag",
        d.tags().stream().map(ReportData.Tag::tag).toList(), "examples", d.tags().stream().map(ReportData.Tag::examples).toList(),
        "examples with outcome error (%)", d.tags().stream().map(t -> 100 * t.errorRate()).toList());
    return new Figure("top-tags.png", "Top tags",
        "Examples per tag (bars, left axis) and the share of them whose outcome is an error (line, right axis), all days.", c);
  }

  static Figure topTools(ReportData d) {
    CategoryChart c = countsWithErrorRate("Top " + d.tools().size() + " tools: calls and error rate", "tool",
        d.tools().stream().map(ReportData.Tool::tool).toList(), "calls", d.tools().stream().map(ReportData.Tool::calls).toList(),
        "calls that failed (%)", d.tools().stream().map(t -> 100 * t.errorRate()).toList());
    return new Figure("top-tools.png", "Top tools",
        "Calls per tool (bars, left axis) and the share of calls whose result was an error (line, right axis), all days.", c);
  }

  static Figure coverage(ReportData d) {
    CategoryChart c = category("Review coverage per day", "day (UTC)", "share of the day's examples (%)");
    c.getStyler().setOverlapped(true).setAvailableSpaceFill(0.8).setYAxisMin(0.0);
    List<String> labels = d.coverage().stream().map(r -> dayLabel(r.day())).toList();
    c.addSeries("changed by the review (quality, type or tags)", labels, d.coverage().stream().map(r -> pct(r.changed(), r.examples())).toList()).setFillColor(PALETTE[4]);
    c.addSeries("marked negative", labels, d.coverage().stream().map(r -> pct(r.markedNegative(), r.examples())).toList()).setFillColor(PALETTE[5]);
    // A line, not a third bar: most reviews change something, and a bar of the same height would be hidden.
    CategorySeries reviewed = c.addSeries("reviewed", labels, d.coverage().stream().map(r -> pct(r.reviewed(), r.examples())).toList());
    reviewed.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(PALETTE[0]).setLineColor(PALETTE[0]);
    if (d.coverage().stream().noneMatch(r -> r.reviewed() > 0)) c.getStyler().setYAxisMax(10.0); // no review yet: a flat axis would have no scale
    thinDayLabels(c, labels.size());
    return new Figure("coverage.png", "Review coverage",
        "Per day: the share of examples reviewed (line), the share whose quality, type or tags the review changed, and the share it marked negative (bars, drawn over each other).", c);
  }

  /**
   * Each drift measure divided by its threshold, so one axis serves all three and a flag is any
   * point beyond 1 (or -1): quality and error rate changes keep their sign, the tag mix distance is
   * never negative.
   */
  static Figure drift(ReportData d, DriftThresholds t) {
    XYChart c = xy("Drift: each day's change against the " + t.baselineDays() + " days before", "day (UTC)", "change / its threshold (|1| = flag)");
    List<ReportData.Drift> rows = d.drift().stream().filter(r -> r.meanQualityChange() != null).toList();
    if (rows.isEmpty()) rows = d.drift(); // no day has a baseline yet: the lines stay empty
    List<Date> x = rows.stream().map(r -> date(r.day())).toList();
    boolean markers = rows.size() <= 62;
    line(c, String.format(Locale.ROOT, "mean quality change / %.2f", t.meanQualityChange()), x, ratio(rows, ReportData.Drift::meanQualityChange, t.meanQualityChange()), PALETTE[0], markers);
    line(c, String.format(Locale.ROOT, "error rate change / %.2f", t.errorRateChange()), x, ratio(rows, ReportData.Drift::errorRateChange, t.errorRateChange()), ERROR_RED, markers);
    line(c, String.format(Locale.ROOT, "tag mix distance (TVD) / %.2f", t.tagTvd()), x, ratio(rows, ReportData.Drift::tagTvd, t.tagTvd()), PALETTE[2], markers);
    List<ReportData.Drift> flagged = rows.stream().filter(ReportData.Drift::drift).toList();
    if (!flagged.isEmpty()) {
      // A diamond on the zero line for each flagged day.
      XYSeries f = c.addSeries("drift flagged (" + flagged.size() + (flagged.size() == 1 ? " day)" : " days)"), flagged.stream().map(r -> date(r.day())).toList(),
          flagged.stream().map(r -> 0.0).toList());
      f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND).setMarkerColor(Color.BLACK);
    }
    double extent = 1.2;
    for (ReportData.Drift r : rows) {
      for (Double v : new Double[] {ratio(r.meanQualityChange(), t.meanQualityChange()), ratio(r.errorRateChange(), t.errorRateChange()), ratio(r.tagTvd(), t.tagTvd())}) {
        if (v != null) extent = Math.max(extent, Math.abs(v) * 1.05);
      }
    }
    c.getStyler().setYAxisMin(-extent).setYAxisMax(extent).setYAxisDecimalPattern("0.0");
    c.getStyler().setAnnotationLineColor(Color.GRAY).setAnnotationLineStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    c.addAnnotation(new AnnotationLine(1, false, false));
    c.addAnnotation(new AnnotationLine(-1, false, false));
    return new Figure("drift.png", "Drift",
        String.format(Locale.ROOT, "Per day, against the %d days before: the change of mean quality and of the error rate (signed), and the distance of the tag mix, "
            + "each divided by its threshold in conf stats.drift (%.2f, %.2f, %.2f), so a point beyond the dashed lines at 1 and -1 flags the day; "
            + "diamonds mark flagged days.", t.baselineDays(), t.meanQualityChange(), t.errorRateChange(), t.tagTvd()), c);
  }

  private static List<Double> ratio(List<ReportData.Drift> rows, Function<ReportData.Drift, Double> value, double threshold) {
    return rows.stream().map(r -> ratio(value.apply(r), threshold)).toList();
  }

  private static Double ratio(Double v, double threshold) {
    return v == null ? null : v / threshold;
  }

  private static CategoryChart countsWithErrorRate(String title, String xTitle, List<String> names, String countName, List<Long> counts, String rateName, List<Double> rates) {
    CategoryChart c = category(title, xTitle, countName + " (count)");
    // Overlapped: the rate line is drawn over the middle of each bar instead of taking a slot beside it.
    c.getStyler().setOverlapped(true).setAvailableSpaceFill(0.6).setXAxisLabelRotation(30);
    c.addSeries(countName, names, counts).setFillColor(PALETTE[0]);
    CategorySeries rate = c.addSeries(rateName, names, rates);
    rate.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(ERROR_RED)
        .setLineColor(ERROR_RED);
    rate.setYAxisGroup(1);
    c.setYAxisGroupTitle(1, rateName);
    c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    c.getStyler().setYAxisMin(1, 0.0);
    c.getStyler().setYAxisMax(1, Math.max(10.0, Math.ceil(rates.stream().mapToDouble(Double::doubleValue).max().orElse(0) / 10) * 10));
    c.getStyler().setYAxisMin(0, 0.0);
    return c;
  }

  private static void line(XYChart c, String name, List<Date> x, List<Double> y, Color color, boolean markers) {
    XYSeries s = c.addSeries(name, x, y);
    s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE).setMarkerColor(color).setLineColor(color);
  }

  private static CategoryChart category(String title, String xTitle, String yTitle) {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(c.getStyler());
    return c;
  }

  private static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(c.getStyler());
    c.getStyler().setDatePattern("MMM d").setTimezone(TimeZone.getTimeZone(ZoneOffset.UTC)).setLocale(Locale.ROOT);
    return c;
  }

  private static void style(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE).setPlotBorderVisible(false);
    s.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
    s.setChartTitleBoxVisible(false).setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14)).setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal).setLegendBorderColor(Color.WHITE)
        .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLocale(Locale.ROOT).setAntiAlias(true).setToolTipsEnabled(false);
  }

  /** At most about 16 day labels along the axis, whatever the number of days. */
  private static void thinDayLabels(CategoryChart c, int days) {
    c.getStyler().setXAxisLabelRotation(45);
    if (days > 16) c.getStyler().setXAxisMaxLabelCount(16);
  }

  private static Double pct(long part, long whole) {
    return whole == 0 ? 0.0 : 100.0 * part / whole;
  }

  private static Date date(LocalDate d) {
    return Date.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  static String dayLabel(LocalDate d) {
    return d.toString();
  }
}
