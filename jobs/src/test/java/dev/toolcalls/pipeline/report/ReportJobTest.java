package dev.toolcalls.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.cli.PipelineCli;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.EnrichApplyJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.stats.StatsJob;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.pipeline.testing.StatsLakes;
import dev.toolcalls.schemas.TableNames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a small lake with a drifting day and a review, checked as files (every chart a
 * real PNG, the tables and escaping in the HTML, the same bytes twice) and as a person sees it:
 * rendered by headless Chromium, whose screenshot must not be blank and in which every chart
 * image must have loaded. Chromium is a test dependency (bin/install-test-deps): missing, the test
 * fails; it is never skipped.
 */
class ReportJobTest extends SparkTestBase {
  /** Debian's package puts it here; CHROMIUM overrides. */
  static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  static final String ODD_TAG = "<b>fish & \"chips\"</b>";

  @TempDir static Path tmp;
  static Lake lake;
  static ReportJob.Result result;
  static Path out;
  static String html;

  @BeforeAll
  static void lakeStatsAndReport() throws IOException {
    lake = StatsLakes.eightDays(spark, tmp);
    // A review that adds a tag a page must escape, and marks an example negative.
    String id = lake.read(TableNames.EXAMPLES).where("user_message = 'Open the bank' AND event_date = '2026-01-07'").select("id").first().getString(0);
    Path review = tmp.resolve("review.jsonl");
    Files.writeString(review, "{\"id\": \"" + id + "\", \"example_type\": \"negative\", \"quality_score\": 0.68, \"tags_add\": [\"" + ODD_TAG.replace("\"", "\\\"") + "\"]}\n");
    EnrichApplyJob.Options a = new EnrichApplyJob.Options();
    a.lakeDir = lake.root();
    a.file = review.toString();
    new EnrichApplyJob(spark, a).execute();
    out = tmp.resolve("report");
    result = report(out);
    html = Files.readString(out.resolve("index.html"), StandardCharsets.UTF_8);
    System.out.print(result.toText());
  }

  static ReportJob.Result report(Path dir) {
    if (!lake.exists(TableNames.QUALITY_STATS)) {
      // First call: without statistics the report stops and says what to run.
      BadInputException e = assertThrows(BadInputException.class, () -> runReport(dir));
      assertTrue(e.getMessage().contains("run `bin/pipeline stats --lake"), e.getMessage());
      assertEquals(PipelineCli.EXIT_BAD_INPUT, PipelineCli.run("report", "--lake", lake.root(), "--out", dir.toString()));
      assertFalse(Files.exists(dir));
      StatsJob.Options s = new StatsJob.Options();
      s.lakeDir = lake.root();
      new StatsJob(spark, PipelineConfig.defaults(), s).execute();
    }
    return runReport(dir);
  }

  static ReportJob.Result runReport(Path dir) {
    ReportJob.Options o = new ReportJob.Options();
    o.lakeDir = lake.root();
    o.outDir = dir.toString();
    return new ReportJob(spark, PipelineConfig.defaults(), o).execute();
  }

  @Test
  void everyChartIsARealPngNamedInThePage() throws IOException {
    List<String> charts = List.of("quality-histogram.png", "daily-quality.png", "examples-per-day.png", "top-tags.png", "top-tools.png", "coverage.png", "drift.png");
    assertEquals(charts.size(), result.charts());
    List<String> expectedFiles = new ArrayList<>(List.of("index.html"));
    expectedFiles.addAll(charts);
    assertEquals(expectedFiles, result.files());
    assertEquals(charts, imgSources(html));
    for (String c : charts) {
      Path png = out.resolve(c);
      assertTrue(Files.size(png) > 15_000, c + " is only " + Files.size(png) + " bytes");
      BufferedImage img = ImageIO.read(png.toFile());
      assertNotNull(img, c + " is not an image ImageIO can decode");
      assertEquals(ReportCharts.WIDTH, img.getWidth());
      assertEquals(ReportCharts.HEIGHT, img.getHeight());
      assertTrue(distinctColours(img) > 20, c + " has too few colours to be a chart");
    }
    // One row per day and per group read, never per example: 8 days of drift and coverage, 7 of them with a baseline.
    assertEquals(8L, result.rowsRead().get(TableNames.QUALITY_DRIFT));
    assertEquals(8L, result.rowsRead().get(TableNames.ENRICHMENT_COVERAGE));
    assertEquals(1L, result.rowsRead().get(TableNames.TOOL_STATS));
    assertTrue(result.statsCurrent());
  }

