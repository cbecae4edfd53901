package dev.toolcalls.pipeline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolcalls.pipeline.cli.PipelineCli;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.EnrichApplyJob;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --as-of-manifest}: after the lake has moved on (a new extract of changed input, a
 * review applied), an earlier export's manifest rebuilds that export byte for byte.
 */
class ExportAsOfManifestTest extends SparkTestBase {
  @TempDir static Path tmp;
  static final ObjectMapper JSON = new ObjectMapper();
  static Lake lake;
  static Path logs;
  /** Exported before any review. */
  static Path beforeReviews;
  /** Exported after a review, with options that are not the defaults. */
  static Path exportA;
  /** Exported with A's options after the lake changed. */
  static Path exportB;

  @BeforeAll
  static void aLakeExportedThenChanged() throws IOException {
    logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    extract(ExportJobTest.day(0, 25, "Walking there."));
    beforeReviews = tmp.resolve("out-before-reviews");
    ExportJob.Options plain = options(beforeReviews);
    plain.formats = EnumSet.of(ExportFormat.UNIFIED, ExportFormat.OPENAI);
    plain.validationFraction = 0.3;
    plain.splitBy = Splits.SplitBy.ID; // one account's day: by session everything would be one group
    new ExportJob(spark, PipelineConfig.defaults(), plain).execute();

    review("review-1.jsonl", ExportJobTest.reviewOfTheRoutine(idOf("Do the fishing routine")));
    exportA = tmp.resolve("out-a");
    new ExportJob(spark, PipelineConfig.defaults(), optionsOfA(exportA)).execute();

    // The lake moves on: the day's log rewritten (answers changed, requests added) and extracted
    // again, and another review lowers one walk below the quality floor.
    extract(ExportJobTest.day(5, 25, "On my way."));
    review("review-2.jsonl", "{\"id\": \"" + idOf("Go to spot 7") + "\", \"quality_score\": 0.1}\n");
    exportB = tmp.resolve("out-b");
    new ExportJob(spark, PipelineConfig.defaults(), optionsOfA(exportB)).execute();
  }

  static void extract(String dayText) throws IOException {
    Files.writeString(logs.resolve("conversations_2026-01-25.jsonl"), dayText);
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = tmp.resolve("lake").toString();
    new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
    lake = new Lake(spark, o.lakeDir);
  }

  static String idOf(String userMessage) {
    return lake.read(TableNames.EXAMPLES).where("user_message = '" + userMessage + "'").select("id").first().getString(0);
  }