  @Test
  void tablesFlagsAndEscaping() {
    assertTrue(html.contains("16 examples over 8 days, 2026-01-01 to 2026-01-08; drift flagged on 2 days."), html);
    // Top tags with their error rates: navigation 1 error in 8 examples; fishing 1 in 1.
    assertTrue(html.contains("<tr><td class=\"text\">navigation</td><td>8</td><td>1</td><td>12.5%</td><td>0.781</td></tr>"), html);
    assertTrue(html.contains("<tr><td class=\"text\">fishing</td><td>1</td><td>1</td><td>100.0%</td><td>0.300</td></tr>"), html);
    // Tools: 17 send_command calls in 16 turns, 1 failed, 1 retry.
    assertTrue(html.contains("<tr><td class=\"text\">send_command</td><td>17</td><td>16</td><td>1</td><td>5.9%</td><td>1</td></tr>"), html);
    // The flagged days: the reviewed day gained a tag (a third of its tag occurrences), the failing day drifts for all three reasons
    // against days 1-7 (mean quality 10.83 / 14, tags navigation 7, banking 7, the added one 1).
    assertTrue(html.contains("<tr><td class=\"text\">2026-01-07</td><td>2</td><td>tag_mix</td><td>0.765</td><td>-0.010</td><td>0.0%</td><td>+0.0 pt</td><td>0.333</td></tr>"), html);
    assertTrue(html.contains("<tr><td class=\"text\">2026-01-08</td><td>2</td><td>mean_quality, error_rate, tag_mix</td><td>0.300</td><td>-0.474</td><td>100.0%</td><td>+100.0 pt</td><td>0.533</td></tr>"), html);
    // Coverage: the one review, on 2026-01-07, marked the example negative.
    assertTrue(html.contains("1 of 16 examples reviewed (6.3%)"), html);
    assertTrue(html.contains("<tr><td class=\"text\">2026-01-07</td><td>2</td><td>1</td><td>1</td><td>1</td><td>0</td><td>0.775</td><td>0.765</td></tr>"), html);
    // A tag's text is escaped, never markup.
    assertTrue(html.contains("&lt;b&gt;fish &amp; &quot;chips&quot;&lt;/b&gt;"), html);
    assertFalse(html.contains(ODD_TAG));
    assertTrue(html.contains("quality_stats version "), html);
  }

  @Test
  void theSameLakeGivesTheSameBytes() throws IOException {
    Path again = tmp.resolve("again");
    ReportJob.Result r = runReport(again);
    for (String f : r.files()) assertArrayEquals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
  }

  /** The nightly run writes the report after its stats stage when asked to. */
  @Test
  void runWritesTheReportWithReport() throws IOException {
    Path dir = tmp.resolve("nightly-report");
    assertEquals(0, PipelineCli.run("run", "--logs", tmp.resolve("logs").toString(), "--lake", lake.root(), "--out", tmp.resolve("datasets").toString(), "--report", dir.toString()));
    assertEquals(imgSources(html), imgSources(Files.readString(dir.resolve("index.html"))));
    for (String f : imgSources(html)) assertTrue(Files.isRegularFile(dir.resolve(f)), f);
  }

  @Test
  void badOptionsStopBeforeAnyWork() throws IOException {
    ReportJob.Options o = new ReportJob.Options();
    o.lakeDir = lake.root();
    assertThrows(BadInputException.class, o::validate); // no --out
    o.outDir = Files.writeString(tmp.resolve("a-file"), "x").toString();
    assertThrows(BadInputException.class, o::validate);
    o.outDir = tmp.resolve("x").toString();
    o.top = 0;
    assertThrows(BadInputException.class, o::validate);
  }

  /** As a person sees it: headless Chromium draws the page; the shot is not blank and every chart decoded. */
  @Test
  void chromiumRendersThePageWithEveryChart() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM), "Chromium not found at " + CHROMIUM + ": run bin/install-test-deps (Debian package chromium)");
    Path shot = tmp.resolve("shot.png");
    chromium(out, "--screenshot=" + shot, "--window-size=1280,4000");
    BufferedImage img = ImageIO.read(shot.toFile());
    assertNotNull(img, "no screenshot written");
    assertEquals(1280, img.getWidth());
    long nonWhite = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) nonWhite++;
    }
    double share = nonWhite / (img.getWidth() / 2.0 * img.getHeight() / 2.0);
    assertTrue(share > 0.02, "the screenshot is nearly blank: " + share + " of its pixels are not white");
    assertTrue(distinctColours(img) > 50, "the screenshot has " + distinctColours(img) + " colours");

    assertEquals("7/7", imagesLoaded(chromium(out, "--dump-dom")));
    // The check can fail: a page whose chart file is missing reports it.
    Path broken = tmp.resolve("broken");
    Files.createDirectories(broken);
    for (String f : result.files()) if (!f.equals("drift.png")) Files.copy(out.resolve(f), broken.resolve(f));
    String dom = chromium(broken, "--dump-dom");
    assertEquals("6/7", imagesLoaded(dom));
    assertTrue(dom.contains("data-images-broken=\"drift.png\""), dom);
  }

  /** Runs headless Chromium on the report in {@code dir}; returns what it printed (the DOM for --dump-dom). */
  static String chromium(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"),
        // waits (in virtual time) for the page, its images and its load handler
        "--virtual-time-budget=10000"));
    cmd.addAll(List.of(args));
    cmd.add(dir.resolve("index.html").toUri().toString());
    Path stdout = Files.createTempFile(tmp, "chromium", ".out");
    Path stderr = Files.createTempFile(tmp, "chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 60 s: " + Files.readString(stderr));
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr));
    return Files.readString(stdout);
  }

  static String imagesLoaded(String dom) {
    Matcher m = Pattern.compile("data-images-loaded=\"([^\"]*)\"").matcher(dom);
    assertTrue(m.find(), "the page's load script did not run: " + dom);
    return m.group(1);
  }

  static List<String> imgSources(String page) {
    List<String> src = new ArrayList<>();
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(page);
    while (m.find()) src.add(m.group(1));
    return src;
  }

  static int distinctColours(BufferedImage img) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) colours.add(img.getRGB(x, y));
    }
    return colours.size();
  }
}