  static void review(String name, String lines) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, lines);
    EnrichApplyJob.Options a = new EnrichApplyJob.Options();
    a.lakeDir = lake.root();
    a.file = file.toString();
    new EnrichApplyJob(spark, a).execute();
  }

  static ExportJob.Options options(Path out) {
    ExportJob.Options o = new ExportJob.Options();
    o.lakeDir = lake.root();
    o.outDir = out.toString();
    return o;
  }

  static ExportJob.Options optionsOfA(Path out) {
    ExportJob.Options o = options(out);
    o.formats = EnumSet.of(ExportFormat.UNIFIED, ExportFormat.CHATML, ExportFormat.OPENAI);
    o.minQuality = 0.3;
    o.sources = List.of("discord", "review");
    o.since = "2026-01-01";
    o.includeNegatives = true;
    o.withReasoning = true;
    o.validationFraction = 0.25;
    o.splitBy = Splits.SplitBy.ID; // not the default: the manifest must carry it for the rebuild
    return o;
  }

  static ExportJob.Result rebuild(Path manifest, Path out) {
    ExportJob.Options o = options(out);
    o.asOfManifest = manifest.toString();
    return new ExportJob(spark, PipelineConfig.defaults(), o).execute();
  }

  /** Every data file under {@code root} (not the manifest, nor Hadoop's hidden .crc files), by relative path: its bytes as text. */
  static Map<String, String> dataFiles(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.equals(root.resolve("manifest.json")) && !p.getFileName().toString().startsWith(".")).toList()) {
        out.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  static JsonNode manifest(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("manifest.json").toFile());
  }

  static void assertSameDataset(Path expected, Path actual) throws IOException {
    Map<String, String> want = dataFiles(expected);
    assertTrue(want.size() >= 4, want.keySet().toString());
    assertEquals(want, dataFiles(actual));
    JsonNode e = manifest(expected), a = manifest(actual);
    for (String key : List.of("table_versions", "options", "selected", "duplicates_dropped", "counts", "losses")) assertEquals(e.get(key), a.get(key), key);
  }

  @Test
  void theManifestOfAnEarlierExportRebuildsItByteForByte() throws IOException {
    // the lake has moved on: both tables have new versions and B has other rows than A
    JsonNode a = manifest(exportA).get("table_versions"), b = manifest(exportB).get("table_versions");
    assertTrue(b.get(TableNames.EXAMPLES).asLong() > a.get(TableNames.EXAMPLES).asLong(), a + " " + b);
    assertTrue(b.get(TableNames.ENRICHMENTS).asLong() > a.get(TableNames.ENRICHMENTS).asLong(), a + " " + b);
    assertNotEquals(dataFiles(exportA), dataFiles(exportB));

    Path c = tmp.resolve("out-c");
    int code = PipelineCli.run("export", "--lake", lake.root(), "--out", c.toString(), "--as-of-manifest", exportA.resolve("manifest.json").toString());
    assertEquals(0, code);
    assertSameDataset(exportA, c);
    assertTrue(Files.list(c).noneMatch(p -> p.getFileName().toString().startsWith(".export-")), "staging folder left behind");
  }

  @Test
  void aManifestOfAnExportBeforeAnyReviewRebuildsWithoutTheReviewsAppliedSince() throws IOException {
    assertTrue(manifest(beforeReviews).get("table_versions").get(TableNames.ENRICHMENTS) == null);
    Path out = tmp.resolve("out-before-reviews-again");
    ExportJob.Result r = rebuild(beforeReviews.resolve("manifest.json"), out);
    assertTrue(r.toText().contains("rebuilt the dataset of " + beforeReviews.resolve("manifest.json")), r.toText());
    assertEquals(manifest(beforeReviews).get("table_versions").get(TableNames.EXAMPLES).asLong(), r.tableVersions().get(TableNames.EXAMPLES));
    assertSameDataset(beforeReviews, out);
  }

  @Test
  void aVersionTheLakeDoesNotHaveIsAClearError() throws IOException {
    ObjectNode m = (ObjectNode) manifest(exportA);
    ((ObjectNode) m.get("table_versions")).put(TableNames.EXAMPLES, 99);
    Path edited = tmp.resolve("manifest-version-99.json");
    JSON.writeValue(edited.toFile(), m);
    BadInputException e = assertThrows(BadInputException.class, () -> rebuild(edited, tmp.resolve("out-99")));
    assertTrue(e.getMessage().contains("examples version 99") && e.getMessage().contains("latest version is"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("out-99")), "nothing written");
  }

  @Test
  void aVersionWhoseFilesWereVacuumedIsAClearError() throws IOException {
    // A copy of the lake (Delta paths are relative) where the files of A's examples version that the
    // latest version no longer reads are deleted, as VACUUM does once they are past the retention
    // (a real VACUUM RETAIN 0 HOURS takes minutes here, and a session setting to allow it).
    Path copy = tmp.resolve("lake-vacuumed");
    try (Stream<Path> s = Files.walk(tmp.resolve("lake"))) {
      for (Path p : s.toList()) {
        Path target = copy.resolve(tmp.resolve("lake").relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
    Lake vacuumed = new Lake(spark, copy.toString());
    String examples = vacuumed.path(TableNames.EXAMPLES);
    long versionOfA = manifest(exportA).get("table_versions").get(TableNames.EXAMPLES).asLong();
    Set<String> stillRead = Set.of(vacuumed.read(TableNames.EXAMPLES).inputFiles());
    int deleted = 0;
    for (String f : spark.read().format("delta").option("versionAsOf", versionOfA).load(examples).inputFiles()) {
      if (!stillRead.contains(f)) {
        Files.delete(Path.of(java.net.URI.create(f)));
        deleted++;
      }
    }
    assertTrue(deleted > 0);
    ExportJob.Options o = options(tmp.resolve("out-vacuumed"));
    o.lakeDir = copy.toString();
    o.asOfManifest = exportA.resolve("manifest.json").toString();
    BadInputException e = assertThrows(BadInputException.class, () -> new ExportJob(spark, PipelineConfig.defaults(), o).execute());
    assertTrue(e.getMessage().contains("examples version " + versionOfA) && e.getMessage().contains("no longer in the lake")
        && e.getMessage().contains(deleted + " of its") && e.getMessage().contains("VACUUM"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("out-vacuumed")), "nothing written");
    // the latest version is whole
    vacuumed.requireVersion(TableNames.EXAMPLES, vacuumed.version(TableNames.EXAMPLES), "");
  }

  @Test
  void aMissingFileOrOneThatIsNotAManifestIsAClearError() throws IOException {
    BadInputException missing = assertThrows(BadInputException.class, () -> rebuild(tmp.resolve("nope.json"), tmp.resolve("out-x")));
    assertTrue(missing.getMessage().startsWith("manifest not found"), missing.getMessage());
    Path notJson = Files.writeString(tmp.resolve("not-json.json"), "hello");
    assertTrue(assertThrows(BadInputException.class, () -> rebuild(notJson, tmp.resolve("out-x"))).getMessage().contains("is not an export manifest"));
    Path other = Files.writeString(tmp.resolve("other.json"), "{\"table_versions\": {\"examples\": 1}, \"options\": {\"formats\": [\"unified\"]}}");
    BadInputException noOptions = assertThrows(BadInputException.class, () -> rebuild(other, tmp.resolve("out-x")));
    assertTrue(noOptions.getMessage().contains("no options.min_quality"), noOptions.getMessage());
    // the selection comes from the manifest only
    ExportJob.Options o = options(tmp.resolve("out-x"));
    o.asOfManifest = exportA.resolve("manifest.json").toString();
    o.types = List.of("lesson");
    o.withReasoning = true;
    BadInputException both = assertThrows(BadInputException.class, () -> new ExportJob(spark, PipelineConfig.defaults(), o));
    assertTrue(both.getMessage().contains("leave out --types, --with-reasoning"), both.getMessage());
  }
}
